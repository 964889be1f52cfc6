# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "secrets_prefetch/aws_config"

# The shim's own settings: fixtures/client-contract/settings.json, case by case, read the way every client and the
# extension read them; and how a bad value is reported.
class ConfigTest < Minitest::Test
  Config = SecretsPrefetch::Config
  SETTINGS = JSON.parse(File.read(File.join(TestSupport::CONTRACT, "settings.json")))

  SETTINGS.fetch("cases").each_with_index do |c, i|
    define_method("test_settings_case_#{i}_#{c['case'].gsub(/\W+/, '_')}") { check_setting(c) }
  end

  def check_setting(c)
    if c.key?("error")
      error = assert_raises(SecretsPrefetch::ConfigError, c["case"]) { Config.from(c["env"]) }
      assert_includes error.message, c["error"], c["case"]
      return
    end

    config = Config.from(c["env"])
    assert_equal c["manifest"], config.manifest_path, c["case"] if c.key?("manifest")
    assert_equal c["waitMs"], config.wait_ms, c["case"] if c.key?("waitMs")
    assert_equal c["logLevel"], config.log_level.to_s, c["case"] if c.key?("logLevel")
  end

  def test_every_client_error_is_raised_on_every_call_until_the_setting_is_fixed
    errors = 2.times.map do
      assert_raises(SecretsPrefetch::ConfigError) do
        SecretsPrefetch::Client.new(env: { "SECRETS_PREFETCH_DIR" => "sp-dir" }, out: StringIO.new)
      end
    end
    assert_equal errors.first.message, errors.last.message
    assert_equal 'SECRETS_PREFETCH_DIR must be an absolute path such as /tmp/secrets-prefetch (the extension and ' \
                 'the function must agree on it), was "sp-dir"', errors.first.message
  end

  # Direct calls read their settings from Config#env, which holds only Config::VARIABLES.
  def test_every_variable_direct_calls_read_is_kept_in_the_copy
    direct = SecretsPrefetch::AwsConfig.constants.map { |c| SecretsPrefetch::AwsConfig.const_get(c) }.grep(String)
    assert_equal 12, direct.size
    assert_equal [], (direct + direct.grep(/PROXY\z/).map(&:downcase)) - Config::VARIABLES
  end

  def test_values_are_read_once_into_a_frozen_object
    env = { "SECRETS_PREFETCH_DIR" => "/x/dir", "SECRETS_PREFETCH_WAIT_MS" => " 250 ",
            "SECRETS_PREFETCH_LOG_LEVEL" => "Debug", "AWS_REGION" => "eu-west-1" }
    config = Config.from(env)
    env["AWS_REGION"] = "us-west-2"
    env["SECRETS_PREFETCH_WAIT_MS"] = "1"

    assert_equal ["/x/dir/manifest.json", 250, :debug], [config.manifest_path, config.wait_ms, config.log_level]
    assert_equal "eu-west-1", config.env["AWS_REGION"], "the environment is copied, not referenced"
    assert config.frozen?
    assert config.env.frozen?
  end

  def test_bad_wait_ms_names_the_variable_the_range_and_the_value
    error = assert_raises(SecretsPrefetch::ConfigError) { Config.from("SECRETS_PREFETCH_WAIT_MS" => "10s") }
    assert_equal "SECRETS_PREFETCH_WAIT_MS must be a whole number of milliseconds from 0 to 900000, in digits " \
                 '(default 10000), was "10s"', error.message
  end

  def test_bad_log_level_lists_the_accepted_ones
    error = assert_raises(SecretsPrefetch::ConfigError) { Config.from("SECRETS_PREFETCH_LOG_LEVEL" => "verbose") }
    assert_equal 'SECRETS_PREFETCH_LOG_LEVEL must be one of debug, info, warn, error, off; was "verbose"', error.message
  end

  def test_inspect_shows_no_other_variable
    config = Config.from("AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Nn40")
    refute_includes config.inspect, "spv-Nn40"
  end
