# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

class GenerationTest < Minitest::Test
  include TestSupport

  def test_new_generation_is_picked_up_once_the_one_second_recheck_is_due
    clock = FakeClock.new
    @dir.write(ready(generation: 1, db: entry("prod/db", string: "test-gen1-spv-Aa10")))
    secrets = client(clock: clock)
    assert_value "test-gen1-spv-Aa10", secrets.get("db"), "db generation 1"

    @dir.write(ready(generation: 2, db: entry("prod/db", string: "test-gen2-spv-Bb20")))
    clock.advance(999)
    assert_value "test-gen1-spv-Aa10", secrets.get("db"), "db within the second (file not checked again)"
    clock.advance(1)
    assert_value "test-gen2-spv-Bb20", secrets.get("db"), "db generation 2"
    assert_includes @out.string, "generation 2, ready, 1 secrets"
  end

  def test_unchanged_file_is_not_read_again
    clock = FakeClock.new
    @dir.write(ready(db: entry("prod/db", string: "test-gen1-spv-Aa10")))
    secrets = client(clock: clock)
    3.times do
      secrets.get("db")
      clock.advance(1000)
    end
    assert_equal 1, @out.string.scan("read: generation 1").size
  end

  def test_manifest_appearing_later_is_used_and_disappearing_means_direct_calls
    clock = FakeClock.new
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Cc30")
    secrets = client(clock: clock, fetcher: fetcher)
    assert_value "test-direct-spv-Cc30", secrets.get("db"), "db before the manifest"

    @dir.write(ready(db: entry("prod/db", string: "test-gen1-spv-Aa10")))
    clock.advance(1000)
    assert_value "test-gen1-spv-Aa10", secrets.get("db"), "db from the manifest"

    File.unlink(@dir.manifest_path)
    clock.advance(1000)
    assert_value "test-direct-spv-Cc30", secrets.get("db"), "db after the manifest is gone (cached direct value)"
    assert_equal 1, fetcher.calls.size
  end
end
