# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # The shim's own settings, read once from the Hash (or ENV) the caller hands in, into a frozen object, exactly as
  # every client and the extension read them (fixtures/client-contract/settings.json). The settings of direct
  # calls (AwsConfig names them) are read from a copy of the environment (#env) when a first direct call needs
  # them. docs/ruby-client.md has every variable.
  # @api private
  class Config
    # The secrets directory, an absolute path; default DEFAULT_DIR.
    DIR = "SECRETS_PREFETCH_DIR"
    # Cap, in milliseconds (0 to MAX_WAIT_MS), on waiting for a pending manifest; default DEFAULT_WAIT_MS.
    WAIT_MS = "SECRETS_PREFETCH_WAIT_MS"
    # debug, info, warn, error or off (any case); default info.
    LOG_LEVEL = "SECRETS_PREFETCH_LOG_LEVEL"
    # The variables kept in #env: these and every one AwsConfig reads (a test holds the two lists together).
    VARIABLES = [DIR, WAIT_MS, LOG_LEVEL, *%w[AWS_ENDPOINT_URL_SECRETS_MANAGER AWS_ENDPOINT_URL_SSM AWS_REGION
                                             AWS_DEFAULT_REGION AWS_USE_FIPS_ENDPOINT AWS_USE_DUALSTACK_ENDPOINT
                                             AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN HTTPS_PROXY
                                             HTTP_PROXY NO_PROXY https_proxy http_proxy no_proxy]].freeze

    DEFAULT_DIR = "/tmp/secrets-prefetch"
    MANIFEST_FILE = "manifest.json"
    DEFAULT_WAIT_MS = 10_000
    MAX_WAIT_MS = 900_000
    LOG_LEVELS = %i[debug info warn error off].freeze
    # What every client trims from a value; a value of only these is unset.
    WHITESPACE = " \t\n\v\f\r"

    # +env+: the VARIABLES as read (a frozen copy).
    attr_reader :dir, :manifest_path, :wait_ms, :log_level, :env

    # @raise [ConfigError] naming the variable, the value and what it must be
    def self.from(env)
      new(dir: dir(value(env, DIR)), wait_ms: wait_ms(value(env, WAIT_MS)),
          log_level: log_level(value(env, LOG_LEVEL)), env: env)
    end

    # +env+'s value for +key+ without surrounding whitespace; nil when unset or blank.
    def self.value(env, key)
      text = env[key]
      return nil if text.nil?

      trimmed = trim(text)
      trimmed.empty? ? nil : trimmed
    end

    # +text+ without WHITESPACE around it.
    def self.trim(text)
      text.sub(/\A[#{WHITESPACE}]+/o, "").sub(/[#{WHITESPACE}]+\z/o, "")
    end

    def initialize(dir:, wait_ms:, log_level:, env:)
      @dir = dir.dup.freeze
      @manifest_path = File.join(dir, MANIFEST_FILE).freeze
      @wait_ms = wait_ms
      @log_level = log_level
      @env = env.slice(*VARIABLES).freeze
      freeze
    end

    def inspect
      "#<#{self.class.name} dir=#{dir.inspect} wait_ms=#{wait_ms} log_level=#{log_level}>"
    end
    alias to_s inspect

    def self.dir(text)
      return DEFAULT_DIR if text.nil?
      return text if text.start_with?("/")

      raise ConfigError, "#{DIR} must be an absolute path such as #{DEFAULT_DIR} (the extension and the " \
                         "function must agree on it), was #{text.inspect}"
    end

    def self.wait_ms(text)
      return DEFAULT_WAIT_MS if text.nil?
      return Integer(text, 10) if text.match?(/\A[0-9]+\z/) && Integer(text, 10) <= MAX_WAIT_MS

      raise ConfigError, "#{WAIT_MS} must be a whole number of milliseconds from 0 to #{MAX_WAIT_MS}, in digits " \
                         "(default #{DEFAULT_WAIT_MS}), was #{text.inspect}"
    end

    def self.log_level(text)
      return :info if text.nil?

      level = LOG_LEVELS.find { |known| known.name.casecmp?(text) }
      return level if level

      raise ConfigError, "#{LOG_LEVEL} must be one of #{LOG_LEVELS.join(', ')}; was #{text.inspect}"
    end
    private_class_method :dir, :wait_ms, :log_level
  end
end
