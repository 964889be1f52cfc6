# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "securerandom"
require "support/moto_server"
require "secrets_prefetch/signed_fetcher"

# SSM parameters the manifest cannot serve, fetched with a signed GetParameter (no aws-sdk-ssm here) from moto.
class ParameterFallbackTest < Minitest::Test
  include TestSupport

  PREFIX = "/rb-#{SecureRandom.hex(4)}"
  # Requires like the shim does, except that the AWS SDK gems are never found.
  WITHOUT_SDK = ->(lib) { !lib.start_with?("aws-sdk-") && (require(lib) || true) }

  def moto = MotoServer.shared

  def signed_client(env = {})
    client(env: moto.env.merge(env), fetcher: nil, loader: WITHOUT_SDK)
  end

  def failed_parameter(parameter, **fields)
    { "parameter" => parameter, "fetchedAtEpochMs" => 1,
      "error" => { "code" => "AccessDeniedException", "message" => "denied" } }.merge(fields)
  end

  def write_ready(secrets)
    @dir.write({ "formatVersion" => 1, "generation" => 1, "state" => "ready", "writtenAtEpochMs" => 1,
                 "writer" => "test/0", "secrets" => secrets })
  end

  def test_parameter_error_entry_gets_the_decrypted_secure_string
    moto.put_parameter("#{PREFIX}/token", "test-moto-token-spv-Rp01")
    write_ready("token" => failed_parameter("#{PREFIX}/token"))
    assert_value "test-moto-token-spv-Rp01", signed_client.get("token"), "token"
    assert_includes @out.string, "calling SSM GetParameter for parameter #{PREFIX}/token in us-east-1"
    refute_leaks @out.string, "test-moto-token-spv-Rp01"
  end

  def test_parameter_arn_without_an_entry_is_fetched_in_the_arns_region
    moto.put_parameter("#{PREFIX}/hosts", "a.internal,b.internal,spv-Rp02", type: "StringList", region: "eu-west-1")
    arn = "arn:aws:ssm:eu-west-1:123456789012:parameter#{PREFIX}/hosts"
    assert_value "a.internal,b.internal,spv-Rp02", signed_client("AWS_REGION" => "us-east-1").get(arn), "by ARN"
  end

  def test_missing_parameter_is_not_found_naming_it
    write_ready("gone" => failed_parameter("#{PREFIX}/gone"))
    error = assert_raises(SecretsPrefetch::NotFoundError) { signed_client.get("gone") }
    assert_equal "ParameterNotFound", error.code
    assert error.message.start_with?("secret \"gone\": not found in SSM Parameter Store"), error.message
    assert_includes @out.string, "parameter #{PREFIX}/gone"
  end

  def test_version_selector_gets_that_version_and_a_missing_version_is_not_found
    moto.put_parameter("#{PREFIX}/url", "test-moto-url-one-spv-Rp03", type: "String")
    moto.put_parameter("#{PREFIX}/url", "test-moto-url-two-spv-Rp04", type: "String")
    write_ready("url-v1" => failed_parameter("#{PREFIX}/url:1", "requestedVersion" => 1),
                "url" => failed_parameter("#{PREFIX}/url"),
                "url-v9" => failed_parameter("#{PREFIX}/url:9", "requestedVersion" => 9))
    secrets = signed_client
    assert_value "test-moto-url-one-spv-Rp03", secrets.get("url-v1"), "version 1"
    assert_value "test-moto-url-two-spv-Rp04", secrets.get("url"), "the current version"
    assert_raises(SecretsPrefetch::NotFoundError) { secrets.get("url-v9") }
  end

  def test_a_bare_parameter_like_name_without_an_entry_stays_a_secret_id
    moto.put_parameter("#{PREFIX}/bare", "test-moto-bare-spv-Rp05")
    error = assert_raises(SecretsPrefetch::NotFoundError) { signed_client.get("#{PREFIX}/bare") }
    assert_equal "ResourceNotFoundException", error.code
  end

  def test_without_the_ssm_gem_or_sigv4_a_parameter_names_both
    write_ready("url" => failed_parameter("/prod/url"))
    secrets = client(env: moto.env, fetcher: nil, loader: ->(_lib) { false })
    error = assert_raises(SecretsPrefetch::MissingDependencyError) { secrets.get("url") }
    assert_includes error.message, "needs a direct SSM call, but neither aws-sdk-ssm nor aws-sigv4"
  end
end
