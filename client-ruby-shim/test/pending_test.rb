# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

class PendingTest < Minitest::Test
  include TestSupport

  # The real clock, telling the test when the client first sleeps (i.e. is waiting on a pending manifest).
  class SignallingClock < SecretsPrefetch::Clock
    attr_reader :waiting

    def initialize
      super
      @waiting = Queue.new
    end

    def sleep_ms(millis)
      @waiting << true if @waiting.empty?
      super
    end
  end

  def test_pending_manifest_made_ready_by_another_thread_is_read_without_direct_calls
    clock = SignallingClock.new
    @dir.write(pending(clock.epoch_ms + 60_000))
    fetcher = RecordingFetcher.new
    secrets = client(clock: clock, fetcher: fetcher, env: { "SECRETS_PREFETCH_WAIT_MS" => "60000" })

    extension = Thread.new do
      clock.waiting.pop
      @dir.write(ready(generation: 2, db: entry("prod/db", string: "test-db-spv-Ww08")))
    end
    assert_value "test-db-spv-Ww08", secrets.get("db"), "db"
    extension.join

    assert_empty fetcher.calls
    assert_match(/INFO waited \d+ ms for the extension's manifest \(generation 2\)/, @out.string)
  end

  def test_wait_ends_at_the_cap_then_falls_back_polling_from_5_to_50_ms
    clock = FakeClock.new
    @dir.write(pending(clock.epoch_ms + 600_000))
    fetcher = RecordingFetcher.new("db" => "test-direct-db-spv-Gg17")
    secrets = client(clock: clock, fetcher: fetcher, env: { "SECRETS_PREFETCH_WAIT_MS" => "1000" })

    assert_value "test-direct-db-spv-Gg17", secrets.get("db"), "db"
    assert_equal ["db"], fetcher.calls.map(&:secret_id)
    assert_equal [5, 10, 20, 40, 50], clock.sleeps.first(5)
    assert clock.sleeps.all? { |ms| ms.positive? && ms <= 50 }, "polls between 0 and 50 ms"
    assert_in_delta 1000, clock.sleeps.sum, 0.001
    assert_match(/WARN manifest still pending after waiting 1000 ms/, @out.string)
  end

  def test_wait_ends_at_the_manifest_deadline_when_that_is_earlier
    clock = FakeClock.new
    @dir.write(pending(clock.epoch_ms + 300))
    fetcher = RecordingFetcher.new("db" => "test-direct-db-spv-Gg17")
    client(clock: clock, fetcher: fetcher).get("db")

    assert_in_delta 300, clock.sleeps.sum, 1
    assert_equal 1, fetcher.calls.size
  end

  def test_deadline_already_passed_means_no_wait_and_one_warning_per_generation
    clock = FakeClock.new
    @dir.write(pending(clock.epoch_ms - 1))
    fetcher = RecordingFetcher.new("db" => "test-direct-db-spv-Gg17", "api" => "test-direct-api-spv-Hh18")
    secrets = client(clock: clock, fetcher: fetcher)
    secrets.get("db")
    secrets.get("api")
    secrets.get("db")

    assert_empty clock.sleeps
    assert_equal %w[db api], fetcher.calls.map(&:secret_id)
    assert_equal 1, log_lines("WARN").size, "one warning for a stuck generation"
  end

  def test_manifest_removed_while_waiting_means_a_direct_call
    clock = FakeClock.new
    @dir.write(pending(clock.epoch_ms + 10_000))
    fetcher = RecordingFetcher.new("db" => "test-direct-db-spv-Gg17")
    secrets = client(clock: clock, fetcher: fetcher)
    path = @dir.manifest_path
    # The extension shuts down (and removes its directory) while the handler waits.
    clock.define_singleton_method(:sleep_ms) do |ms|
      File.unlink(path) if File.exist?(path)
      super(ms)
    end

    secrets.get("db")
    assert_equal 1, clock.sleeps.size
    assert_equal 1, fetcher.calls.size
  end
end
