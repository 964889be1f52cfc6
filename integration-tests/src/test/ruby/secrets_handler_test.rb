# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

# The example Ruby function's unit tests, written as a user of secrets_prefetch writes them: fake secrets for the
# block, served to the handler through SecretsPrefetch with no AWS, no layer and no emulator. Run by
# RubyExampleFunctionTest (mvn verify), or: ruby -I client-ruby-shim/lib -I client-ruby-shim/testing/lib THIS_FILE
require "minitest/autorun"
require "digest"
require "secrets_prefetch/testing"

class SecretsHandlerTest < Minitest::Test
  include SecretsPrefetch::Testing

  HANDLER = File.expand_path("../../lambda/ruby/secrets_handler.rb", __dir__)
  DB = '{"username":"app","password":"example-db-password-spv-Rb4m"}'
  API_KEY = "example-api-key-spv-Rb1k"
  SECRETS = { "prod/db" => DB, "api-key" => API_KEY,
              "retired-key" => SecretsPrefetch::Testing.failing(SecretsPrefetch::NotFoundError) }.freeze

  def test_init_reads_every_secret_it_is_configured_for
    fake_secrets(SECRETS) do
      function = load_function("prod/db, api-key")

      answer = function.send(:handler, event: {}, context: nil)

      assert_equal({ "prod/db" => sha256(DB), "api-key" => sha256(API_KEY) }, answer["init"])
      assert_equal({}, answer["request"])
    end
  end

  def test_an_event_asks_for_more_secrets
    fake_secrets(SECRETS) do
      answer = load_function("").send(:handler, event: { "get" => ["api-key"] }, context: nil)

      assert_equal({ "api-key" => sha256(API_KEY) }, answer["request"])
    end
  end

  def test_a_secret_secrets_manager_cannot_find_fails_the_invocation_naming_it
    fake_secrets(SECRETS) do
      function = load_function("api-key")

      error = assert_raises(SecretsPrefetch::NotFoundError) do
        function.send(:handler, event: { "get" => ["retired-key"] }, context: nil)
      end
      assert_equal "retired-key", error.secret_name
    end
  end

  private

  # Loads the function as Lambda does once per execution environment, running its top level (its init) now,
  # into a module of its own: each test gets a fresh init, with its own fakes and SECRET_IDS.
  def load_function(secret_ids)
    saved = ENV.fetch("SECRET_IDS", nil)
    ENV["SECRET_IDS"] = secret_ids
    function = Module.new
    load(HANDLER, function)
    Object.new.extend(function)
  ensure
    ENV["SECRET_IDS"] = saved
  end

  def sha256(value) = Digest::SHA256.hexdigest(value)
end
