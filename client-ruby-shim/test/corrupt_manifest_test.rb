# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

class CorruptManifestTest < Minitest::Test
  include TestSupport

  def test_unusable_manifests_warn_once_per_process_and_fall_back
    clock = FakeClock.new
    fetcher = RecordingFetcher.new("a" => "test-a-spv-Dd40", "b" => "test-b-spv-Ee50")
    secrets = client(clock: clock, fetcher: fetcher)

    @dir.write('{"formatVersion": 1, "generation": 1, "state": "ready", "secrets": {"x": {"secretString": "test-leak-spv-Ff60"')
    secrets.get("a")
    @dir.copy_fixture("unknown-version.json")
    clock.advance(1000)
    secrets.get("b")

    assert_equal 2, fetcher.calls.size
    warnings = log_lines("WARN")
    assert_equal 1, warnings.size, "one warning per process"
    assert_includes warnings.first, "manifest is not valid JSON (truncated, or not a manifest)"
    refute_leaks @out.string, "test-leak-spv-Ff60"
  end

  def test_warning_names_the_problem
    [[ready(db: { "secretId" => "prod/db", "fetchedAtEpochMs" => 1 }),
      "manifest secrets entry 1 must have exactly one of secretString, secretBinary and error, has 0"],
     [ready(db: entry("prod/db", string: "test-x-spv-Gg70", versionStages: "AWSCURRENT")),
      "manifest secrets entry 1 field versionStages must be an array, is a string"],
     [ready.merge("generation" => 0), "manifest field generation must be at least 1"],
     [ready.merge("formatVersion" => 7), "manifest formatVersion 7 is not supported"],
     [ready.merge("state" => "done"), 'manifest field state must be "pending" or "ready"'],
     [ready(db: entry("prod/db", binary: "spv-Cm01")).tap { |m| m["secrets"]["db"]["secretBinary"] = "!!" },
      "secretBinary is not valid base64"],
     # "c3B2LUNtMDE=" is canonical; "F" for "E" sets bits a decoder must drop, which Java's alone would accept.
     [ready(db: entry("prod/db", binary: "spv-Cm01")).tap { |m| m["secrets"]["db"]["secretBinary"] = "c3B2LUNtMDF=" },
      "secretBinary is not valid base64"],
     ["\xFF\xFE".b, "manifest is not UTF-8 text"]].each do |manifest, problem|
      @dir.write(manifest)
      @out = StringIO.new
      client(fetcher: RecordingFetcher.new("db" => "test-direct-spv-Hh80")).get("db")
      assert_includes log_lines("WARN").first.to_s, problem
    end
  end

  def test_unreadable_manifest_is_treated_as_absent
    Dir.mkdir(@dir.manifest_path) # a path that stats fine but cannot be read as a file, even by root
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Hh80")
    assert_value "test-direct-spv-Hh80", client(fetcher: fetcher).get("db"), "db"
    assert_includes log_lines("WARN").first.to_s, "is not a regular file"
  end

  def test_unpadded_base64_is_accepted_like_the_java_reader_does
    value = "spv-Cm02ab".b
    manifest = ready(db: entry("prod/db", binary: value))
    manifest["secrets"]["db"]["secretBinary"] = [value].pack("m0").delete("=")
    @dir.write(manifest)
    assert_value value, client.get_binary("db"), "db"
  end
end
