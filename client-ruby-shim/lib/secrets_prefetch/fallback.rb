# frozen_string_literal: true

require_relative "errors"
require_relative "aws_config"

module SecretsPrefetch
  # Direct GetSecretValue calls, for secrets the manifest cannot give, with their results cached for
  # CACHE_TTL_MS. The way to call (AWS SDK for Ruby, else aws-sigv4 + Net::HTTP) is chosen, and its
  # libraries required, on the first call that needs it, never before.
  # @api private
  class Fallback
    CACHE_TTL_MS = 300_000
    SDK = "aws-sdk-secretsmanager"
    SIGV4 = "aws-sigv4"

    # What to ask Secrets Manager for: the id (name or ARN) and the version or stage a configuration pinned.
    Request = Struct.new(:secret_id, :version_id, :version_stage) do
      def describe
        pinned = [version_id && "version #{version_id}", version_stage && "stage #{version_stage}"].compact
        pinned.empty? ? secret_id : "#{secret_id} (#{pinned.join(', ')})"
      end
    end

    # +config+: the Config whose environment holds the AWS settings (read here, once).
    # +secrets_manager_client+: an object with the SDK's get_secret_value, used instead of building one.
    # +fetcher+: an object with get_secret_value(name, request, region), replacing the whole choice.
    # +loader+: requires a library by name, returning false when it cannot be loaded.
    # +sdk_client_factory+: builds the SDK client from its options (default: Aws::SecretsManager::Client.new).
    # @raise [ConfigError] when an AWS setting has a bad value
    def initialize(config, log, clock, secrets_manager_client: nil, fetcher: nil, loader: nil,
                   sdk_client_factory: nil)
      @aws = AwsConfig.from(config.env)
      @log = log
      @clock = clock
      @client = secrets_manager_client
      @fetcher = fetcher
      @loader = loader || method(:require_library)
      @sdk_client_factory = sdk_client_factory
      @cache = {}
      @key_locks = {}
      @lock = Mutex.new
      @choose_lock = Mutex.new # requiring the SDK takes a while: cache hits must not wait for it
    end

    # The value of +request+ (+name+ is what the handler asked for, +reason+ why the manifest did not do).
    def fetch(name, request, reason)
      region = region_for(name, request.secret_id)
      key = [region, request.secret_id, request.version_id, request.version_stage].freeze
      cached = cached(key)
      return cached if cached

      # One call per secret at a time: threads that miss together wait for the first one's result (as the
      # Java client does). Failures are not cached, so a waiting thread then makes its own attempt.
      key_lock(key).synchronize { cached(key) || call(name, request, region, key, reason) }
    end

    private

    def call(name, request, region, key, reason)
      @log.info("secret \"#{name}\": #{reason}; calling Secrets Manager GetSecretValue for " \
                "#{request.describe} in #{region}")
      value = fetcher(name).get_secret_value(name, request, region)
      @lock.synchronize { @cache[key] = [value, @clock.monotonic_ms + CACHE_TTL_MS] }
      value
    end

    def key_lock(key)
      @lock.synchronize { @key_locks[key] ||= Mutex.new }
    end

    def cached(key)
      @lock.synchronize do
        value, expires = @cache[key]
        value if value && @clock.monotonic_ms < expires
      end
    end

    def region_for(name, secret_id)
      parts = secret_id.split(":", 6)
      return parts[3] if parts.size == 6 && parts[0] == "arn" && parts[2] == "secretsmanager" && !parts[3].empty?
      return @aws.region if @aws.region

      raise ConfigError.new("secret \"#{name}\": no region to call Secrets Manager in; set #{Config::REGION} " \
                            "(Lambda sets it) or #{Config::DEFAULT_REGION}, or ask for the secret by its ARN",
                            secret_name: name)
    end

    def fetcher(name)
      @choose_lock.synchronize { @fetcher ||= choose }
      return @fetcher unless @fetcher == :missing

      raise MissingDependencyError.new(
        "secret \"#{name}\" needs a direct Secrets Manager call, but neither #{SDK} nor #{SIGV4} can be loaded; " \
        "add one to the function (Gemfile: gem \"#{SDK}\" or gem \"#{SIGV4}\"; gem install #{SIGV4}; " \
        "Debian/Ubuntu: apt-get install ruby-aws-sigv4). The Lambda Ruby runtimes include #{SDK}.",
        secret_name: name
      )
    end

    def choose
      if @client
        require_relative "sdk_fetcher"
        SdkFetcher.new(@aws, @log, factory: ->(_options) { @client })
      elsif @loader.call(SDK)
        require_relative "sdk_fetcher"
        SdkFetcher.new(@aws, @log, factory: @sdk_client_factory)
      elsif @loader.call(SIGV4)
        require_relative "signed_fetcher"
        SignedFetcher.new(@aws, @log, @clock)
      else
        :missing
      end
    end

    def require_library(name)
      require name
      true
    rescue LoadError
      false
    end
  end
end
