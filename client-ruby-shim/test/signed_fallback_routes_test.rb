# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "support/canned_server"

# The way of the signed fallback's calls, through the whole client as configure(env:) sets it up: the proxy the
# configured environment names (never the process ENV's), proxies that refuse CONNECT, the FIPS and dual-stack
# endpoints, and HTTP 429. Loopback servers stand in for Secrets Manager and for proxies.
class SignedFallbackRoutesTest < Minitest::Test
  include TestSupport

  KEYS = { "AWS_ACCESS_KEY_ID" => "AKIDTEST", "AWS_SECRET_ACCESS_KEY" => "test-secret-key-spv-Rt01" }.freeze
  # Requires like the shim does, except that the AWS SDK is never found.
  WITHOUT_SDK = ->(lib) { lib != "aws-sdk-secretsmanager" && (require(lib) || true) }

  def setup
    super
    @servers = []
    @clock = FakeClock.new
  end

  def teardown
    @servers.each(&:close)
    super
  end

  def server(*responses) = CannedServer.new(*responses).tap { |s| @servers << s }

  def signed(env)
    client(env: KEYS.merge(env), fetcher: nil, loader: WITHOUT_SDK, clock: @clock)
  end

  def value_answer = CannedServer.json(200, "SecretString" => "test-routed-spv-Rt02")

  def test_an_http_endpoint_is_called_through_the_configured_http_proxy
    target = server(value_answer)
    proxy = server(value_answer)
    secrets = signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => target.endpoint, "http_proxy" => proxy.endpoint)

    assert_value "test-routed-spv-Rt02", secrets.get("prod/x"), "prod/x"
    assert_equal [["POST", "#{target.endpoint}/"]], proxy.received.map { |r| [r.method, r.path] }
    assert_empty target.received
  end

  def test_no_proxy_sends_the_call_direct
    target = server(value_answer)
    proxy = server(value_answer)
    secrets = signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => target.endpoint, "HTTP_PROXY" => proxy.endpoint,
                     "NO_PROXY" => "localhost, 127.0.0.1")

    assert_value "test-routed-spv-Rt02", secrets.get("prod/x"), "prod/x"
    assert_equal 1, target.received.size
    assert_empty proxy.received
  end

  def test_the_process_environment_proxy_is_never_used
    target = server(value_answer)
    proxy = server(value_answer)
    saved = ENV.to_h.slice("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY")
    %w[http_proxy HTTP_PROXY].each { |name| ENV[name] = proxy.endpoint }

    assert_value "test-routed-spv-Rt02", signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => target.endpoint).get("prod/x"),
                 "prod/x"
    assert_equal 1, target.received.size
    assert_empty proxy.received
  ensure
    %w[http_proxy HTTP_PROXY https_proxy HTTPS_PROXY].each { |name| ENV[name] = saved&.fetch(name, nil) }
  end

  def test_a_proxy_refusing_connect_is_a_service_error_not_retried
    proxy = server(CannedServer::Response.new(status: 403, body: "no"))
    secrets = signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "https://127.0.0.1:1", "HTTPS_PROXY" => proxy.endpoint)

    error = assert_raises(SecretsPrefetch::ServiceError) { secrets.get("prod/x") }
    assert_equal "secret \"prod/x\": the proxy 127.0.0.1:#{URI(proxy.endpoint).port} refused to connect to Secrets " \
                 "Manager at 127.0.0.1 (HTTP 403)", error.message
    assert_equal [%w[CONNECT 127.0.0.1:1]], proxy.received.map { |r| [r.method, r.path] }
  end

  def test_a_proxy_failing_connect_with_a_5xx_is_retried_then_a_service_error
    proxy = server(CannedServer::Response.new(status: 502, body: "upstream"))
    secrets = signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "https://127.0.0.1:1", "https_proxy" => proxy.endpoint)

    error = assert_raises(SecretsPrefetch::ServiceError) { secrets.get("prod/x") }
    assert_includes error.message, "(HTTP 502)"
    assert_equal 3, proxy.received.size
    assert_equal 2, @clock.sleeps.size, "backoff between the attempts"
  end

  def test_fips_and_dual_stack_endpoints_are_the_ones_the_sdk_resolves
    { { "AWS_USE_FIPS_ENDPOINT" => "true", "AWS_REGION" => "us-gov-west-1" } =>
        "secretsmanager-fips.us-gov-west-1.amazonaws.com:443",
      { "AWS_USE_DUALSTACK_ENDPOINT" => "true", "AWS_REGION" => "ap-southeast-7" } =>
        "secretsmanager.ap-southeast-7.amazonaws.com:443",
      { "AWS_USE_FIPS_ENDPOINT" => "true", "AWS_USE_DUALSTACK_ENDPOINT" => "true", "AWS_REGION" => "cn-north-1" } =>
        "secretsmanager-fips.cn-north-1.api.amazonwebservices.com.cn:443" }.each do |env, target|
      # The proxy sees where the call was going, and refuses it: no call leaves the machine.
      proxy = server(CannedServer::Response.new(status: 403, body: "no"))
      assert_raises(SecretsPrefetch::ServiceError) { signed(env.merge("HTTPS_PROXY" => proxy.endpoint)).get("prod/x") }
      assert_equal [["CONNECT", target]], proxy.received.map { |r| [r.method, r.path] }
    end
  end

  def test_a_bad_proxy_setting_is_a_config_error_naming_the_variable
    error = assert_raises(SecretsPrefetch::ConfigError) do
      signed("HTTPS_PROXY" => "http://user:spv-proxy-password-Rt03@proxy.internal:3128").get("prod/x")
    end
    assert_match(/\AHTTPS_PROXY carries credentials/, error.message)
    refute_leaks error.full_message, "spv-proxy-password-Rt03"
  end

  def test_http_429_is_throttling_retried_then_a_throttled_error
    target = server(CannedServer::Response.new(status: 429, body: "Too Many Requests"))
    secrets = signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => target.endpoint)

    error = assert_raises(SecretsPrefetch::ThrottledError) { secrets.get("prod/x") }
    assert_equal 'secret "prod/x": Secrets Manager throttled the request (HTTP 429)', error.message
    assert_equal 3, target.received.size
  end

  def test_http_429_then_success_returns_the_value
    target = server(CannedServer::Response.new(status: 429, body: ""), value_answer)
    assert_value "test-routed-spv-Rt02", signed("AWS_ENDPOINT_URL_SECRETS_MANAGER" => target.endpoint).get("prod/x"),
                 "prod/x"
    assert_equal 2, target.received.size
  end
end
