# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "secrets_prefetch/aws_config"
require "secrets_prefetch/endpoint"
require "secrets_prefetch/proxy"
require "uri"

# Where the signed fallback sends GetSecretValue and through which proxy, case by case:
# fixtures/client-contract/endpoints.json (generated with the AWS SDK for Java's endpoint provider) and
# fixtures/client-contract/proxies.json (the extension's rules).
class EndpointAndProxyTest < Minitest::Test
  ENDPOINTS = JSON.parse(File.read(File.join(TestSupport::CONTRACT, "endpoints.json")))
  PROXIES = JSON.parse(File.read(File.join(TestSupport::CONTRACT, "proxies.json")))

  def aws(env) = SecretsPrefetch::AwsConfig.from(env)

  def test_every_region_switch_and_override_resolves_as_the_aws_sdk_does
    ENDPOINTS.fetch("cases").each do |c|
      env = { "AWS_USE_FIPS_ENDPOINT" => c["fips"].to_s, "AWS_USE_DUALSTACK_ENDPOINT" => c["dualStack"].to_s }
      env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = c["endpointUrl"] if c["endpointUrl"]
      if c["error"]
        error = assert_raises(SecretsPrefetch::ConfigError, c.inspect) do
          SecretsPrefetch::Endpoint.url(c["region"], aws(env), "s")
        end
        c["error"].each { |variable| assert_includes error.message, variable, c.inspect }
      else
        assert_equal c.fetch("endpoint"), SecretsPrefetch::Endpoint.url(c["region"], aws(env), "s"), c.inspect
      end
    end
  end

  def test_the_override_serves_every_region
    settings = aws("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:4566")
    assert_equal "http://127.0.0.1:4566", SecretsPrefetch::Endpoint.url("us-gov-west-1", settings, "s")
  end

  def test_fips_or_dual_stack_with_an_override_is_a_setting_error_naming_both_and_the_fix
    error = assert_raises(SecretsPrefetch::ConfigError) do
      aws("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:4566", "AWS_USE_FIPS_ENDPOINT" => "true")
    end
    assert_equal "AWS_USE_FIPS_ENDPOINT=true cannot be combined with AWS_ENDPOINT_URL_SECRETS_MANAGER (the AWS SDKs " \
                 "refuse it too: the override names the one endpoint to call); unset the switch and point the " \
                 "override at the FIPS or dual-stack endpoint you want, or unset AWS_ENDPOINT_URL_SECRETS_MANAGER",
                 error.message
    error = assert_raises(SecretsPrefetch::ConfigError) do
      aws("AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:4566", "AWS_USE_FIPS_ENDPOINT" => "true",
          "AWS_USE_DUALSTACK_ENDPOINT" => "true")
    end
    assert error.message.start_with?("AWS_USE_FIPS_ENDPOINT=true and AWS_USE_DUALSTACK_ENDPOINT=true cannot be " \
                                     "combined with AWS_ENDPOINT_URL_SECRETS_MANAGER"), error.message
  end

  def test_a_region_that_is_not_a_host_name_is_refused_before_any_call
    ["us-east-1/../x", "US-EAST-1", "", "eu west 1", "us-east-1.evil.example#"].each do |region|
      error = assert_raises(SecretsPrefetch::ConfigError) { SecretsPrefetch::Endpoint.url(region, aws({}), "db") }
      assert_includes error.message, "#{region.inspect} is not an AWS region name"
    end
  end

  PROXIES.fetch("cases").each_with_index do |c, i|
    define_method("test_proxy_case_#{i}_#{c['case'].gsub(/\W+/, '_')}") { check_proxy(c) }
  end

  def check_proxy(c)
    uri = URI(c.fetch("endpoint"))
    if c.key?("error")
      error = assert_raises(SecretsPrefetch::ConfigError, c["case"]) do
        SecretsPrefetch::Proxy.for_scheme(c["env"], uri.scheme).route_for(uri)
      end
      assert_match(/\A#{c['error']} /, error.message, c["case"])
      c["env"].each_value do |value|
        refute_includes error.message, value, "a proxy URL is never repeated" if value.include?("@")
      end
    else
      route = SecretsPrefetch::Proxy.for_scheme(c["env"], uri.scheme).route_for(uri)
      assert_equal c.fetch("route"), route ? route.to_s : "direct", c["case"]
    end
  end
end

# SSM's endpoints for the signed GetParameter, as the AWS SDK for Java 2.57.8's SsmEndpointProvider resolves them:
# its rules differ from Secrets Manager's in the dual-stack suffixes and in us-gov's FIPS host.
class SsmEndpointTest < Minitest::Test
  CASES = {
    ["us-east-1", false, false] => "https://ssm.us-east-1.amazonaws.com",
    ["us-east-1", false, true] => "https://ssm.us-east-1.api.aws",
    ["us-east-1", true, false] => "https://ssm-fips.us-east-1.amazonaws.com",
    ["us-east-1", true, true] => "https://ssm-fips.us-east-1.api.aws",
    ["cn-north-1", false, true] => "https://ssm.cn-north-1.api.amazonwebservices.com.cn",
    ["cn-north-1", true, false] => "https://ssm-fips.cn-north-1.amazonaws.com.cn",
    ["us-gov-west-1", false, true] => "https://ssm.us-gov-west-1.api.aws",
    ["us-gov-west-1", true, false] => "https://ssm.us-gov-west-1.amazonaws.com",
    ["us-gov-west-1", true, true] => "https://ssm-fips.us-gov-west-1.api.aws",
    ["us-iso-east-1", true, true] => "https://ssm-fips.us-iso-east-1.api.aws.ic.gov",
    ["us-isob-east-1", false, true] => "https://ssm.us-isob-east-1.api.aws.scloud",
    ["eu-isoe-west-1", true, false] => "https://ssm-fips.eu-isoe-west-1.cloud.adc-e.uk",
    ["eusc-de-east-1", true, true] => "https://ssm-fips.eusc-de-east-1.api.amazonwebservices.eu",
    ["xx-made-up-1", false, true] => "https://ssm.xx-made-up-1.api.aws"
  }.freeze

  def test_ssm_endpoints_follow_the_sdks_rules
    CASES.each do |(region, fips, dual_stack), url|
      aws = SecretsPrefetch::AwsConfig.from("AWS_USE_FIPS_ENDPOINT" => fips.to_s,
                                            "AWS_USE_DUALSTACK_ENDPOINT" => dual_stack.to_s)
      assert_equal url, SecretsPrefetch::Endpoint.url(region, aws, "p", :ssm), [region, fips, dual_stack].inspect
    end
  end

  def test_aws_endpoint_url_ssm_overrides_ssm_only
    aws = SecretsPrefetch::AwsConfig.from("AWS_ENDPOINT_URL_SSM" => "http://127.0.0.1:4566/")
    assert_equal "http://127.0.0.1:4566", SecretsPrefetch::Endpoint.url("eu-west-1", aws, "p", :ssm)
    assert_equal "https://secretsmanager.eu-west-1.amazonaws.com", SecretsPrefetch::Endpoint.url("eu-west-1", aws, "p")
  end
end
