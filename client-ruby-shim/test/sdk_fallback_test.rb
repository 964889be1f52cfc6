# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "net/http"
require "support/canned_server"
require "secrets_prefetch/sdk_fetcher"

# The AWS SDK path, with an object shaped like Aws::SecretsManager::Client (its get_secret_value and errors
# carrying a code) injected instead of a real one.
class SdkFallbackTest < Minitest::Test
  include TestSupport

  Response = Struct.new(:secret_string, :secret_binary, keyword_init: true)

  # Like Aws::SecretsManager::Errors::ServiceError: the code is the Secrets Manager error code.
  class FakeServiceError < StandardError
    attr_reader :code

    def initialize(code, message)
      @code = code
      super(message)
    end
  end

  class FakeSecretsManager
    attr_reader :requests

    def initialize(answers)
      @answers = answers
      @requests = []
    end

    def get_secret_value(params)
      @requests << params
      answer = @answers[params[:secret_id]] or raise FakeServiceError.new("ResourceNotFoundException", "no such secret")
      raise answer if answer.is_a?(Exception)

      answer
    end
  end

  def sdk_client(fake, env: {})
    client(env: env, fetcher: nil, secrets_manager_client: fake)
  end

  def test_string_and_binary_values_come_through_the_sdk_client
    bytes = fake_binary((0..255).to_a.pack("C*"))
    fake = FakeSecretsManager.new("prod/text" => Response.new(secret_string: "test-sdk-text-spv-Ll01"),
                                  "prod/bin" => Response.new(secret_binary: bytes.dup.force_encoding("UTF-8")))
    secrets = sdk_client(fake)

    assert_value "test-sdk-text-spv-Ll01", secrets.get("prod/text"), "prod/text"
    assert_value bytes, secrets.get_binary("prod/bin"), "prod/bin"
    assert_equal [{ secret_id: "prod/text" }, { secret_id: "prod/bin" }], fake.requests
  end

  def test_pinned_version_of_an_error_entry_is_passed_to_the_sdk
    @dir.write(ready(old: entry("prod/db", error: "Timeout", requestedVersionStage: "AWSPREVIOUS")))
    fake = FakeSecretsManager.new("prod/db" => Response.new(secret_string: "test-sdk-old-spv-Mm02"))
    assert_value "test-sdk-old-spv-Mm02", sdk_client(fake).get("old"), "old"
    assert_equal [{ secret_id: "prod/db", version_stage: "AWSPREVIOUS" }], fake.requests
  end

  def test_sdk_error_codes_map_to_error_classes
    { "ResourceNotFoundException" => SecretsPrefetch::NotFoundError,
      "AccessDeniedException" => SecretsPrefetch::AccessDeniedError,
      "ThrottlingException" => SecretsPrefetch::ThrottledError,
      "DecryptionFailure" => SecretsPrefetch::DecryptionError,
      "InvalidRequestException" => SecretsPrefetch::ServiceError }.each do |code, klass|
      fake = FakeSecretsManager.new("prod/x" => FakeServiceError.new(code, "message from the service"))
      error = assert_raises(klass) { sdk_client(fake).get("prod/x") }
      assert_equal code, error.code
      assert_equal "prod/x", error.secret_name
      assert_match(/\Asecret "prod\/x": .*\(#{code}: message from the service\)\z/, error.message)
    end
  end

  def test_sdk_timeout_and_missing_credentials_get_their_own_classes
    networking_error = Class.new(StandardError) { def self.name = "Seahorse::Client::NetworkingError" }
    credentials_error = Class.new(StandardError) { def self.name = "Aws::Errors::MissingCredentialsError" }
    fake = FakeSecretsManager.new("prod/t" => wrapped(networking_error, Net::ReadTimeout.new),
                                  "prod/c" => credentials_error.new("unable to sign request without credentials"))

    error = assert_raises(SecretsPrefetch::TimeoutError) { sdk_client(fake).get("prod/t") }
    assert_includes error.message, 'secret "prod/t": Secrets Manager did not answer in time'
    error = assert_raises(SecretsPrefetch::ConfigError) { sdk_client(fake).get("prod/c") }
    assert_includes error.message, "the AWS SDK found no credentials"
  end

  def test_sdk_is_preferred_and_one_client_is_built_per_region_on_first_use
    required = []
    built = []
    fake = FakeSecretsManager.new(Hash.new(Response.new(secret_string: "test-sdk-spv-Nn03")))
    secrets = client(fetcher: nil, loader: ->(lib) { required << lib },
                     sdk_client_factory: ->(options) { built << options[:region] and fake })
    assert_empty built, "no client before a direct call is needed"

    secrets.get("a")
    secrets.get("b")
    secrets.get("arn:aws:secretsmanager:eu-west-1:123456789012:secret:c-AbCdEf")
    assert_equal ["aws-sdk-secretsmanager"], required
    assert_equal %w[us-east-1 eu-west-1], built
  end

  def test_sdk_client_is_built_with_the_region_and_the_endpoint_override
    fetcher = SecretsPrefetch::SdkFetcher.new(
      SecretsPrefetch::AwsConfig.from("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:1"),
      SecretsPrefetch::Log.new(:off, StringIO.new)
    )
    options = fetcher.client_options("eu-central-1", "prod/x")
    assert_equal "eu-central-1", options[:region]
    assert_equal "http://127.0.0.1:1", options[:endpoint]
  end

  def test_neither_sdk_nor_sigv4_is_a_missing_dependency_error_naming_both
    secrets = client(fetcher: nil, loader: ->(_lib) { false })
    error = assert_raises(SecretsPrefetch::MissingDependencyError) { secrets.get("prod/x") }
    assert_includes error.message, "aws-sdk-secretsmanager"
    assert_includes error.message, "aws-sigv4"
    assert_includes error.message, "apt-get install ruby-aws-sigv4"
    assert_equal "prod/x", error.secret_name
  end

  def test_without_the_sdk_the_signed_path_is_chosen
    server = CannedServer.new(CannedServer.json(200, "SecretString" => "test-signed-spv-Oo04"))
    required = []
    loader = lambda do |lib|
      required << lib
      lib == "aws-sigv4" && (require(lib) || true)
    end
    env = { "AWS_ENDPOINT_URL_SECRETS_MANAGER" => server.endpoint, "AWS_ACCESS_KEY_ID" => "AKIDTEST",
            "AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Pp05" }
    assert_value "test-signed-spv-Oo04", client(env: env, fetcher: nil, loader: loader).get("prod/x"), "prod/x"
    assert_equal %w[aws-sdk-secretsmanager aws-sigv4], required
    assert_equal "secretsmanager.GetSecretValue", server.received.fetch(0).headers["x-amz-target"]
  ensure
    server&.close
  end

  private

  # An error raised while handling +cause+, as the SDK wraps Net::ReadTimeout.
  def wrapped(klass, cause)
    raise cause
  rescue cause.class
    begin
      raise klass, cause.class.name
    rescue klass => e
      e
    end
  end
end
