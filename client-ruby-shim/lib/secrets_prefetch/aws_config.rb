# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "errors"
require_relative "config"

module SecretsPrefetch
  # The AWS settings of direct calls and the variables they come from, read once from the configured environment
  # (Config#env, never ENV itself) when a first direct call needs them: reading the manifest never loads or checks
  # them.
  # @api private
  class AwsConfig
    # Endpoint override for Secrets Manager (e.g. moto in tests).
    ENDPOINT_URL = "AWS_ENDPOINT_URL_SECRETS_MANAGER"
    # Endpoint override for SSM Parameter Store (direct GetParameter calls).
    ENDPOINT_URL_SSM = "AWS_ENDPOINT_URL_SSM"
    # The region of secrets named without an ARN (Lambda sets it), else DEFAULT_REGION.
    REGION = "AWS_REGION"
    DEFAULT_REGION = "AWS_DEFAULT_REGION"
    # true: FIPS endpoints; true: dual-stack endpoints.
    USE_FIPS = "AWS_USE_FIPS_ENDPOINT"
    USE_DUALSTACK = "AWS_USE_DUALSTACK_ENDPOINT"
    # Credentials of the signed fallback (Lambda sets them); the AWS SDK reads them itself.
    ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID"
    SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY"
    SESSION_TOKEN = "AWS_SESSION_TOKEN"
    # Proxies of direct calls, each also read in lower case (Proxy has the rules).
    HTTPS_PROXY = "HTTPS_PROXY"
    HTTP_PROXY = "HTTP_PROXY"
    NO_PROXY = "NO_PROXY"

    # Access keys for signing; +inspect+ never shows the secret key or the token.
    Credentials = Struct.new(:access_key_id, :secret_access_key, :session_token, keyword_init: true) do
      def inspect
        "#<credentials access_key_id=#{access_key_id.inspect}#{session_token ? ' with session token' : ''}>"
      end
      alias_method :to_s, :inspect
    end

    attr_reader :region, :endpoint, :ssm_endpoint, :credentials, :fips, :dual_stack, :env

    # @raise [ConfigError] naming the variable and what it must be
    def self.from(env)
      value = ->(key) { Config.value(env, key) }
      keys = value.(ACCESS_KEY_ID) && value.(SECRET_ACCESS_KEY) &&
             Credentials.new(access_key_id: value.(ACCESS_KEY_ID),
                             secret_access_key: value.(SECRET_ACCESS_KEY),
                             session_token: value.(SESSION_TOKEN)).freeze
      endpoint = endpoint(ENDPOINT_URL, value.(ENDPOINT_URL), "secretsmanager")
      ssm_endpoint = endpoint(ENDPOINT_URL_SSM, value.(ENDPOINT_URL_SSM), "ssm")
      fips = switch(USE_FIPS, value.(USE_FIPS))
      dual_stack = switch(USE_DUALSTACK, value.(USE_DUALSTACK))
      check_switches(ENDPOINT_URL, endpoint, fips, dual_stack)
      check_switches(ENDPOINT_URL_SSM, ssm_endpoint, fips, dual_stack)
      new(region: value.(REGION) || value.(DEFAULT_REGION), endpoint: endpoint,
          ssm_endpoint: ssm_endpoint, credentials: keys || nil, fips: fips, dual_stack: dual_stack, env: env)
    end

    def initialize(region:, endpoint:, credentials:, fips:, dual_stack:, env:, ssm_endpoint: nil)
      @region = region&.dup&.freeze
      @endpoint = endpoint&.dup&.freeze
      @ssm_endpoint = ssm_endpoint&.dup&.freeze
      @credentials = credentials
      @fips = fips
      @dual_stack = dual_stack
      @env = env
      freeze
    end

    def inspect
      "#<#{self.class.name} region=#{region.inspect} endpoint=#{endpoint ? 'set' : 'none'} " \
        "ssm_endpoint=#{ssm_endpoint ? 'set' : 'none'} fips=#{fips} " \
        "dual_stack=#{dual_stack} credentials=#{credentials ? credentials.inspect : 'none'}>"
    end
    alias to_s inspect

    def self.endpoint(variable, text, host)
      return nil if text.nil?
      return text.chomp("/") if text.match?(%r{\Ahttps?://[^/\s?#]+(/[^\s?#]*)?\z}i)

      # The value is not repeated: an endpoint URL may carry credentials.
      raise ConfigError, "#{variable} must be an http:// or https:// URL such as " \
                         "https://#{host}.us-east-1.amazonaws.com; unset it or fix it"
    end

    def self.switch(name, text)
      return false if text.nil? || text.casecmp?("false")
      return true if text.casecmp?("true")

      raise ConfigError, "#{name} must be true or false, not #{text.inspect}"
    end
    # As the AWS SDKs' endpoint rules refuse it, and in the words of the extension: an override names one endpoint,
    # which the switches cannot turn into a FIPS or dual-stack one.
    def self.check_switches(variable, endpoint, fips, dual_stack)
      return if endpoint.nil? || !(fips || dual_stack)

      switches = [("#{USE_FIPS}=true" if fips), ("#{USE_DUALSTACK}=true" if dual_stack)].compact
      raise ConfigError, "#{switches.join(' and ')} cannot be combined with #{variable} (the AWS SDKs " \
                         "refuse it too: the override names the one endpoint to call); unset " \
                         "#{switches.size > 1 ? 'the switches' : 'the switch'} and point the override at the FIPS " \
                         "or dual-stack endpoint you want, or unset #{variable}"
    end
    private_class_method :endpoint, :switch, :check_switches
  end
end
