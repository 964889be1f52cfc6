# frozen_string_literal: true

require "test_helper"

class ConfigTest < Minitest::Test
  Config = SecretsPrefetch::Config

  def test_defaults
    config = Config.from({})
    assert_equal "/tmp/secrets-prefetch/manifest.json", config.manifest_path
    assert_equal 10_000, config.wait_ms
    assert_equal :info, config.log_level
    assert_nil config.region
    assert_nil config.endpoint
    assert_nil config.credentials
    assert config.frozen?
  end

  def test_values_are_read_once_into_a_frozen_object
    env = { "SECRETS_PREFETCH_DIR" => "/x/dir", "SECRETS_PREFETCH_WAIT_MS" => " 250 ",
            "SECRETS_PREFETCH_LOG_LEVEL" => "Debug", "AWS_REGION" => "eu-west-1",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:5000/" }
    config = Config.from(env)
    env["AWS_REGION"] = "us-west-2"

    assert_equal ["/x/dir/manifest.json", 250, :debug, "eu-west-1", "http://127.0.0.1:5000"],
                 [config.manifest_path, config.wait_ms, config.log_level, config.region, config.endpoint]
    assert config.frozen?
    assert config.region.frozen?
  end

  def test_bad_wait_ms_names_the_variable_and_the_fix
    ["abc", "-1", "1.5", "10s", "9999999999"].each do |bad|
      error = assert_raises(SecretsPrefetch::ConfigError) { Config.from("SECRETS_PREFETCH_WAIT_MS" => bad) }
      assert_includes error.message, "SECRETS_PREFETCH_WAIT_MS must be a whole number of milliseconds"
      assert_includes error.message, bad.inspect
    end
    assert_equal 0, Config.from("SECRETS_PREFETCH_WAIT_MS" => "0").wait_ms
  end

  def test_bad_log_level_lists_the_accepted_ones
    error = assert_raises(SecretsPrefetch::ConfigError) { Config.from("SECRETS_PREFETCH_LOG_LEVEL" => "verbose") }
    assert_equal 'SECRETS_PREFETCH_LOG_LEVEL must be one of debug, info, warn, error, off; was "verbose"', error.message
  end

  def test_bad_endpoint_is_rejected
    error = assert_raises(SecretsPrefetch::ConfigError) do
      Config.from("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "localhost:4566")
    end
    assert_includes error.message, "must be an http:// or https:// URL"
    refute_includes error.message, "localhost:4566", "an endpoint may carry credentials: never repeated"
  end

  def test_inspect_never_shows_the_endpoint
    config = Config.from("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://user:pass-spv-Ep77@127.0.0.1:1")
    refute_includes config.inspect, "pass-spv-Ep77"
  end

  def test_credentials_never_show_the_secret_key
    config = Config.from("AWS_ACCESS_KEY_ID" => "AKIDTEST", "AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Nn44",
                         "AWS_SESSION_TOKEN" => "test-token-spv-Oo55")
    assert config.credentials.secret_access_key == "test-secret-key-spv-Nn44", "secret access key differs"
    [config.inspect, config.to_s, config.credentials.inspect, config.credentials.to_s].each do |text|
      refute text.include?("test-secret-key-spv-Nn44"), "inspect shows the secret access key"
      refute text.include?("test-token-spv-Oo55"), "inspect shows the session token"
    end
  end

  def test_client_reports_a_bad_variable_as_config_error
    assert_raises(SecretsPrefetch::ConfigError) do
      SecretsPrefetch::Client.new(env: { "SECRETS_PREFETCH_WAIT_MS" => "soon" }, out: StringIO.new)
    end
  end
end
