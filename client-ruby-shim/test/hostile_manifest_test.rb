# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "minitest/mock"
require "timeout"

# Manifests no extension would write, and content that is legal but extreme: the reader either serves exactly
# what is there or treats the file as absent with one warning that names the problem and never the content.
# client-java's HostileManifestTest checks the same cases; fixtures/manifest pins the syntax rules for both.
class HostileManifestTest < Minitest::Test
  include TestSupport

  TYPES = { "an integer" => 7, "a decimal number" => 1.5, "a string" => "spv-Wr0ng", "a boolean" => true,
            "null" => nil, "an object" => {}, "an array" => [] }.freeze

  def base
    ready(generation: 3,
          db: entry("prod/db", string: "test-db-spv-Ht01", arn: "arn:aws:secretsmanager:us-east-1:1:secret:prod/db",
                               versionId: "v1", versionStages: ["AWSCURRENT"], requestedVersionStage: "AWSCURRENT"),
          key: entry("prod/key", binary: "spv-Ht02\x00\x01".b),
          gone: entry("prod/gone", error: "ResourceNotFoundException"))
  end

  # Every field a reader looks at, with the type it must have and what the warning calls it.
  FIELDS = {
    ["formatVersion"] => [Integer, "formatVersion"], ["generation"] => [Integer, "generation"],
    ["state"] => [String, "state"], ["writtenAtEpochMs"] => [Integer, "writtenAtEpochMs"],
    ["writer"] => [String, "writer"], ["secrets"] => [Hash, "secrets"],
    %w[secrets db] => [Hash, "secrets entry 1"], %w[secrets db secretId] => [String, "secretId"],
    %w[secrets db arn] => [String, "arn"], %w[secrets db versionId] => [String, "versionId"],
    %w[secrets db versionStages] => [Array, "versionStages"],
    ["secrets", "db", "versionStages", 0] => [String, "versionStages"],
    %w[secrets db requestedVersionStage] => [String, "requestedVersionStage"],
    %w[secrets db fetchedAtEpochMs] => [Integer, "fetchedAtEpochMs"],
    %w[secrets db secretString] => [String, "secretString"],
    %w[secrets key secretBinary] => [String, "secretBinary"], %w[secrets gone error] => [Hash, "error"],
    %w[secrets gone error code] => [String, "error.code"], %w[secrets gone error message] => [String, "error.message"]
  }.freeze

  def parse(manifest)
    SecretsPrefetch::Manifest.parse(manifest.is_a?(String) ? manifest : JSON.generate(manifest))
  end

  def refute_parses(manifest, problem)
    error = assert_raises(SecretsPrefetch::Manifest::FormatError) { parse(manifest) }
    refute error.unknown_version?, error.message
    assert_includes error.message, problem
    refute_match MARKER, error.message, "a value in the message"
    error
  end

  def test_a_wrong_type_at_every_level_is_corrupt_and_named
    assert_equal 3, parse(base).generation
    FIELDS.each do |path, (type, name)|
      TYPES.each do |description, wrong|
        next if wrong.is_a?(type)

        manifest = base
        *parents, last = path
        parents.reduce(manifest) { |node, key| node[key] }[last] = wrong
        refute_parses(manifest, name)
        refute_parses(manifest, "is #{description}")
      end
    end
  end

  def test_integers_outside_64_bits_are_corrupt
    refute_parses(base.merge("generation" => 2**63), "must be an integer from -9223372036854775808")
    refute_parses(base.tap { |m| m["secrets"]["db"]["fetchedAtEpochMs"] = -(2**63) - 1 }, "fetchedAtEpochMs")
    assert_equal 2**63 - 1, parse(base.merge("generation" => 2**63 - 1)).generation
  end

  def test_future_format_versions_are_unknown_whatever_their_shape
    [{ "formatVersion" => 2 }, { "formatVersion" => 2**40, "secrets" => [1, 2] }].each do |doc|
      error = assert_raises(SecretsPrefetch::Manifest::FormatError) { parse(doc) }
      assert error.unknown_version?, error.message
    end
  end

  def test_truncated_at_every_byte_is_corrupt_never_a_crash
    text = JSON.generate(base)
    (0...text.bytesize).step(7) { |cut| refute_parses(text.byteslice(0, cut), "manifest") }
  end

  def test_deeply_nested_junk_is_corrupt_and_does_not_overflow_the_stack
    refute_parses(%({"formatVersion":1,"junk":#{'[' * 100_000}), "nested deeper than 100 levels")
    refute_parses(%({"formatVersion":1,"junk":#{'{"a":' * 5000}1#{'}' * 5000}}), "nested deeper than 100 levels")
  end

  def test_duplicate_keys_are_corrupt_at_every_level
    refute_parses(%({"formatVersion":1,"formatVersion":1}), "duplicate key")
    refute_parses(%({"formatVersion":1,"junk":{"x":[{"a":1,"a":2}]}}), "duplicate key")
  end

  def test_json_extensions_ruby_would_accept_are_corrupt
    valid = JSON.generate(base)
    refute_parses(valid.sub("{", "{ // note\n"), "a comment")
    refute_parses(valid.sub("{", '{"junk":"\\q",'), "an escape other than JSON's in a string")
    refute_parses(valid.sub("{", '{"junk":"\\ud800",'), "not valid JSON")
    refute_parses("\uFEFF#{valid}", "byte order mark")
    refute_parses("#{valid} {}", "not valid JSON")
  end

  def test_names_and_ids_are_data_never_paths
    names = { "../../etc/passwd" => "../x", "a/b/c" => "prod/a/b", "nul\u0000name" => "prod/\u0000",
              "é漢🔑" => "prod/ünï", "long-#{'n' * 10_000}" => "prod/#{'i' * 10_000}" }
    values = names.keys.to_h { |name| [name, fake_value("test-hostile-name")] }
    @dir.write(ready(**names.to_h { |name, id| [name.to_sym, entry(id, string: values[name])] }))
    fetcher = RecordingFetcher.new
    secrets = client(fetcher: fetcher)

    names.each do |name, id|
      assert_value values[name], secrets.get(name), "entry #{name.length} chars"
      assert_value values[name], secrets.get(id), "entry by secret id #{id.length} chars"
    end
    assert_empty fetcher.calls
    assert_equal [], Dir.children(@dir.path) - ["manifest.json"], "nothing was written anywhere"
  end

  # 64 KB (65,536 bytes) is the largest value Secrets Manager stores, string or binary.
  def test_values_of_64_kb_and_every_byte_value_come_back_exactly
    text = "#{fake_value('test-64k')} #{"é漢🔑\u0000\"\\\n" * 3000}"
    text += "x" * (65_536 - text.bytesize)
    binary = fake_binary("")
    binary += ((0..255).to_a.pack("C*") * 256).byteslice(0, 65_536 - binary.bytesize)
    @dir.write(ready(text: entry("prod/text", string: text), bin: entry("prod/bin", binary: binary)))
    secrets = client

    assert_equal [65_536, 65_536], [text.bytesize, binary.bytesize]
    assert_value text, secrets.get("text"), "text"
    assert_value binary, secrets.get_binary("bin"), "bin"
    refute_leaks @out.string.b, text.b, binary
  end

  def test_a_huge_file_is_refused_unread_with_one_warning
    File.open(@dir.manifest_path, "wb") { |f| f.truncate(SecretsPrefetch::ManifestSource::MAX_BYTES + 1) }
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Ht03")
    assert_value "test-direct-spv-Ht03", client(fetcher: fetcher).get("db"), "db"
    warnings = log_lines("WARN")
    assert_equal 1, warnings.size
    assert_includes warnings.first, "more than a manifest can be (67108864)"
  end

  def test_a_symbolic_link_at_the_manifest_path_is_never_followed
    target = File.join(@dir.path, "elsewhere.json")
    File.write(target, JSON.generate(ready(db: entry("prod/db", string: "test-via-link-spv-Ht04"))))
    File.symlink(target, @dir.manifest_path)
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Ht05")
    secrets = client(fetcher: fetcher)

    assert_value "test-direct-spv-Ht05", secrets.get("db"), "db"
    assert_equal 1, log_lines("WARN").size
    assert_includes log_lines("WARN").first, "is a symbolic link, which readers never follow"
  end

  def test_a_fifo_at_the_manifest_path_is_never_opened
    File.mkfifo(@dir.manifest_path) # opening it would block until a writer came
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Ht13")
    Timeout.timeout(10) { assert_value "test-direct-spv-Ht13", client(fetcher: fetcher).get("db"), "db" }
    assert_equal 1, log_lines("WARN").size
    assert_includes log_lines("WARN").first, "is not a regular file"
  end

  def test_a_link_swapped_in_between_stat_and_open_is_not_followed
    @dir.write(ready(db: entry("prod/db", string: "test-real-spv-Ht06")))
    target = File.join(@dir.path, "elsewhere.json")
    File.write(target, JSON.generate(ready(db: entry("prod/db", string: "test-via-link-spv-Ht07"))))
    lstat = File.method(:lstat)
    swap = lambda do |path|
      lstat.call(path).tap do
        File.unlink(path)
        File.symlink(target, path)
      end
    end
    fetcher = RecordingFetcher.new("db" => "test-direct-spv-Ht08")
    File.stub(:lstat, swap) { assert_value "test-direct-spv-Ht08", client(fetcher: fetcher).get("db"), "db" }
    assert_includes log_lines("WARN").first.to_s, "is a symbolic link, which readers never follow"
  end

  def test_a_manifest_replaced_between_stat_and_read_is_kept_with_what_was_read
    @dir.write(ready(generation: 1, db: entry("prod/db", string: "test-old-spv-Ht09")))
    clock = FakeClock.new
    secrets = client(clock: clock)
    lstat = File.method(:lstat)
    replace_once = lambda do |path|
      lstat.call(path).tap { @dir.write(ready(generation: 2, db: entry("prod/db", string: "test-new-spv-Ht10"))) }
    end
    File.stub(:lstat, replace_once) { assert_value "test-new-spv-Ht10", secrets.get("db"), "db" }
    clock.advance(1000)
    assert_value "test-new-spv-Ht10", secrets.get("db"), "db a second later"
    assert_equal 1, @out.string.scan("read: generation 2").size, "the new file is not read twice"
  end

  def test_an_unreadable_directory_falls_back_with_one_warning
    @dir.write(ready(db: entry("prod/db", string: "test-unreachable-spv-Ht11")))
    File.chmod(0o000, @dir.path)
    result = as_unprivileged_user do
      fetcher = RecordingFetcher.new("db" => "test-direct-spv-Ht12")
      secrets = client(fetcher: fetcher)
      2.times { secrets.get("db") }
      { "direct" => secrets.get("db") == "test-direct-spv-Ht12", "calls" => fetcher.calls.size,
        "warnings" => log_lines("WARN") }
    end
    assert result["direct"], "the value came from the direct call"
    assert_equal 1, result["calls"], "one direct call, then the fallback cache"
    assert_equal 1, result["warnings"].size, result["warnings"].inspect
    assert_includes result["warnings"].first, "cannot be read (EACCES)"
  ensure
    File.chmod(0o700, @dir.path)
  end

  private

  # Root reads any file, so the block runs in a forked child as nobody (uid 65534) when the tests run as root.
  def as_unprivileged_user(&block)
    return JSON.parse(JSON.generate(block.call)) unless Process.uid.zero?

    reader, writer = IO.pipe
    pid = fork do
      reader.close
      Process.groups = []
      Process::GID.change_privilege(65_534)
      Process::UID.change_privilege(65_534)
      writer.write(JSON.generate(block.call))
      exit!(0)
    rescue Exception => e # rubocop:disable Lint/RescueException -- report anything to the parent
      writer.write(JSON.generate("error" => "#{e.class}: #{e.message}"))
      exit!(1)
    end
    writer.close
    output = reader.read
    Process.wait(pid)
    JSON.parse(output).tap { |r| flunk("child failed: #{r['error']}") if r["error"] }
  end
end
