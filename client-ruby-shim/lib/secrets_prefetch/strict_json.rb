# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "json"

module SecretsPrefetch
  # JSON exactly as docs/manifest.md ("Syntax") defines it, for the manifest and for JSON secrets alike: RFC 8259
  # in UTF-8 without a byte order mark, no key twice in an object, no comments, no escapes other than JSON's, no
  # half of a surrogate pair, at most MAX_DEPTH levels. JSON.parse (C) parses; the checks below add what it
  # tolerates. Every step is linear in the text and runs in C (String#tr, #include?, one encoding check,
  # non-backtracking regular expressions); a regular expression over each escape took 18 s for 60 MB of "\n".
  # @api private
  module StrictJson
    MAX_DEPTH = 100
    # The message of an Invalid that JSON.parse itself refused.
    NOT_JSON = "is not valid JSON"

    # The text is not strict JSON. The message completes "<what> ...", and never quotes the text.
    class Invalid < StandardError; end

    # A JSON object that refuses a key it already has.
    class StrictHash < Hash
      def []=(key, value)
        raise Invalid, "has a duplicate key" if key?(key)

        super
      end
    end

    # Escape letters in a copy of the text: a backslash becomes a Shift_JIS lead byte, what may follow it in JSON
    # ("\/bfnrtu) a valid second byte, anything else a space, which is not one. Shift_JIS then pairs a backslash
    # with the next byte from left to right exactly as JSON does ("\\\\" is two pairs, "\\\\\\q" two and a bad
    # one), so the copy is valid Shift_JIS exactly when every escape is one of JSON's.
    ESCAPE_LETTERS = "\\\\\"/bfnrtu"
    NOT_ESCAPE_LETTERS = "^#{ESCAPE_LETTERS}".freeze
    AS_LEAD_AND_SECOND = "\x81A".b.freeze
    # Once every escape is valid and "\\\\" pairs are out of the way, every backslash left starts an escape.
    ESCAPED_BACKSLASH = "\\\\"
    NOT_AN_ESCAPE = "__"
    SURROGATE = /\\u[dD][89a-fA-F]/.freeze
    LONE_SURROGATE = /\\u[dD] (?: [89abAB]\h\h (?!\\u[dD][c-fC-F])            # a high one without a low one
                             | [c-fC-F] (?<!\\u[dD][89abAB]\h\h\\u[dD][c-fC-F]) # a low one without a high one
                             )/x.freeze
    private_constant :ESCAPE_LETTERS, :NOT_ESCAPE_LETTERS, :AS_LEAD_AND_SECOND, :ESCAPED_BACKSLASH,
                     :NOT_AN_ESCAPE, :SURROGATE, :LONE_SURROGATE

    module_function

    # The value of the JSON text +bytes+ (any encoding; read as UTF-8): Hash, Array, String, Integer, Float,
    # true, false or nil. Objects are StrictHash instances.
    # @raise [Invalid] naming the rule the text breaks
    def parse(bytes)
      text = bytes.encoding == Encoding::UTF_8 ? bytes : bytes.dup.force_encoding(Encoding::UTF_8)
      raise Invalid, "is not UTF-8 text" unless text.valid_encoding?
      raise Invalid, "starts with a byte order mark" if text.start_with?("\uFEFF")

      value = json(text)
      binary = bytes.encoding == Encoding::BINARY ? bytes : text.b
      check_escapes(binary) if binary.include?("\\")
      check_comments(binary) if binary.include?("/*") || binary.include?("//")
      value
    end

    def json(text)
      JSON.parse(text, max_nesting: MAX_DEPTH, allow_nan: false, create_additions: false, object_class: StrictHash)
    rescue JSON::NestingError
      # JSON's own messages quote the text, which may hold a value: never pass one (or it as cause) on.
      raise Invalid, "is nested deeper than #{MAX_DEPTH} levels", cause: nil
    rescue JSON::ParserError
      raise Invalid, NOT_JSON, cause: nil
    end

    def check_escapes(binary)
      letters = binary.tr(NOT_ESCAPE_LETTERS, " ")
      if letters.include?("\\ ") && !letters.tr(ESCAPE_LETTERS, AS_LEAD_AND_SECOND).force_encoding(Encoding::Shift_JIS)
                                            .valid_encoding?
        raise Invalid, "is not valid JSON (an escape other than JSON's in a string)"
      end
      return unless binary.match?(SURROGATE)

      singles = binary.include?(ESCAPED_BACKSLASH) ? binary.gsub(ESCAPED_BACKSLASH, NOT_AN_ESCAPE) : binary
      return unless singles.match?(LONE_SURROGATE)

      raise Invalid, "is not valid JSON (half of a surrogate pair in a string)"
    end

    # JSON.parse skips comments as whitespace. Outside strings a "/" can only start one; in a copy where every
    # "/" is an "n" ("\/" becomes the escape "\n") a comment can no longer parse, and nothing else changes.
    def check_comments(binary)
      JSON.parse(binary.tr("/", "n"), max_nesting: MAX_DEPTH, allow_nan: false, create_additions: false)
    rescue JSON::ParserError
      raise Invalid, "is not valid JSON (a comment)", cause: nil
    end
    private_class_method :json, :check_escapes, :check_comments
  end
end
