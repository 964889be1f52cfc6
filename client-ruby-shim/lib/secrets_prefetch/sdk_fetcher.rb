# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "error_codes"
require_relative "endpoint"
require_relative "proxy"
require "uri"

module SecretsPrefetch
  # GetSecretValue (aws-sdk-secretsmanager) or SSM's GetParameter (aws-sdk-ssm) through the AWS SDK for Ruby
  # (shipped with the Lambda Ruby runtimes), one instance per service. One client per region, built on first use
  # with the configured endpoint override, FIPS / dual-stack switches and proxy (the SDK itself reads no proxy
  # variable); the SDK reads credentials itself and retries throttling on its own.
  # @api private
  class SdkFetcher
    # +aws+: an AwsConfig. +factory+ builds the client for a region from client_options; by default an
    # Aws::SecretsManager::Client (an Aws::SSM::Client for +service+ :ssm).
    def initialize(aws, log, factory: nil, service: :secretsmanager)
      @aws = aws
      @log = log
      @service = service
      @factory = factory || method(:build_client)
      @clients = {}
      @lock = Mutex.new
    end

    # @return [Value]
    def get_secret_value(name, request, region)
      params = { secret_id: request.secret_id }
      params[:version_id] = request.version_id if request.version_id
      params[:version_stage] = request.version_stage if request.version_stage
      value(name, client(region, name).get_secret_value(params))
    rescue Error
      raise
    rescue StandardError => e
      raise translate(name, e)
    end

    # @return [Value] the parameter's value, a SecureString decrypted (the selector travels in the name)
    def get_parameter(name, request, region)
      response = client(region, name).get_parameter(name: request.secret_id, with_decryption: true)
      value = response.parameter&.value
      return Value.text(value) if value.is_a?(String)

      raise ServiceError.new("secret \"#{name}\": SSM returned no value for #{request.describe}", secret_name: name)
    rescue Error
      raise
    rescue StandardError => e
      raise translate(name, e)
    end

    # What the SDK client for +region+ is built with (+name+: the secret asked for, for error messages).
    # @raise [ConfigError] when the endpoint settings or the proxy cannot be used
    def client_options(region, name)
      uri = URI(Endpoint.url(region, @aws, name, @service))
      options = { region: region, http_open_timeout: 2, http_read_timeout: 5 }
      # Recent SDKs read AWS_ENDPOINT_URL_SECRETS_MANAGER (_SSM) themselves; older ones in Lambda runtimes do not.
      endpoint = @service == :ssm ? @aws.ssm_endpoint : @aws.endpoint
      options[:endpoint] = endpoint if endpoint
      options[:use_fips_endpoint] = true if @aws.fips
      options[:use_dualstack_endpoint] = true if @aws.dual_stack
      proxy = Proxy.for_scheme(@aws.env, uri.scheme).route_for(uri)
      options[:http_proxy] = "http://#{proxy}" if proxy
      options
    end

    private

    def client(region, name)
      @lock.synchronize { @clients[region] ||= @factory.call(client_options(region, name)) }
    end

    def build_client(options)
      @log.debug("building an AWS SDK #{parameter? ? 'SSM' : 'Secrets Manager'} client for #{options[:region]}")
      parameter? ? Aws::SSM::Client.new(**options) : Aws::SecretsManager::Client.new(**options)
    end

    def parameter?
      @service == :ssm
    end

    def value(name, response)
      if response.secret_string
        Value.text(response.secret_string)
      elsif response.secret_binary
        Value.binary(response.secret_binary)
      else
        raise ServiceError.new("secret \"#{name}\": Secrets Manager returned neither SecretString nor SecretBinary",
                               secret_name: name)
      end
    end

    def translate(name, error)
      code = error.respond_to?(:code) ? error.code.to_s : ""
      return ErrorCodes.error(name, ErrorCodes.normalize(code), error.message, parameter: parameter?) unless code.empty?

      kind = error.class.name.to_s
      if kind.end_with?("MissingCredentialsError")
        ConfigError.new("secret \"#{name}\": the AWS SDK found no credentials (Lambda sets AWS_ACCESS_KEY_ID " \
                        "and AWS_SECRET_ACCESS_KEY)", secret_name: name)
      elsif timeout?(error)
        TimeoutError.new("secret \"#{name}\": #{service_name} did not answer in time (#{kind})", secret_name: name)
      else
        ServiceError.new("secret \"#{name}\": #{service_name} call failed (#{kind}: #{error.message})",
                         secret_name: name)
      end
    end

    def service_name
      parameter? ? "SSM" : "Secrets Manager"
    end

    # The SDK wraps Net::OpenTimeout / Net::ReadTimeout in Seahorse::Client::NetworkingError.
    def timeout?(error)
      [error, error.respond_to?(:original_error) ? error.original_error : error.cause].compact.any? do |e|
        (defined?(::Timeout::Error) && e.is_a?(::Timeout::Error)) || e.class.name.to_s.include?("Timeout")
      end
    end
  end
end
