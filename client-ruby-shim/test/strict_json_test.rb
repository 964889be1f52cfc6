# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "support/reference_json"

# StrictJson, the one JSON reader of the manifest and of JSON secrets, against ReferenceJson, a plain byte-by-byte
# reader of the same rules: generated documents and damaged ones must get the same verdict, and the same value
# when valid. A failure prints its seed; STRICT_JSON_SEED=<seed> replays the run.
class StrictJsonTest < Minitest::Test
  SEED = Integer(ENV.fetch("STRICT_JSON_SEED", Random.new_seed.to_s[0, 9]))
  DOCUMENTS = 3000

  # String content that exercises every rule: escapes valid and not, backslash runs, surrogates whole and halved,
  # comment look-alikes, raw Unicode and raw control characters.
  FRAGMENTS = ["a", "prod/db", "é", "漢", "🔑", " ", "\\n", "\\\"", "\\\\", "\\/", "\\b\\f\\r\\t", "\\u00e9",
               "\\u0000", "\\ud83d\\udd11", "\\uD83D\\uDD11", "\\ud800", "\\udc00", "\\ud800\\u0041",
               "\\ud800\\ud800\\udc00", "\\ud800\\udc00\\udc00", "\\\\ud800", "\\\\\\ud800\\udc00", "\\x", "\\q",
               "\\\\x", "\\\\\\x", "\\\\\\\\", "\\u12", "\\", "//", "/*", "*/", "\u0001", "\t", "\u2028", "\\'"].freeze
  NUMBERS = %w[0 -0 1 -1 1.10 1e2 1E+2 -2.5e-3 12345678901234567890 0.0 01 1. .5 - +1 1e NaN Infinity].freeze
  KEYS = %w[a b c formatVersion secrets].freeze
  NOISE = ["\"", "\\", "/", "*", "{", "}", "[", "]", ",", ":", "u", "d", "8", "c", " ", "x", "0", "\n",
           "\xEF\xBB\xBF"].freeze

  def test_generated_documents_get_the_reference_verdict_and_value
    random = Random.new(SEED)
    DOCUMENTS.times do |i|
      text = document(random)
      compare(text, "document #{i}")
      compare(damage(text, random), "damaged document #{i}")
    end
  end

  def test_nesting_at_and_past_the_limit
    [99, 100, 101, 150].each do |depth|
      compare("#{'[' * depth}#{']' * depth}", "#{depth} arrays")
      compare("#{'{"a":' * (depth - 1)}{}#{'}' * (depth - 1)}", "#{depth} objects")
    end
  end

  def test_every_rule_names_itself_never_the_text
    { "[\"spv-Sj01\" /* c */]" => "is not valid JSON (a comment)",
      "[\"spv-Sj02\\q\"]" => "is not valid JSON (an escape other than JSON's in a string)",
      "[\"spv-Sj03\\udc00\"]" => "is not valid JSON (half of a surrogate pair in a string)",
      "{\"a\":\"spv-Sj04\",\"a\":1}" => "has a duplicate key",
      "[\"spv-Sj05\"" => "is not valid JSON",
      "\uFEFF[\"spv-Sj06\"]" => "starts with a byte order mark",
      "[\"spv-Sj07\xFF\"]".b => "is not UTF-8 text",
      "#{'[' * 101}\"spv-Sj08\"#{']' * 101}" => "is nested deeper than 100 levels" }.each do |text, message|
      error = assert_raises(SecretsPrefetch::StrictJson::Invalid) { SecretsPrefetch::StrictJson.parse(text) }
      assert_equal message, error.message
      assert_nil error.cause
    end
  end

  private

  def compare(text, what)
    expected = begin
      [:valid, ReferenceJson.parse(text)]
    rescue ReferenceJson::Invalid => e
      [:invalid, e.message]
    end
    actual = begin
      [:valid, SecretsPrefetch::StrictJson.parse(text)]
    rescue SecretsPrefetch::StrictJson::Invalid => e
      [:invalid, e.message]
    end
    assert_equal expected.first, actual.first, "#{what} (seed #{SEED}): reference says " \
                                               "#{expected.inspect[0, 120]}, StrictJson #{actual.inspect[0, 120]}"
    assert expected.last == actual.last, "#{what} (seed #{SEED}): values differ" if expected.first == :valid
  end

  def document(random, depth = 0)
    space = ->(out) { out << [" ", "", "\n", "\t ", "\r\n"].sample(random: random) }
    out = +""
    space.(out)
    out << value(random, depth)
    space.(out)
    out
  end

  def value(random, depth)
    case depth > 4 ? random.rand(3) : random.rand(6)
    when 0 then string(random)
    when 1 then NUMBERS.sample(random: random)
    when 2 then %w[true false null].sample(random: random)
    when 3 then "[#{Array.new(random.rand(4)) { document(random, depth + 1) }.join(',')}]"
    else
      members = Array.new(random.rand(4)) { "#{string(random, KEYS)}:#{document(random, depth + 1)}" }
      "{#{members.join(',')}}"
    end
  end

  def string(random, pool = nil)
    return "\"#{pool.sample(random: random)}\"" if pool && random.rand(4).positive?

    "\"#{Array.new(random.rand(5)) { FRAGMENTS.sample(random: random) }.join}\""
  end

  def damage(text, random)
    bytes = text.b
    random.rand(1..3).times do
      at = random.rand(bytes.bytesize + 1)
      case random.rand(3)
      when 0 then bytes.insert(at, NOISE.sample(random: random).b)
      when 1 then bytes[at, 1] = "" if at < bytes.bytesize
      else bytes[at, 1] = NOISE.sample(random: random).b if at < bytes.bytesize
      end
    end
    bytes
  end
end
