# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "aws_config"
require_relative "no_proxy"

module SecretsPrefetch
  # The proxy of direct calls, taken from the configured environment exactly as the extension takes it
  # (fixtures/client-contract/proxies.json pins every rule): HTTPS_PROXY for https endpoints, HTTP_PROXY for http
  # ones, and NO_PROXY, each read in lower case first as the AWS SDK for Java v2 reads them (a lower-case variable
  # that is set decides alone; a blank value is unset). NO_PROXY entries match as curl and Go match them (NoProxy):
  # ".example.com" and "example.com" cover the domain's hosts. A proxy is http://host:port (https:// and no scheme
  # name the same proxy, spoken to in plain HTTP); https calls go through it with CONNECT. Values are never
  # repeated in errors: a proxy URL may carry credentials, which are refused, as the extension refuses them.
  # @api private
  class Proxy
    # Where a call goes instead of the endpoint; +host+ is an address as Net::HTTP takes it (IPv6 unbracketed).
    Route = Struct.new(:host, :port) do
      def to_s = "#{host.include?(':') ? "[#{host}]" : host}:#{port}"
    end

    FIX = "; write http://host:port"
    private_constant :FIX

    # The settings for calls to endpoints of +scheme+ ("https" or "http") under +env+.
    # @raise [ConfigError] naming the variable read when the proxy or a NO_PROXY entry cannot be used
    def self.for_scheme(env, scheme)
      name, value = variable(env, scheme.casecmp?("https") ? AwsConfig::HTTPS_PROXY : AwsConfig::HTTP_PROXY)
      # As the SDK does, NO_PROXY is not even looked at when no proxy applies.
      return new(nil, NoProxy::NONE) if value.nil?

      route = route(name, value)
      no_proxy_name, no_proxy = variable(env, AwsConfig::NO_PROXY)
      new(route, no_proxy ? NoProxy.parse(no_proxy_name, no_proxy) : NoProxy::NONE)
    end

    def initialize(route, bypass)
      @route = route&.freeze
      @bypass = bypass.freeze
      freeze
    end

    # The Route for a call to +uri+ (a URI::HTTP), or nil to call it directly.
    def route_for(uri)
      @route.nil? || @bypass.bypasses?(uri) ? nil : @route
    end

    # The variable's name read (lower case first, deciding alone when set) and its trimmed value, nil if blank.
    def self.variable(env, upper_case)
      name = env.key?(upper_case.downcase) ? upper_case.downcase : upper_case
      [name, Config.value(env, name)]
    end

    def self.route(name, text)
      scheme, rest = text.include?("://") ? text.split("://", 2) : ["http", text]
      unless %w[http https].any? { |known| known.casecmp?(scheme) }
        raise ConfigError, "#{name} is not an http:// proxy URL (only HTTP proxies are supported, not SOCKS)#{FIX}"
      end

      authority = rest[%r{\A[^/?#]*}]
      if authority.include?("@")
        raise ConfigError, "#{name} carries credentials, which are not sent to a proxy (nor by the extension): " \
                           "use a proxy that admits the function by its address, or a VPC endpoint for Secrets Manager"
      end

      colon = authority.start_with?("[") ? authority.index("]:")&.+(1) : authority.rindex(":")
      host = colon ? authority[0...colon] : authority
      if host.empty? || host.match?(/[\x00-\x20]/)
        raise ConfigError, "#{name} is not a proxy URL with a host name#{FIX}"
      end
      raise ConfigError, "#{name} has no port#{FIX}" if colon.nil?

      port = authority[(colon + 1)..]
      unless port.match?(/\A[0-9]{1,5}\z/) && (1..65_535).cover?(port.to_i)
        raise ConfigError, "#{name} has a port that is not a number from 1 to 65535#{FIX}"
      end

      Route.new(host.delete_prefix("[").delete_suffix("]"), port.to_i)
    end

    private_class_method :variable, :route
  end
end
