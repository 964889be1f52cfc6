# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "securerandom"
require "support/moto_server"
require "support/canned_server"
require "secrets_prefetch/signed_fetcher"

# The fallback without the AWS SDK: aws-sigv4 signs, Net::HTTP sends, against a real moto server that checks
# every signature (as an IAM user unless a test says otherwise).
class SignedFallbackTest < Minitest::Test
  include TestSupport

  PREFIX = "rb-#{SecureRandom.hex(4)}"
  # Requires like the shim does, except that the AWS SDK is never found.
  WITHOUT_SDK = ->(lib) { lib != "aws-sdk-secretsmanager" && (require(lib) || true) }

  def moto = MotoServer.shared_verifying_signatures

  def signed_client(env = {})
    client(env: moto.env.merge(env), fetcher: nil, loader: WITHOUT_SDK)
  end

  def test_string_secret_is_fetched_with_a_signed_request
    moto.create_secret("#{PREFIX}/db", string: "test-moto-db-spv-Pp01")
    assert_value "test-moto-db-spv-Pp01", signed_client.get("#{PREFIX}/db"), "db"
    refute_leaks @out.string, "test-moto-db-spv-Pp01"
  end

  def test_binary_secret_keeps_all_256_byte_values
    bytes = fake_binary((0..255).to_a.pack("C*"))
    moto.create_secret("#{PREFIX}/bin", binary: bytes)
    value = signed_client.get_binary("#{PREFIX}/bin")
    assert_value bytes, value, "bin"
    assert_equal Encoding::ASCII_8BIT, value.encoding
  end

  def test_missing_secret_is_not_found_naming_it
    error = assert_raises(SecretsPrefetch::NotFoundError) { signed_client.get("#{PREFIX}/nope") }
    assert_equal "ResourceNotFoundException", error.code
    assert_equal "#{PREFIX}/nope", error.secret_name
    assert error.message.start_with?("secret \"#{PREFIX}/nope\": not found in Secrets Manager"), error.message
  end

  def test_arn_is_fetched_in_its_own_region
    arn = moto.create_secret("#{PREFIX}/eu", string: "test-moto-eu-spv-Qq02", region: "eu-west-1")
    assert_value "test-moto-eu-spv-Qq02", signed_client("AWS_REGION" => "us-east-1").get(arn), "eu secret by ARN"
    assert_raises(SecretsPrefetch::NotFoundError) { signed_client("AWS_REGION" => "us-east-1").get("#{PREFIX}/eu") }
  end

  def test_session_credentials_as_lambda_gives_them_are_accepted
    moto.create_secret("#{PREFIX}/session", string: "test-moto-session-spv-Ss05")
    secrets = client(env: moto.env(moto.session_credentials), fetcher: nil, loader: WITHOUT_SDK)
    assert_value "test-moto-session-spv-Ss05", secrets.get("#{PREFIX}/session"), "session"
  end

  def test_a_wrong_secret_key_is_refused
    moto.create_secret("#{PREFIX}/wrong-key", string: "test-moto-wrong-key-spv-Ww06")
    error = assert_raises(SecretsPrefetch::ServiceError) do
      signed_client("AWS_SECRET_ACCESS_KEY" => "not-the-secret-access-key").get("#{PREFIX}/wrong-key")
    end
    # moto refuses with an XML SignatureDoesNotMatch that has no JSON error code; AWS answers
    # InvalidSignatureException, an AccessDeniedError (SignedFallbackFailuresTest).
    assert_equal "secret \"#{PREFIX}/wrong-key\": Secrets Manager call failed (HTTP 403)", error.message
  end

  def test_session_keys_without_their_token_are_refused
    session = moto.session_credentials
    env = moto.env(SecretsPrefetch::AwsConfig::Credentials.new(access_key_id: session.access_key_id,
                                                            secret_access_key: session.secret_access_key))
    moto.create_secret("#{PREFIX}/no-token", string: "test-moto-no-token-spv-Tt07")
    secrets = client(env: env, fetcher: nil, loader: WITHOUT_SDK)
    assert_raises(SecretsPrefetch::ServiceError) { secrets.get("#{PREFIX}/no-token") }
  end

  def test_error_entry_pinning_a_stage_fetches_that_version
    moto.create_secret("#{PREFIX}/rot", string: "test-moto-old-spv-Rr03")
    moto.put_secret_value("#{PREFIX}/rot", string: "test-moto-new-spv-Ss04")
    @dir.write(ready(previous: entry("#{PREFIX}/rot", error: "Timeout", requestedVersionStage: "AWSPREVIOUS"),
                     current: entry("#{PREFIX}/rot", error: "Timeout")))
    secrets = signed_client

    assert_value "test-moto-old-spv-Rr03", secrets.get("previous"), "previous"
    assert_value "test-moto-new-spv-Ss04", secrets.get("current"), "current"
  end
end