end

# The AWS settings of direct calls, read from the configured environment on the first direct call.
class AwsConfigTest < Minitest::Test
  AwsConfig = SecretsPrefetch::AwsConfig

  def test_defaults
    aws = AwsConfig.from({})
    assert_equal [nil, nil, nil, false, false], [aws.region, aws.endpoint, aws.credentials, aws.fips, aws.dual_stack]
    assert aws.frozen?
  end

  def test_region_endpoint_and_switches
    aws = AwsConfig.from("AWS_REGION" => " ", "AWS_DEFAULT_REGION" => "eu-west-1 ",
                         "AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:5000/",
                         "AWS_USE_FIPS_ENDPOINT" => " false", "AWS_USE_DUALSTACK_ENDPOINT" => "FALSE ")
    assert_equal ["eu-west-1", "http://127.0.0.1:5000", false, false],
                 [aws.region, aws.endpoint, aws.fips, aws.dual_stack]
    aws = AwsConfig.from("AWS_USE_FIPS_ENDPOINT" => "TRUE", "AWS_USE_DUALSTACK_ENDPOINT" => " true ")
    assert_equal [nil, true, true], [aws.endpoint, aws.fips, aws.dual_stack]
  end

  def test_a_switch_that_is_neither_true_nor_false_is_refused
    error = assert_raises(SecretsPrefetch::ConfigError) { AwsConfig.from("AWS_USE_FIPS_ENDPOINT" => "yes") }
    assert_equal 'AWS_USE_FIPS_ENDPOINT must be true or false, not "yes"', error.message
  end

  def test_bad_endpoint_is_rejected_without_repeating_it
    error = assert_raises(SecretsPrefetch::ConfigError) do
      AwsConfig.from("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "localhost:4566")
    end
    assert_includes error.message, "must be an http:// or https:// URL"
    refute_includes error.message, "localhost:4566", "an endpoint may carry credentials: never repeated"
  end

  def test_inspect_never_shows_the_endpoint
    aws = AwsConfig.from("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://user:pass-spv-Ep77@127.0.0.1:1")
    refute_includes aws.inspect, "pass-spv-Ep77"
  end

  def test_credentials_never_show_the_secret_key
    aws = AwsConfig.from("AWS_ACCESS_KEY_ID" => "AKIDTEST", "AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Nn44",
                         "AWS_SESSION_TOKEN" => "test-token-spv-Oo55")
    assert aws.credentials.secret_access_key == "test-secret-key-spv-Nn44", "secret access key differs"
    [aws.inspect, aws.to_s, aws.credentials.inspect, aws.credentials.to_s].each do |text|
      refute text.include?("test-secret-key-spv-Nn44"), "inspect shows the secret access key"
      refute text.include?("test-token-spv-Oo55"), "inspect shows the session token"
    end
  end

  def test_a_bad_aws_setting_fails_the_direct_call_not_the_manifest_read
    dir = TestSupport::SecretsDir.new
    dir.write({ "formatVersion" => 1, "generation" => 1, "state" => "ready", "writtenAtEpochMs" => 1, "writer" => "t",
                "secrets" => { "db" => { "secretId" => "prod/db", "fetchedAtEpochMs" => 1,
                                         "secretString" => "test-aws-config-spv-Ac01" } } })
    secrets = SecretsPrefetch::Client.new(env: { "SECRETS_PREFETCH_DIR" => dir.path, "AWS_USE_FIPS_ENDPOINT" => "1" },
                                          out: StringIO.new)
    assert secrets.get("db") == "test-aws-config-spv-Ac01", "value from the manifest differs"
    error = assert_raises(SecretsPrefetch::ConfigError) { secrets.get("prod/other") }
    assert_includes error.message, "AWS_USE_FIPS_ENDPOINT must be true or false"
  ensure
    dir&.remove
  end
end
