# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
$LOAD_PATH.unshift(__dir__)

require "minitest/autorun"
require "json"
require "stringio"
require "tmpdir"
require "fileutils"
require "secrets_prefetch"

# Shared test support. Assertions on values never print them, and every fake secret value carries a marker,
# "spv-" and 4+ letters or digits (binary values start with one), the suite's one convention
# (docs/reliability.md, "Hygiene"): the hygiene scan at the end of the build looks for markers in every output
# and log file. The helpers that store values refuse unmarked ones.
module TestSupport
  MARKER = /spv-[A-Za-z0-9]{4,}/.freeze
  MARKER_ALPHABET = [*"a".."k", *"m".."z", *"A".."H", *"J".."N", *"P".."Z", *"2".."9"].freeze

  # A new marker: "spv-" and eight random characters.
  def self.marker
    "spv-#{Array.new(8) { MARKER_ALPHABET.sample }.join}"
  end

  # Returns +value+ if it carries a marker (a binary one must start with it); raises, without the value, if not.
  def self.marked(value)
    ok = value.encoding == Encoding::BINARY ? value.match?(/\Aspv-[A-Za-z0-9]{4}/n) : value.match?(MARKER)
    raise ArgumentError, "fake secret value of #{value.bytesize} bytes has no spv- marker; see TestSupport" unless ok

    value
  end

  FIXTURES = File.expand_path(ENV.fetch("SECRETS_PREFETCH_FIXTURES", "../../fixtures/manifest"), __dir__)
  # What every client must do alike (fixtures/client-contract/README.md).
  CONTRACT = File.expand_path(ENV.fetch("SECRETS_PREFETCH_CONTRACT", "../../fixtures/client-contract"), __dir__)
  LIB = File.expand_path("../lib", __dir__)

  # Time that moves only when told to, or when the code under test sleeps.
  class FakeClock
    attr_reader :sleeps

    def initialize(epoch_ms: 1_764_171_600_000)
      @monotonic = 1_000_000.0
      @epoch = epoch_ms
      @sleeps = []
      @lock = Mutex.new
    end

    def monotonic_ms = @lock.synchronize { @monotonic }
    def epoch_ms = @lock.synchronize { @epoch }

    def sleep_ms(millis)
      @lock.synchronize { @sleeps << millis }
      advance(millis)
    end

    def advance(millis)
      @lock.synchronize do
        @monotonic += millis
        @epoch += millis.ceil
      end
    end
  end

  # Stands in for the way to Secrets Manager: answers from a Hash by secret id and records every call.
  class RecordingFetcher
    Call = Struct.new(:name, :secret_id, :version_id, :version_stage, :region, :parameter, keyword_init: true)

    def initialize(values = {})
      @values = values
      @calls = Queue.new
    end

    def calls
      list = []
      list << @calls.pop until @calls.empty?
      list.each { |c| @calls << c }
      list
    end

    # Parameters are recorded with +parameter+ set; values come from the same hash.
    def get_parameter(name, request, region)
      get_secret_value(name, request, region, parameter: true)
    end

    def get_secret_value(name, request, region, parameter: false)
      @calls << Call.new(name: name, secret_id: request.secret_id, version_id: request.version_id,
                         version_stage: request.version_stage, region: region, parameter: parameter)
      value = @values[request.secret_id]
      raise SecretsPrefetch::NotFoundError.new("secret \"#{name}\": not found", secret_name: name) unless value

      value.is_a?(SecretsPrefetch::Value) ? value : SecretsPrefetch::Value.text(TestSupport.marked(value))
    end
  end

  # A secrets directory of its own, written the way the extension writes it (temporary file + rename).
  class SecretsDir
    attr_reader :path

    def initialize
      @path = Dir.mktmpdir("secrets-prefetch-test-")
      File.chmod(0o700, @path)
    end

    def manifest_path = File.join(@path, "manifest.json")

    def write(manifest)
      text = manifest.is_a?(String) ? manifest : JSON.generate(manifest)
      tmp = File.join(@path, ".manifest-#{Thread.current.object_id}-#{rand(1 << 30)}.tmp")
      File.binwrite(tmp, text)
      File.chmod(0o600, tmp)
      File.rename(tmp, manifest_path)
    end

    def copy_fixture(file)
      write(File.binread(File.join(FIXTURES, file)))
    end

    def remove
      FileUtils.rm_rf(@path)
    end
  end

  def setup
    super
    @dir = SecretsDir.new
    @out = StringIO.new
  end

  def teardown
    @dir.remove
    super
  end

  def client(env: {}, clock: FakeClock.new, fetcher: RecordingFetcher.new, **options)
    base = { "SECRETS_PREFETCH_DIR" => @dir.path, "AWS_REGION" => "us-east-1", "SECRETS_PREFETCH_LOG_LEVEL" => "debug" }
    SecretsPrefetch::Client.new(env: base.merge(env), out: @out, clock: clock, fetcher: fetcher, **options)
  end

  def entry(secret_id, string: nil, binary: nil, error: nil, **extra)
    e = { "secretId" => secret_id, "fetchedAtEpochMs" => 1_764_171_600_100 }
    e["secretString"] = TestSupport.marked(string) if string
    e["secretBinary"] = [TestSupport.marked(binary.b)].pack("m0") if binary
    e["error"] = { "code" => error, "message" => "failed in test" } if error
    e.merge(extra.transform_keys(&:to_s))
  end

  def ready(generation: 1, **secrets)
    { "formatVersion" => 1, "generation" => generation, "state" => "ready", "writtenAtEpochMs" => 1,
      "writer" => "test/0", "secrets" => secrets.transform_keys(&:to_s) }
  end

  def pending(deadline_epoch_ms, generation: 1)
    { "formatVersion" => 1, "generation" => generation, "state" => "pending", "deadlineEpochMs" => deadline_epoch_ms,
      "writtenAtEpochMs" => 1, "writer" => "test/0" }
  end

  # A new string value: +label+, a dash and a fresh marker.
  def fake_value(label)
    "#{label}-#{TestSupport.marker}"
  end

  # A new binary value: a fresh marker's bytes, then +payload+.
  def fake_binary(payload)
    TestSupport.marker.b + payload.b
  end

  # Compares values without ever printing them.
  def assert_value(expected, actual, what)
    assert(expected == actual, "value of #{what} differs")
    assert(expected.encoding == actual.encoding, "encoding of #{what} is #{actual.encoding}, expected #{expected.encoding}")
  end

  # The log and every message must never contain a value.
  def refute_leaks(text, *values)
    values.each { |v| refute(text.include?(v), "a secret value leaked into output (#{v.length} chars)") }
  end

  def log_lines(level = nil)
    lines = @out.string.lines
    level ? lines.grep(/\A\[secrets-prefetch\] #{level} /) : lines
  end
end
