# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

class ThreadSafetyTest < Minitest::Test
  include TestSupport

  READERS = 16
  GENERATIONS = 40
  VALUE = /\Atest-gen-(\d+)-spv-Ii90\z/.freeze

  # The Ruby counterpart of client-java's ConcurrentReplacementTest, with fewer threads (Ruby threads share one
  # interpreter lock): readers see one whole generation at a time, never going back; the manifest's values never
  # cause a direct call; the one error entry causes exactly one, however many threads ask at once.
  def test_readers_see_a_whole_generation_while_the_manifest_is_replaced_under_them
    manifest = lambda do |gen|
      ready(generation: gen, db: entry("prod/db", string: "test-gen-#{gen}-spv-Ii90"),
            padding: entry("prod/padding", string: "spv-Pad0#{'x' * (gen % 7 * 100)}"),
            gone: entry("prod/gone", error: "ThrottlingException"))
    end
    @dir.write(manifest.(1))
    clock = FakeClock.new
    fetcher = RecordingFetcher.new("prod/gone" => "test-direct-gone-spv-Ii91")
    secrets = client(clock: clock, fetcher: fetcher, env: { "SECRETS_PREFETCH_LOG_LEVEL" => "warn" })

    writing = true
    started = Queue.new
    readers = Array.new(READERS) { Thread.new { read(secrets, started) { writing } } }
    READERS.times { started.pop } # every reader is reading before the first replacement
    2.upto(GENERATIONS) do |gen|
      @dir.write(manifest.(gen))
      clock.advance(1000) # a re-check interval, so readers do re-read under the writer
    end
    writing = false
    generations = readers.flat_map(&:value)

    assert_operator generations.uniq.size, :>, 1, "readers read under the writer"
    clock.advance(1000)
    assert_value "test-gen-#{GENERATIONS}-spv-Ii90", secrets.get("db"), "db at the end"
    assert_equal ["prod/gone"], fetcher.calls.map(&:secret_id), "one direct call in all, for the error entry"
    assert_empty @out.string, "no warning: readers never saw a partial file"
  end

  def test_concurrent_direct_calls_share_one_call
    fetcher = RecordingFetcher.new("prod/a" => "test-a-spv-Kk92")
    secrets = client(fetcher: fetcher)
    results = Array.new(8) { Thread.new { Array.new(50) { secrets.get("prod/a") } } }.flat_map(&:value)

    assert results.all? { |v| v == "test-a-spv-Kk92" }, "every thread got the value"
    assert_equal 1, fetcher.calls.size, "threads that miss together wait for the one call"
  end

  private

  # Reads db (and gone) until the writer is done; returns the generations seen, failing on a torn value.
  def read(secrets, started)
    seen = []
    loop do
      value = secrets.get("db")
      match = VALUE.match(value)
      raise "value of db is not one that was written" unless match

      generation = match[1].to_i
      raise "generation went back from #{seen.last} to #{generation}" if seen.last && generation < seen.last

      seen << generation
      raise "value of gone differs" unless secrets.get("gone") == "test-direct-gone-spv-Ii91"

      started << true if seen.size == 1
      break if !yield && seen.size >= 3
    end
    seen
  end
end
