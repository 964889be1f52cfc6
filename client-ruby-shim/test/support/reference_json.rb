# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# The oracle of the strict-JSON property test: RFC 8259 with the manifest's rules (docs/manifest.md, "Syntax"),
# written the plainest way, one byte at a time, so that it is easy to check by reading and to trust. It is far
# too slow for the shim; StrictJson must reach exactly its verdicts and values.
class ReferenceJson
  class Invalid < StandardError; end

  MAX_DEPTH = 100
  WHITESPACE = [0x20, 0x09, 0x0A, 0x0D].freeze
  ESCAPES = { '"' => '"', "\\" => "\\", "/" => "/", "b" => "\b", "f" => "\f", "n" => "\n", "r" => "\r",
              "t" => "\t" }.freeze

  def self.parse(bytes)
    new(bytes.b).document
  end

  def initialize(bytes)
    @bytes = bytes
    @pos = 0
  end

  def document
    fail_with("not UTF-8") unless @bytes.dup.force_encoding(Encoding::UTF_8).valid_encoding?
    skip_whitespace
    value = value(1)
    skip_whitespace
    fail_with("content after the document") unless @pos == @bytes.bytesize
    value
  end

  private

  def fail_with(why) = raise(Invalid, why)
  def peek = @bytes.getbyte(@pos)

  def skip_whitespace
    @pos += 1 while WHITESPACE.include?(peek)
  end

  def expect(text)
    fail_with("expected #{text}") unless @bytes.byteslice(@pos, text.bytesize) == text

    @pos += text.bytesize
  end

  def value(depth)
    case peek
    when 0x7B then object(depth)
    when 0x5B then array(depth)
    when 0x22 then string
    when 0x74 then expect("true") && true
    when 0x66 then expect("false") && false
    when 0x6E then expect("null") && nil
    else number
    end
  end

  def object(depth)
    fail_with("too deep") if depth > MAX_DEPTH
    expect("{")
    result = {}
    skip_whitespace
    return (@pos += 1) && result if peek == 0x7D

    loop do
      skip_whitespace
      fail_with("key is not a string") unless peek == 0x22
      key = string
      fail_with("duplicate key") if result.key?(key)
      skip_whitespace
      expect(":")
      skip_whitespace
      result[key] = value(depth + 1)
      skip_whitespace
      break if peek == 0x7D

      expect(",")
    end
    @pos += 1
    result
  end

  def array(depth)
    fail_with("too deep") if depth > MAX_DEPTH
    expect("[")
    result = []
    skip_whitespace
    return (@pos += 1) && result if peek == 0x5D

    loop do
      skip_whitespace
      result << value(depth + 1)
      skip_whitespace
      break if peek == 0x5D

      expect(",")
    end
    @pos += 1
    result
  end

  def number
    start = @pos
    @pos += 1 if peek == 0x2D
    if peek == 0x30
      @pos += 1
    elsif peek&.between?(0x31, 0x39)
      @pos += 1 while peek&.between?(0x30, 0x39)
    else
      fail_with("not a value")
    end
    decimal = fraction | exponent
    text = @bytes.byteslice(start, @pos - start)
    decimal ? Float(text) : Integer(text, 10)
  end

  def fraction
    return false unless peek == 0x2E

    @pos += 1
    digits
  end

  def exponent
    return false unless [0x65, 0x45].include?(peek)

    @pos += 1
    @pos += 1 if [0x2B, 0x2D].include?(peek)
    digits
  end

  def digits
    fail_with("digits expected") unless peek&.between?(0x30, 0x39)
    @pos += 1 while peek&.between?(0x30, 0x39)
    true
  end

  def string
    expect('"')
    out = +"".b
    loop do
      byte = peek or fail_with("unterminated string")
      @pos += 1
      case byte
      when 0x22 then return out.force_encoding(Encoding::UTF_8)
      when 0x5C then out << escape
      when 0x00..0x1F then fail_with("control character")
      else out << byte
      end
    end
  end

  def escape
    letter = peek&.chr or fail_with("unterminated escape")
    @pos += 1
    return ESCAPES.fetch(letter).b if ESCAPES.key?(letter)

    fail_with("unknown escape") unless letter == "u"
    code = hex4
    if code.between?(0xD800, 0xDBFF)
      expect("\\u")
      low = hex4
      fail_with("high surrogate without a low one") unless low.between?(0xDC00, 0xDFFF)
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    elsif code.between?(0xDC00, 0xDFFF)
      fail_with("low surrogate alone")
    end
    [code].pack("U").b
  end

  def hex4
    text = @bytes.byteslice(@pos, 4).to_s
    fail_with("\\u needs four hex digits") unless text.match?(/\A\h{4}\z/)

    @pos += 4
    text.to_i(16)
  end
end
