# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

# Every golden file in fixtures/manifest reads as fixtures/manifest/expectations.json says: the same files
# and the same expectations as client-java's GoldenManifestFixturesTest.
class GoldenFixturesTest < Minitest::Test
  include TestSupport

  EXPECTATIONS = JSON.parse(File.read(File.join(TestSupport::FIXTURES, "expectations.json")))

  def test_every_fixture_file_has_an_expectation
    files = Dir.children(TestSupport::FIXTURES).select { |f| f.end_with?(".json") } - ["expectations.json"]
    refute_empty files
    files.each { |f| assert EXPECTATIONS.key?(f), "#{f} has no entry in expectations.json" }
    EXPECTATIONS.each_key { |f| assert File.file?(File.join(TestSupport::FIXTURES, f)), "#{f} is missing" }
  end

  EXPECTATIONS.each do |file, expected|
    define_method("test_fixture_#{file.delete_suffix('.json').tr('-', '_')}_reads_as_#{expected['outcome'].tr('-', '_')}") do
      check(file, expected)
    end
  end

  private

  def check(file, expected)
    bytes = File.binread(File.join(TestSupport::FIXTURES, file))
    case expected["outcome"]
    when "corrupt", "unknown-version"
      error = assert_raises(SecretsPrefetch::Manifest::FormatError) { SecretsPrefetch::Manifest.parse(bytes) }
      assert_equal expected["outcome"] == "unknown-version", error.unknown_version?, error.message
    when "pending"
      manifest = SecretsPrefetch::Manifest.parse(bytes)
      assert manifest.pending?
      assert_equal expected["generation"], manifest.generation
      assert_equal expected["deadlineEpochMs"], manifest.deadline_epoch_ms
    when "ready"
      check_ready(SecretsPrefetch::Manifest.parse(bytes), expected)
    else
      flunk "unknown outcome #{expected['outcome']} for #{file}"
    end
  end

  def check_ready(manifest, expected)
    refute manifest.pending?
    assert_equal expected["generation"], manifest.generation
    assert_equal expected["entries"].keys.sort, manifest.secrets.keys.sort
    expected["entries"].each do |name, want|
      entry = manifest.secrets.fetch(name)
      if want.key?("parameter")
        assert_equal [nil, want["parameter"]], [entry.secret_id, entry.parameter], name
      else
        assert_equal [want["secretId"], nil], [entry.secret_id, entry.parameter], name
      end
      case want["kind"]
      when "string"
        refute entry.failed?, name
        refute entry.value.binary?, name
        assert_value want["value"], entry.value.data, name
      when "binary"
        assert entry.value.binary?, name
        assert_value want["base64"].unpack1("m0"), entry.value.data, name
      when "error"
        assert entry.failed?, name
        assert_equal want["code"], entry.error_code, name
      else
        flunk "unknown kind for #{name}"
      end
    end
    (expected["resolve"] || {}).each do |asked, wanted|
      resolved = manifest.resolve(asked)
      if wanted.nil?
        assert_nil resolved, "resolve #{asked}"
      else
        assert_same manifest.secrets.fetch(wanted), resolved, "resolve #{asked}"
      end
    end
  end
end

# The same golden files, read through the whole client: values come from the manifest without a single
# direct call; anything else falls back, with one warning for an unusable file.
class GoldenFixturesThroughClientTest < Minitest::Test
  include TestSupport

  GoldenFixturesTest::EXPECTATIONS.each do |file, expected|
    define_method("test_client_reading_#{file.delete_suffix('.json').tr('-', '_')}") do
      @dir.copy_fixture(file)
      fetcher = RecordingFetcher.new("prod/missing" => "test-direct-missing-spv-Ux2a",
                                     "/prod/missing" => "test-direct-missing-spv-Ux2a", "db" => "test-direct-db-spv-Lw4a")
      secrets = client(fetcher: fetcher)
      case expected["outcome"]
      when "ready" then check_values(secrets, fetcher, expected)
      when "pending" then check_pending(secrets, fetcher)
      else check_unusable(secrets, fetcher)
      end
    end
  end

  private

  def check_values(secrets, fetcher, expected)
    expected["entries"].each do |name, want|
      next if name.empty? # a name no handler can ask for; hostile-names.json resolves it by its secretId

      case want["kind"]
      when "string" then assert_value want["value"], secrets.get(name), name
      when "binary" then assert_value want["base64"].unpack1("m0"), secrets.get_binary(name), name
      when "error" then assert_value "test-direct-missing-spv-Ux2a", secrets.get(name), name
      end
    end
    errors = expected["entries"].values.select { |e| e["kind"] == "error" }
    assert_equal errors.map { |e| [e["parameter"] || e["secretId"], e.key?("parameter")] },
                 fetcher.calls.map { |c| [c.secret_id, c.parameter] }, "direct calls for error entries only"
    refute_leaks @out.string, *expected["entries"].values.filter_map { |e| e["value"] }
  end

  def check_pending(secrets, fetcher)
    assert_value "test-direct-db-spv-Lw4a", secrets.get("db"), "db"
    assert_equal ["db"], fetcher.calls.map(&:secret_id)
    assert_equal 1, log_lines("WARN").size, "one warning"
  end

  def check_unusable(secrets, fetcher)
    2.times { assert_value "test-direct-db-spv-Lw4a", secrets.get("db"), "db" }
    assert_equal 1, fetcher.calls.size, "second get is served from the fallback cache"
    warnings = log_lines("WARN")
    assert_equal 1, warnings.size, "one warning"
    assert_includes warnings.first, "manifest #{@dir.manifest_path} ignored"
    refute_leaks @out.string, "fixture-db-password-spv-Zq7vK2", "fixture-a-spv-Kd8s"
  end
end
