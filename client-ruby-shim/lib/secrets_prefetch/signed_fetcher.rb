# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "error_codes"
require_relative "endpoint"
require_relative "proxy"
require "net/http"
require "aws-sigv4"

module SecretsPrefetch
  # GetSecretValue and SSM's GetParameter without the AWS SDK: a SigV4-signed JSON request (aws-sigv4 gem) sent
  # with Net::HTTP to the endpoint the AWS SDKs would choose (Endpoint), through the proxy they would take (Proxy),
  # with credentials from the configured environment Lambda sets. Throttling (HTTP 429 too), 5xx answers, a
  # proxy's 5xx, timeouts and network failures are retried a bounded number of times with jittered exponential
  # backoff. Both operations go through the one path; only what differs is in Operation.
  # @api private
  class SignedFetcher
    # An operation: the service's signing name (and Endpoint's), its X-Amz-Target, its name in messages.
    Operation = Struct.new(:service, :target, :label)
    GET_SECRET_VALUE = Operation.new(:secretsmanager, "secretsmanager.GetSecretValue", "Secrets Manager").freeze
    GET_PARAMETER = Operation.new(:ssm, "AmazonSSM.GetParameter", "SSM").freeze
    CONTENT_TYPE = "application/x-amz-json-1.1"
    TIMEOUTS = [Net::OpenTimeout, Net::ReadTimeout, Net::WriteTimeout].freeze
    NETWORK_ERRORS = [SystemCallError, IOError, SocketError, Net::HTTPBadResponse, OpenSSL::SSL::SSLError].freeze

    # +aws+: an AwsConfig.
    def initialize(aws, log, clock, open_timeout: 2, read_timeout: 5, max_attempts: 3, backoff_ms: 100)
      @aws = aws
      @log = log
      @clock = clock
      @open_timeout = open_timeout
      @read_timeout = read_timeout
      @max_attempts = max_attempts
      @backoff_ms = backoff_ms
      @proxies = {}
      @lock = Mutex.new
    end

    # @return [Value]
    def get_secret_value(name, request, region)
      send_signed(name, GET_SECRET_VALUE, region, { "SecretId" => request.secret_id, "VersionId" => request.version_id,
                                                    "VersionStage" => request.version_stage }.compact)
    end

    # @return [Value] the parameter's value, a SecureString decrypted (the selector travels in the name)
    def get_parameter(name, request, region)
      send_signed(name, GET_PARAMETER, region, { "Name" => request.secret_id, "WithDecryption" => true })
    end

    private

    def send_signed(name, operation, region, input)
      credentials = credentials(name, operation)
      uri = URI(Endpoint.url(region, @aws, name, operation.service))
      proxy = proxy_for(uri)
      body = JSON.generate(input)
      1.upto(@max_attempts) do |attempt|
        outcome, retryable = call(name, operation, uri, proxy, body, region, credentials)
        return outcome if outcome.is_a?(Value)
        raise outcome unless retryable && attempt < @max_attempts

        delay = @backoff_ms * (2**(attempt - 1))
        @log.debug("secret \"#{name}\": attempt #{attempt} failed (#{outcome.code || outcome.class.name}); " \
                   "retrying in about #{delay} ms")
        @clock.sleep_ms((delay / 2.0) + (rand * delay / 2.0))
      end
    end

    # A Value, or an error and whether another attempt may succeed.
    def call(name, operation, uri, proxy, body, region, credentials)
      response = post(uri, proxy, sign(operation, uri, body, region, credentials), body)
      status = response.code.to_i
      return value(name, operation, response.body) if status == 200

      code, message = failure(response)
      [ErrorCodes.error(name, code, message, status: status, parameter: operation == GET_PARAMETER),
       ErrorCodes.retryable?(code, status)]
    rescue Net::HTTPExceptions => e
      # Net::HTTP raises the answer of a proxy that refuses CONNECT instead of returning it.
      status = e.response.code.to_i
      [ServiceError.new("secret \"#{name}\": the proxy #{proxy} refused to connect to #{operation.label} at " \
                        "#{uri.host} (HTTP #{status})", secret_name: name), status >= 500]
    rescue *TIMEOUTS => e
      [TimeoutError.new("secret \"#{name}\": #{operation.label} at #{uri.host} did not answer in time " \
                        "(#{e.class.name})", secret_name: name), true]
    rescue *NETWORK_ERRORS => e
      [ServiceError.new("secret \"#{name}\": cannot reach #{operation.label} at #{uri.host}:#{uri.port} " \
                        "(#{e.class.name})", secret_name: name), true]
    end

    def credentials(name, operation)
      return @aws.credentials if @aws.credentials

      sdk = operation == GET_PARAMETER ? "aws-sdk-ssm" : "aws-sdk-secretsmanager"
      raise ConfigError.new("secret \"#{name}\": calling #{operation.label} without the AWS SDK needs " \
                            "#{AwsConfig::ACCESS_KEY_ID} and #{AwsConfig::SECRET_ACCESS_KEY} (Lambda sets them; " \
                            "elsewhere export them, or install #{sdk})", secret_name: name)
    end

    # Proxy settings are read per scheme on first use: a bad HTTP_PROXY does not matter to https endpoints.
    def proxy_for(uri)
      @lock.synchronize { @proxies[uri.scheme] ||= Proxy.for_scheme(@aws.env, uri.scheme) }.route_for(uri)
    end

    def sign(operation, uri, body, region, credentials)
      signer = Aws::Sigv4::Signer.new(service: operation.service.to_s, region: region,
                                      access_key_id: credentials.access_key_id,
                                      secret_access_key: credentials.secret_access_key,
                                      session_token: credentials.session_token)
      headers = { "content-type" => CONTENT_TYPE, "x-amz-target" => operation.target }
      headers.merge(signer.sign_request(http_method: "POST", url: uri.to_s, headers: headers, body: body).headers)
    end

    def post(uri, proxy, headers, body)
      # An explicit nil: Net::HTTP would otherwise take http_proxy from the process ENV, for https calls too.
      http = Net::HTTP.new(uri.host, uri.port, proxy&.host, proxy&.port)
      http.use_ssl = uri.scheme == "https"
      http.open_timeout = @open_timeout
      http.read_timeout = @read_timeout
      http.write_timeout = @read_timeout
      http.max_retries = 0
      request = Net::HTTP::Post.new(uri.path.empty? ? "/" : uri.path, headers)
      request.body = body
      http.start { |connection| connection.request(request) }
    end

    def value(name, operation, body)
      doc = parse(body)
      doc = {} unless doc.is_a?(Hash)
      if operation == GET_PARAMETER
        parameter = doc["Parameter"]
        return Value.text(parameter["Value"]) if parameter.is_a?(Hash) && parameter["Value"].is_a?(String)

        return [ServiceError.new("secret \"#{name}\": SSM's answer has no Parameter Value", secret_name: name), false]
      end
      if doc["SecretString"].is_a?(String)
        Value.text(doc["SecretString"])
      elsif doc["SecretBinary"].is_a?(String)
        Value.binary(binary(name, doc["SecretBinary"]))
      else
        [ServiceError.new("secret \"#{name}\": Secrets Manager's answer has neither SecretString nor SecretBinary",
                          secret_name: name), false]
      end
    end

    def binary(name, base64)
      base64.unpack1("m0")
    rescue ArgumentError
      raise ServiceError.new("secret \"#{name}\": Secrets Manager's SecretBinary is not valid base64",
                             secret_name: name), cause: nil
    end

    def failure(response)
      doc = parse(response.body)
      doc = {} unless doc.is_a?(Hash)
      type = doc["__type"] || response["x-amzn-ErrorType"]
      message = doc["message"] || doc["Message"]
      [type && ErrorCodes.normalize(type), message || "HTTP #{response.code}"]
    end

    def parse(body)
      JSON.parse(body.to_s)
    rescue JSON::ParserError
      nil # the parser's message quotes the body, which may hold the value: drop it
    end
  end
end