# The signed fallback against canned answers: the request it sends, error codes, retries and timeouts.
class SignedFallbackFailuresTest < Minitest::Test
  include TestSupport

  ENV_KEYS = { "AWS_ACCESS_KEY_ID" => "AKIDTEST", "AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Tt05",
               "AWS_SESSION_TOKEN" => "test-session-token-spv-Uu06" }.freeze

  def teardown
    @server&.close
    super
  end

  def signed(*responses, read_timeout: 5, env: ENV_KEYS)
    @server = CannedServer.new(*responses)
    @clock = FakeClock.new
    aws = SecretsPrefetch::AwsConfig.from(env.merge("AWS_ENDPOINT_URL_SECRETS_MANAGER" => @server.endpoint))
    fetcher = SecretsPrefetch::SignedFetcher.new(aws, SecretsPrefetch::Log.new(:debug, @out), @clock,
                                                 read_timeout: read_timeout)
    client(fetcher: fetcher, clock: @clock)
  end

  def test_request_is_a_signed_get_secret_value
    @dir.write(ready(old: entry("prod/db", error: "Timeout", requestedVersionStage: "AWSPREVIOUS")))
    secrets = signed(CannedServer.json(200, "Name" => "prod/db", "SecretString" => "test-canned-spv-Vv07"))
    assert_value "test-canned-spv-Vv07", secrets.get("old"), "old"

    request = @server.received.fetch(0)
    assert_equal %w[POST /], [request.method, request.path]
    assert_equal "secretsmanager.GetSecretValue", request.headers["x-amz-target"]
    assert_equal "application/x-amz-json-1.1", request.headers["content-type"]
    assert_match(%r{\AAWS4-HMAC-SHA256 Credential=AKIDTEST/\d{8}/us-east-1/secretsmanager/aws4_request, },
                 request.headers["authorization"])
    assert request.headers["x-amz-security-token"] == "test-session-token-spv-Uu06", "session token is sent"
    assert_equal({ "SecretId" => "prod/db", "VersionStage" => "AWSPREVIOUS" }, JSON.parse(request.body))
  end

  def test_error_codes_map_to_error_classes_without_retrying_client_errors
    { "AccessDeniedException" => SecretsPrefetch::AccessDeniedError,
      "com.amazonaws.secretsmanager#ResourceNotFoundException" => SecretsPrefetch::NotFoundError,
      "DecryptionFailure" => SecretsPrefetch::DecryptionError,
      "UnrecognizedClientException" => SecretsPrefetch::AccessDeniedError,
      "InvalidRequestException" => SecretsPrefetch::ServiceError }.each do |type, klass|
      secrets = signed(CannedServer.json(400, "__type" => type, "message" => "said the service"))
      error = assert_raises(klass) { secrets.get("prod/x") }
      assert_equal type.split("#").last, error.code
      assert_includes error.message, "said the service"
      assert_equal 1, @server.received.size, "#{type} is not retried"
      @server.close
    end
  end

  def test_error_type_from_the_header_when_the_body_is_not_json
    secrets = signed(CannedServer::Response.new(status: 400, body: "<html>no</html>",
                                                headers: { "x-amzn-ErrorType" => "AccessDeniedException:http://x/" }))
    error = assert_raises(SecretsPrefetch::AccessDeniedError) { secrets.get("prod/x") }
    assert_equal "AccessDeniedException", error.code
  end

  def test_unavailable_service_is_retried_then_a_service_error_naming_the_status
    secrets = signed(CannedServer::Response.new(status: 503, body: "<html>busy</html>"))
    error = assert_raises(SecretsPrefetch::ServiceError) { secrets.get("prod/x") }
    assert_equal 'secret "prod/x": Secrets Manager call failed (HTTP 503)', error.message
    assert_equal 3, @server.received.size
  end

  def test_throttling_and_server_errors_are_retried_with_backoff
    secrets = signed(CannedServer.json(400, "__type" => "ThrottlingException", "message" => "slow down"),
                     CannedServer.json(500, "__type" => "InternalServiceError", "message" => "oops"),
                     CannedServer.json(200, "SecretString" => "test-after-retry-spv-Ww08"))
    assert_value "test-after-retry-spv-Ww08", secrets.get("prod/x"), "prod/x"
    assert_equal 3, @server.received.size
    assert_equal 2, @clock.sleeps.size
    assert @clock.sleeps[0].between?(50, 100) && @clock.sleeps[1].between?(100, 200), "jittered exponential backoff"
  end

  def test_throttling_that_persists_is_a_throttled_error_after_three_attempts
    secrets = signed(CannedServer.json(400, "__type" => "ThrottlingException", "message" => "slow down"))
    error = assert_raises(SecretsPrefetch::ThrottledError) { secrets.get("prod/x") }
    assert_equal "ThrottlingException", error.code
    assert_equal 3, @server.received.size
  end

  def test_no_answer_is_a_timeout_error
    secrets = signed(CannedServer::Response.new(hang: true), read_timeout: 0.2)
    error = assert_raises(SecretsPrefetch::TimeoutError) { secrets.get("prod/x") }
    assert_includes error.message, "did not answer in time (Net::ReadTimeout)"
    assert_equal 3, @server.received.size
  end

  def test_missing_credentials_are_a_config_error_naming_the_variables
    secrets = signed(CannedServer.json(200, "SecretString" => "test-x-spv-Xx00"), env: {})
    error = assert_raises(SecretsPrefetch::ConfigError) { secrets.get("prod/x") }
    assert_includes error.message, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
  end

  def test_log_and_errors_never_show_values_or_keys
    secrets = signed(CannedServer.json(200, "SecretString" => "test-canned-spv-Vv07"))
    secrets.get("prod/x")
    refute_leaks @out.string, "test-canned-spv-Vv07", "test-secret-key-spv-Tt05", "test-session-token-spv-Uu06"
  end
end
