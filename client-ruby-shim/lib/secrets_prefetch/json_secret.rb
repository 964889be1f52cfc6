# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "strscan"
require_relative "strict_json"

module SecretsPrefetch
  # get_json and get_field on a secret's text, as every client reads JSON secrets
  # (fixtures/client-contract/json-values.json): strict JSON (StrictJson); a field's string comes back decoded,
  # any other value as its text exactly as written (numbers are never rounded); a null field is no field.
  # Loaded on the first get_json or get_field. Errors name the secret and the rule, never the text.
  # @api private
  module JsonSecret
    WHITESPACE = /[ \t\n\r]*/.freeze
    STRING = /"(?:[^"\\]++|\\.)*+"/m.freeze
    OPEN = /[\[{]/.freeze
    CLOSE = /[\]}]/.freeze
    SCALAR = /[^\s,:\[\]{}"]+/.freeze
    SEPARATORS = /[\s,:]+/.freeze
    private_constant :WHITESPACE, :STRING, :OPEN, :CLOSE, :SCALAR, :SEPARATORS

    module_function

    # The JSON value of +text+, anything but a top-level null, as new plain Ruby objects (Hash, Array, String,
    # Integer, Float, true, false).
    # @raise [InvalidJsonError]
    def value(name, text)
      value = parse(name, text)
      raise InvalidJsonError.new("secret \"#{name}\" is the JSON literal null", secret_name: name) if value.nil?

      plain(value)
    end

    # Top-level field +field+ of the JSON object +text+, as a new String.
    # @raise [InvalidJsonError] if +text+ is not a JSON object
    # @raise [MissingFieldError] if it has no such field, or the field is null
    def field(name, text, field)
      object = parse(name, text)
      unless object.is_a?(Hash)
        raise InvalidJsonError.new("secret \"#{name}\" is JSON but not an object (#{kind(object)})", secret_name: name)
      end

      found = object[field]
      raise MissingFieldError.new("secret \"#{name}\" has no field \"#{field}\"", secret_name: name) if found.nil?
      return found.dup if found.is_a?(String)

      member_text(text, object.keys.index(field))
    end

    def parse(name, text)
      StrictJson.parse(text)
    rescue StrictJson::Invalid => e
      raise InvalidJsonError.new("secret \"#{name}\" #{e.message}", secret_name: name), cause: nil
    end

    # StrictJson's objects refuse to overwrite a key; the caller gets ordinary ones.
    def plain(value)
      case value
      when Hash then value.each_with_object({}) { |(k, v), out| out[k] = plain(v) }
      when Array then value.map { |item| plain(item) }
      else value
      end
    end

    # The text of the +index+th member's value of the (valid) JSON object +text+: members come in the order the
    # parsed object has its keys, which are unique.
    def member_text(text, index)
      scanner = StringScanner.new(text)
      scanner.skip(WHITESPACE)
      scanner.skip(OPEN)
      index.succ.times do |i|
        scanner.skip(SEPARATORS) unless i.zero?
        scanner.skip(WHITESPACE)
        scanner.skip(STRING)
        scanner.skip(SEPARATORS)
        start = scanner.pos
        skip_value(scanner)
        return text.byteslice(start, scanner.pos - start) if i == index
      end
    end

    def skip_value(scanner)
      depth = 0
      loop do
        if scanner.skip(OPEN) then depth += 1
        elsif scanner.skip(CLOSE) then depth -= 1
        elsif !(scanner.skip(STRING) || scanner.skip(SCALAR)) then scanner.skip(SEPARATORS)
        end
        return if depth.zero?
      end
    end

    def kind(value)
      case value
      when Array then "an array"
      when String then "a string"
      when Numeric then "a number"
      when nil then "null"
      else "a boolean"
      end
    end
    private_class_method :parse, :plain, :member_text, :skip_value, :kind
  end
end
