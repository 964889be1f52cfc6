# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

# The work of reading a hostile manifest is bounded: linear in its size, and within a small multiple of what
# JSON.parse alone spends on the same bytes, whatever the content (a regular expression over every escape
# once took 18 s for 60 MB of "\n" while every thread's get waited). Measured as a ratio of CPU times in this
# process, side by side, not as wall-clock time: other load on the machine does not move it. The shim needs
# about 4x on escapes and 11-15x on surrogate pairs; the regular expression needed 34-47x (8 to 16 MB).
class ManifestWorkTest < Minitest::Test
  SIZE = 12_000_000
  MAX_RATIO = 20

  HEAD = %({"formatVersion":1,"generation":1,"state":"ready","writtenAtEpochMs":1,"writer":"w","secrets":{})

  def manifest(junk) = %(#{HEAD},"junk":#{junk}}).b

  def cpu_ms
    Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond)
  end

  def test_hostile_manifests_cost_a_small_multiple_of_json_parse
    { "\\n escapes" => %("#{'\n' * (SIZE / 2)}"),
      "one run of backslashes" => %("#{'\\' * SIZE}"),
      "escaped backslashes before letters" => %("#{'\\\\a' * (SIZE / 3)}"),
      "surrogate pairs" => %("#{'\\ud83d\\ude00' * (SIZE / 12)}"),
      "comment look-alikes in strings" => %([#{'"a//b",' * (SIZE / 7)}"x"]) }.each do |shape, junk|
      bytes = manifest(junk)
      started = cpu_ms
      JSON.parse(bytes)
      parsed = cpu_ms
      assert_equal 1, SecretsPrefetch::Manifest.parse(bytes).generation, shape
      read = cpu_ms
      ratio = (read - parsed) / [parsed - started, 1.0].max
      assert_operator ratio, :<=, MAX_RATIO, "#{shape}: #{(read - parsed).round} ms CPU, JSON.parse " \
                                             "#{(parsed - started).round} ms"
    end
  end
end
