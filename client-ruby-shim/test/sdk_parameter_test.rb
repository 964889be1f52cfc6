# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "secrets_prefetch/fallback"
require "secrets_prefetch/sdk_fetcher"

# GetParameter through the AWS SDK path, with an object shaped like Aws::SSM::Client injected (the gem is not
# installed where these tests run; the signed path is tested against moto in ParameterFallbackTest).
class SdkParameterTest < Minitest::Test
  include TestSupport

  Parameter = Struct.new(:value, keyword_init: true)
  Response = Struct.new(:parameter, keyword_init: true)

  # Like Aws::SSM::Errors::ServiceError: the code is SSM's error code.
  class FakeServiceError < StandardError
    attr_reader :code

    def initialize(code)
      @code = code
      super("fake #{code}")
    end
  end

  class FakeSsm
    attr_reader :requests

    def initialize(values)
      @values = values
      @requests = []
    end

    def get_parameter(params)
      @requests << params
      value = @values[params[:name]] or raise FakeServiceError, "ParameterNotFound"
      Response.new(parameter: Parameter.new(value: TestSupport.marked(value)))
    end
  end

  def fetcher(fake, env = {})
    SecretsPrefetch::SdkFetcher.new(SecretsPrefetch::AwsConfig.from(env), SecretsPrefetch::Log.new(:off, StringIO.new),
                                    factory: ->(_options) { fake }, service: :ssm)
  end

  def request(name)
    SecretsPrefetch::Fallback::Request.new(name, nil, nil, true)
  end

  def test_get_parameter_asks_for_decryption_and_passes_the_selector_in_the_name
    fake = FakeSsm.new("/prod/url:3" => "test-sdk-url-spv-Sp01")
    value = fetcher(fake).get_parameter("url", request("/prod/url:3"), "us-east-1")
    assert_value "test-sdk-url-spv-Sp01", value.data, "url"
    assert_equal [{ name: "/prod/url:3", with_decryption: true }], fake.requests
  end

  def test_parameter_not_found_is_a_not_found_error_naming_ssm
    error = assert_raises(SecretsPrefetch::NotFoundError) do
      fetcher(FakeSsm.new({})).get_parameter("url", request("/prod/gone"), "us-east-1")
    end
    assert_equal "ParameterNotFound", error.code
    assert error.message.start_with?("secret \"url\": not found in SSM Parameter Store"), error.message
  end

  def test_the_ssm_client_is_built_with_the_ssm_endpoint_override
    options = fetcher(nil, "AWS_ENDPOINT_URL_SSM" => "http://127.0.0.1:1",
                           "AWS_ENDPOINT_URL_SECRETS_MANAGER" => "http://127.0.0.1:2").client_options("eu-west-1", "url")
    assert_equal ["eu-west-1", "http://127.0.0.1:1"], options.values_at(:region, :endpoint)
  end
end
