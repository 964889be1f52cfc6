# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require "test_helper"
require "open3"
require "rbconfig"
require "support/canned_server"
require "secrets_prefetch/testing"

# secrets_prefetch/testing: what a test declares is what the shim serves, nothing else is ever called, and
# nothing of it outlives the block.
class TestingTest < Minitest::Test
  include TestSupport
  include SecretsPrefetch::Testing

  API_KEY = "fixture-testing-api-key-spv-Rk3y"
  PASSWORD = "fixture-testing-password-spv-Rp4s"
  KEY = "spv-RubyBin\x00\xFF".b
  SECRETS = { "api-key" => API_KEY, "signing-key" => KEY,
              "db" => { "username" => "app", "password" => PASSWORD, "port" => 5432 },
              "flags" => SecretsPrefetch::Testing.failing(SecretsPrefetch::AccessDeniedError) }.freeze
  UNDECLARED = SecretsPrefetch::Testing::UndeclaredSecretError
  TESTING_LIB = File.expand_path("../testing/lib", __dir__)

  def test_every_kind_of_declared_secret_is_served_by_the_shim
    fake_secrets(SECRETS) do
      assert_value API_KEY, SecretsPrefetch.get("api-key"), "api-key"
      assert_value KEY, SecretsPrefetch.get_binary("signing-key"), "signing-key"
      assert_value PASSWORD, SecretsPrefetch.get_field("db", "password"), "db.password"
      assert_equal "5432", SecretsPrefetch.get_field("db", "port")
      assert_equal "app", SecretsPrefetch.get_json("db").fetch("username")
    end
  end

  def test_an_ssm_parameter_is_faked_by_the_name_the_handler_asks_for
    arn = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/hosts"
    gone = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/gone"
    fake_secrets("/prod/db/url" => "test-url-spv-Tr1a", arn => "a,b,spv-Tr2b",
                 gone => failing(SecretsPrefetch::NotFoundError)) do
      assert_value "test-url-spv-Tr1a", SecretsPrefetch.get("/prod/db/url"), "a parameter by its name"
      assert_value "a,b,spv-Tr2b", SecretsPrefetch.get(arn), "a parameter by its ARN"
      assert_raises(SecretsPrefetch::NotFoundError) { SecretsPrefetch.get(gone) }
    end
  end

  def test_a_secret_declared_failing_raises_its_error_class_through_every_method
    [SecretsPrefetch::NotFoundError, SecretsPrefetch::AccessDeniedError, SecretsPrefetch::ThrottledError,
     SecretsPrefetch::TimeoutError, SecretsPrefetch::DecryptionError, SecretsPrefetch::ServiceError].each do |klass|
      fake_secrets("db" => failing(klass)) do
        [-> { SecretsPrefetch.get("db") }, -> { SecretsPrefetch.get_binary("db") },
         -> { SecretsPrefetch.get_field("db", "x") }, -> { SecretsPrefetch.get_json("db") }].each do |call|
          error = assert_raises(klass, &call)
          assert_equal "db", error.secret_name
          assert_match(/no call to Secrets Manager was made/, error.message)
        end
      end
    end
  end

  def test_the_code_of_a_declared_failure_is_the_one_secrets_manager_sends
    fake_secrets("db" => failing(SecretsPrefetch::NotFoundError)) do
      error = assert_raises(SecretsPrefetch::NotFoundError) { SecretsPrefetch.get("db") }
      assert_equal "ResourceNotFoundException", error.code
    end
  end

  def test_errors_that_come_from_the_value_cannot_be_declared_failing
    [SecretsPrefetch::InvalidJsonError, SecretsPrefetch::WrongTypeError, StandardError].each do |klass|
      error = assert_raises(ArgumentError) { failing(klass) }
      assert_match(/declare a value that causes them/, error.message)
    end
  end

  def test_an_undeclared_name_raises_naming_it_and_what_was_declared_and_again_at_the_end
    at_the_end = assert_raises(UNDECLARED) do
      fake_secrets(SECRETS) do
        error = assert_raises(UNDECLARED) { SecretsPrefetch.get("prod/db") }
        assert error.message.start_with?('secret "prod/db" is not one of the fake secrets this test declared ' \
                                         '("api-key", "signing-key", "db", "flags")'), error.message
        assert_match(/No call to Secrets Manager was made/, error.message)
      end
    end
    assert_match(/did not declare: "prod\/db"/, at_the_end.message)
    refute UNDECLARED <= StandardError, "a handler's `rescue => e` must not swallow it"
  end

  def test_an_undeclared_name_the_handler_rescued_still_fails_at_the_end
    careless = lambda do
      SecretsPrefetch.get("feature-flags")
    rescue Exception # rubocop:disable Lint/RescueException - what a careless handler does
      "fallback"
    end

    error = assert_raises(UNDECLARED) do
      fake_secrets(SECRETS) { assert_equal "fallback", careless.call }
    end
    assert_match(/the code rescued it/, error.message)
  end

  def test_the_innermost_block_wins_and_replaces_rather_than_merges
    inner = fake_value("inner")
    fake_secrets(SECRETS) do
      assert_raises(UNDECLARED) do
        fake_secrets("api-key" => inner) do
          assert_value inner, SecretsPrefetch.get("api-key"), "the inner value"
          assert_raises(UNDECLARED) { SecretsPrefetch.get("db") }
        end
      end
      assert_value API_KEY, SecretsPrefetch.get("api-key"), "the outer value again"
    end
  end

  def test_other_threads_and_the_configured_client_are_untouched
    real = fake_value("real")
    @dir.write(ready(db: entry("prod/db", string: real)))
    SecretsPrefetch.configure(env: { "SECRETS_PREFETCH_DIR" => @dir.path }, out: @out)
    configured = SecretsPrefetch.send(:client)

    fake_secrets("db" => fake_value("fake")) do
      assert_value real, Thread.new { SecretsPrefetch.get("db") }.value, "db on another thread"
      refute_same configured, SecretsPrefetch.send(:client)
    end
    assert_same configured, SecretsPrefetch.send(:client), "the block never replaced the configured client"
    assert_value real, SecretsPrefetch.get("db"), "db after the block"
  ensure
    SecretsPrefetch.configure(env: {}, out: StringIO.new)
  end

  def test_the_block_returns_its_value_and_works_as_a_module_function
    assert_equal 42, SecretsPrefetch::Testing.fake_secrets({}) { 42 }
    assert_raises(ArgumentError) { SecretsPrefetch::Testing.fake_secrets({}) }
  end

  def test_inside_a_lambda_function_fake_secrets_are_refused
    ENV["AWS_LAMBDA_FUNCTION_NAME"] = "orders"
    error = assert_raises(RuntimeError) { fake_secrets(SECRETS) { flunk "ran" } }
    assert_match(/refuse to run inside a Lambda function \(AWS_LAMBDA_FUNCTION_NAME is set\)/, error.message)
  ensure
    ENV.delete("AWS_LAMBDA_FUNCTION_NAME")
  end

  def test_declarations_no_manifest_can_carry_are_refused_naming_the_secret_not_the_value
    not_json = assert_raises(ArgumentError) { fake_secrets("db" => Object.new) { flunk "ran" } }
    assert_match(/fake secret "db": a Object is neither a String/, not_json.message)
    not_utf8 = "spv-Inval1d\xFF".dup.force_encoding("UTF-8")
    invalid = assert_raises(ArgumentError) { fake_secrets("api-key" => not_utf8) { flunk "ran" } }
    assert_match(/not valid UTF-8/, invalid.message)
    assert_raises(ArgumentError) { fake_secrets(" " => API_KEY) { flunk "ran" } }
    refute_leaks(not_json.message + invalid.message, API_KEY, "spv-")
  end

  PROBE = <<~RUBY
    require "json"
    require "secrets_prefetch/testing"
    include SecretsPrefetch::Testing
    report = []
    begin
      fake_secrets("api-key" => ARGV[0], "flags" => failing(SecretsPrefetch::ThrottledError)) do
        report << ["fake", SecretsPrefetch.get("api-key") == ARGV[0]]
        begin
          SecretsPrefetch.get("prod/direct")
        rescue SecretsPrefetch::Testing::UndeclaredSecretError => e
          report << ["undeclared", e.class.name]
        end
        begin
          SecretsPrefetch.get("flags")
        rescue SecretsPrefetch::Error => e
          report << ["failing", e.class.name]
        end
        dir = Dir.children(Dir.tmpdir).map { |c| File.join(Dir.tmpdir, c) }.first
        mode = ->(path) { format("%o", File.stat(path).mode & 0o777) }
        report << ["manifest", mode.call(dir), mode.call(File.join(dir, "manifest.json"))]
        report << ["loaded", $LOADED_FEATURES.grep(%r{aws-|seahorse|net/http|_fetcher}).size]
      end
    rescue SecretsPrefetch::Testing::UndeclaredSecretError => e
      report << ["block", e.class.name]
    end
    report << ["left", Dir.children(Dir.tmpdir).size]
    report << ["real", SecretsPrefetch.get("api-key") == ARGV[1]]
    begin
      SecretsPrefetch.get("prod/direct")
    rescue SecretsPrefetch::Error => e
      report << ["real direct call", e.class.name]
    end
    $stdout.write(JSON.generate(report))
  RUBY

  def test_a_fresh_process_loads_nothing_that_could_call_aws_in_the_block_and_is_real_after_it
    real = fake_value("real-api-key")
    @dir.write(ready("api-key" => entry("prod/api-key", string: real)))
    server = CannedServer.new(CannedServer.json(400, "__type" => "ResourceNotFoundException", "message" => "no"))
    tmp = Dir.mktmpdir("secrets-prefetch-testing-probe-")
    env = { "SECRETS_PREFETCH_DIR" => @dir.path, "SECRETS_PREFETCH_LOG_LEVEL" => "warn", "TMPDIR" => tmp,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER" => server.endpoint, "AWS_REGION" => "us-east-1",
            "AWS_ACCESS_KEY_ID" => "testing", "AWS_SECRET_ACCESS_KEY" => "testing", "RUBYOPT" => nil }
    out, err, status = Open3.capture3(env, RbConfig.ruby, "-I", TestSupport::LIB, "-I", TESTING_LIB, "-e", PROBE,
                                      fake_value("fake-api-key"), real)

    assert status.success?, "the probe failed: #{err}"
    assert_equal [["fake", true], %w[undeclared SecretsPrefetch::Testing::UndeclaredSecretError],
                  %w[failing SecretsPrefetch::ThrottledError], %w[manifest 700 600], ["loaded", 0],
                  %w[block SecretsPrefetch::Testing::UndeclaredSecretError], ["left", 0], ["real", true],
                  ["real direct call", "SecretsPrefetch::NotFoundError"]], JSON.parse(out)
    assert_equal 1, server.received.size, "only the real direct call, after the block, reached Secrets Manager"
  ensure
    server&.close
    FileUtils.rm_rf(tmp) if tmp
  end
end
