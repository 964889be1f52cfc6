# frozen_string_literal: true

require "test_helper"

class CorruptManifestTest < Minitest::Test
  include TestSupport

  def test_unusable_manifests_warn_once_per_process_and_fall_back
    clock = FakeClock.new
    fetcher = RecordingFetcher.new("a" => "test-a-Dd40", "b" => "test-b-Ee50")
    secrets = client(clock: clock, fetcher: fetcher)

    @dir.write('{"formatVersion": 1, "generation": 1, "state": "ready", "secrets": {"x": {"secretString": "test-leak-Ff60"')
    secrets.get("a")
    @dir.copy_fixture("unknown-version.json")
    clock.advance(1000)
    secrets.get("b")

    assert_equal 2, fetcher.calls.size
    warnings = log_lines("WARN")
    assert_equal 1, warnings.size, "one warning per process"
    assert_includes warnings.first, "manifest is not valid JSON (truncated, or not a manifest)"
    refute_leaks @out.string, "test-leak-Ff60"
  end

  def test_warning_names_the_problem
    [[ready(db: { "secretId" => "prod/db", "fetchedAtEpochMs" => 1 }),
      'secrets entry "db" must have exactly one of secretString, secretBinary and error, has 0'],
     [ready(db: entry("prod/db", string: "test-x-Gg70", versionStages: "AWSCURRENT")),
      'manifest secrets entry "db" field versionStages must be an array of strings'],
     [ready.merge("generation" => 0), "manifest field generation must be at least 1"],
     [ready.merge("formatVersion" => 7), "manifest formatVersion 7 is not supported"],
     [ready.merge("state" => "done"), 'manifest field state must be "pending" or "ready"'],
     [ready(db: entry("prod/db", binary: "x")).tap { |m| m["secrets"]["db"]["secretBinary"] = "!!" },
      "secretBinary is not valid base64"],
     ["\xFF\xFE".b, "manifest is not UTF-8 text"]].each do |manifest, problem|
      @dir.write(manifest)
      @out = StringIO.new
      client(fetcher: RecordingFetcher.new("db" => "test-direct-Hh80")).get("db")
      assert_includes log_lines("WARN").first.to_s, problem
    end
  end

  def test_unreadable_manifest_is_treated_as_absent
    Dir.mkdir(@dir.manifest_path) # a path that stats fine but cannot be read as a file, even by root
    fetcher = RecordingFetcher.new("db" => "test-direct-Hh80")
    assert_value "test-direct-Hh80", client(fetcher: fetcher).get("db"), "db"
    assert_includes log_lines("WARN").first.to_s, "cannot be read (EISDIR)"
  end

  def test_unpadded_base64_is_accepted_like_the_java_reader_does
    manifest = ready(db: entry("prod/db", binary: "ab"))
    manifest["secrets"]["db"]["secretBinary"] = "YWI"
    @dir.write(manifest)
    assert_value "ab".b, client.get_binary("db"), "db"
  end
end
