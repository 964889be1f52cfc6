# frozen_string_literal: true

require "test_helper"

class ThreadSafetyTest < Minitest::Test
  include TestSupport

  # Every reading of the clock is a second later, so every get checks the file again.
  class RacingClock < FakeClock
    def monotonic_ms
      advance(1000)
      super
    end
  end

  def test_readers_see_a_whole_generation_while_the_manifest_is_replaced_under_them
    values = { 1 => "test-gen-odd-spv-Ii90", 0 => "test-gen-even-spv-Jj91" }
    manifest = ->(gen) { ready(generation: gen, db: entry("prod/db", string: values[gen % 2])) }
    @dir.write(manifest.(1))
    fetcher = RecordingFetcher.new
    secrets = client(clock: RacingClock.new, fetcher: fetcher, env: { "SECRETS_PREFETCH_LOG_LEVEL" => "info" })

    writing = true
    started = Queue.new
    readers = Array.new(6) do
      Thread.new do
        seen = [secrets.get("db")]
        started << true
        seen << secrets.get("db") while writing || seen.size < 50
        seen
      end
    end
    6.times { started.pop } # every reader is reading before the first replacement
    2.upto(60) { |gen| @dir.write(manifest.(gen)) }
    writing = false
    seen = readers.flat_map(&:value)

    assert seen.all? { |v| values.value?(v) }, "every value read is one whole generation's"
    assert_empty fetcher.calls
    assert_empty @out.string, "no warning: readers never saw a partial file"
  end

  def test_concurrent_direct_calls_share_one_cache
    fetcher = RecordingFetcher.new("prod/a" => "test-a-spv-Kk92")
    secrets = client(fetcher: fetcher)
    results = Array.new(8) { Thread.new { Array.new(50) { secrets.get("prod/a") } } }.flat_map(&:value)

    assert results.all? { |v| v == "test-a-spv-Kk92" }, "every thread got the value"
    assert_operator fetcher.calls.size, :<=, 8, "at most one call per thread before the cache is filled"
  end
end
