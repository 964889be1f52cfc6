# frozen_string_literal: true

module SecretsPrefetch
  # Every environment variable the shim reads, parsed once into a frozen object (docs/deploy.md has the same
  # table). Built from a Hash handed in by the caller, never read from ENV behind the caller's back.
  # @api private
  class Config
    # The secrets directory; default DEFAULT_DIR.
    DIR = "SECRETS_PREFETCH_DIR"
    # Cap, in milliseconds, on waiting for a pending manifest; default DEFAULT_WAIT_MS.
    WAIT_MS = "SECRETS_PREFETCH_WAIT_MS"
    # debug, info, warn, error or off; default info.
    LOG_LEVEL = "SECRETS_PREFETCH_LOG_LEVEL"
    # Endpoint override for Secrets Manager (e.g. moto in tests).
    ENDPOINT_URL = "AWS_ENDPOINT_URL_SECRETS_MANAGER"
    # The region of secrets named without an ARN (set by Lambda), else AWS_DEFAULT_REGION.
    REGION = "AWS_REGION"
    DEFAULT_REGION = "AWS_DEFAULT_REGION"
    # Credentials for the signed fallback (set by Lambda); the AWS SDK reads them itself.
    ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID"
    SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY"
    SESSION_TOKEN = "AWS_SESSION_TOKEN"

    DEFAULT_DIR = "/tmp/secrets-prefetch"
    MANIFEST_FILE = "manifest.json"
    DEFAULT_WAIT_MS = 10_000
    LOG_LEVELS = %i[debug info warn error off].freeze

    # Access keys for signing; +inspect+ never shows the secret key or the token.
    Credentials = Struct.new(:access_key_id, :secret_access_key, :session_token, keyword_init: true) do
      def inspect
        "#<credentials access_key_id=#{access_key_id.inspect}#{session_token ? ' with session token' : ''}>"
      end
      alias_method :to_s, :inspect
    end

    attr_reader :dir, :manifest_path, :wait_ms, :log_level, :region, :endpoint, :credentials

    # @raise [ConfigError] naming the variable, the value and what it must be
    def self.from(env)
      value = ->(key) { (v = env[key]) && !v.strip.empty? ? v.strip : nil }
      dir = value.(DIR) || DEFAULT_DIR
      keys = value.(ACCESS_KEY_ID) && value.(SECRET_ACCESS_KEY) &&
             Credentials.new(access_key_id: value.(ACCESS_KEY_ID), secret_access_key: value.(SECRET_ACCESS_KEY),
                             session_token: value.(SESSION_TOKEN)).freeze
      new(dir: dir, wait_ms: wait_ms(value.(WAIT_MS)), log_level: log_level(value.(LOG_LEVEL)),
          region: value.(REGION) || value.(DEFAULT_REGION), endpoint: endpoint(value.(ENDPOINT_URL)),
          credentials: keys || nil)
    end

    def initialize(dir:, wait_ms:, log_level:, region:, endpoint:, credentials:)
      @dir = dir.dup.freeze
      @manifest_path = File.join(dir, MANIFEST_FILE).freeze
      @wait_ms = wait_ms
      @log_level = log_level
      @region = region&.dup&.freeze
      @endpoint = endpoint&.dup&.freeze
      @credentials = credentials
      freeze
    end

    def inspect
      "#<#{self.class.name} dir=#{dir.inspect} wait_ms=#{wait_ms} log_level=#{log_level} region=#{region.inspect} " \
        "endpoint=#{endpoint ? 'set' : 'none'} credentials=#{credentials ? credentials.inspect : 'none'}>"
    end
    alias to_s inspect

    def self.wait_ms(text)
      return DEFAULT_WAIT_MS if text.nil?
      return Integer(text, 10) if text.match?(/\A\d{1,9}\z/)

      raise ConfigError, "#{WAIT_MS} must be a whole number of milliseconds between 0 and 999999999 " \
                         "(default #{DEFAULT_WAIT_MS}), was #{text.inspect}"
    end

    def self.log_level(text)
      return :info if text.nil?

      level = text.downcase.to_sym
      return level if LOG_LEVELS.include?(level)

      raise ConfigError, "#{LOG_LEVEL} must be one of #{LOG_LEVELS.join(', ')}; was #{text.inspect}"
    end

    def self.endpoint(text)
      return nil if text.nil?
      return text.chomp("/") if text.match?(%r{\Ahttps?://[^/\s?#]+(/[^\s?#]*)?\z}i)

      # The value is not repeated: an endpoint URL may carry credentials.
      raise ConfigError, "#{ENDPOINT_URL} must be an http:// or https:// URL such as " \
                         "https://secretsmanager.us-east-1.amazonaws.com; unset it or fix it"
    end
    private_class_method :wait_ms, :log_level, :endpoint
  end
end
