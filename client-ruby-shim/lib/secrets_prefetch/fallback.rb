# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "errors"
require_relative "aws_config"

module SecretsPrefetch
  # Direct GetSecretValue (and SSM GetParameter) calls, for secrets and parameters the manifest cannot give, with
  # their results cached for CACHE_TTL_MS. The way to call each service (its AWS SDK for Ruby gem, else aws-sigv4
  # + Net::HTTP) is chosen, and its libraries required, on the first call that needs it, never before.
  # @api private
  class Fallback
    CACHE_TTL_MS = 300_000
    SDK = "aws-sdk-secretsmanager"
    SSM_SDK = "aws-sdk-ssm"
    SIGV4 = "aws-sigv4"

    # What to ask for: a secret id (name or ARN) and the version or stage a configuration pinned; or, when
    # +parameter+, an SSM parameter (name or ARN with its :version or :label selector, which SSM reads from the name).
    Request = Struct.new(:secret_id, :version_id, :version_stage, :parameter) do
      # A name no entry serves: an SSM parameter ARN is a GetParameter; anything else, a bare /a/b too (secret
      # names may contain "/"), is the SecretId of a GetSecretValue.
      def self.for_name(name)
        parts = name.split(":", 6)
        parameter = parts.size == 6 && parts[0] == "arn" && parts[2] == "ssm" && !parts[3].empty? &&
                    parts[5].start_with?("parameter/")
        new(name, nil, nil, parameter)
      end

      def describe
        return "parameter #{secret_id}" if parameter

        pinned = [version_id && "version #{version_id}", version_stage && "stage #{version_stage}"].compact
        pinned.empty? ? secret_id : "#{secret_id} (#{pinned.join(', ')})"
      end
    end

    # +config+: the Config whose environment holds the AWS settings (read here, once).
    # +secrets_manager_client+: an object with the SDK's get_secret_value, used instead of building one.
    # +fetcher+: an object with get_secret_value(name, request, region) (and get_parameter, for parameters),
    # replacing the whole choice.
    # +loader+: requires a library by name, returning false when it cannot be loaded.
    # +sdk_client_factory+: builds the SDK client from its options (default: Aws::SecretsManager::Client.new).
    # @raise [ConfigError] when an AWS setting has a bad value
    def initialize(config, log, clock, secrets_manager_client: nil, fetcher: nil, loader: nil,
                   sdk_client_factory: nil)
      @aws = AwsConfig.from(config.env)
      @log = log
      @clock = clock
      @client = secrets_manager_client
      @fetchers = fetcher ? { secretsmanager: fetcher, ssm: fetcher } : {}
      @loader = loader || method(:require_library)
      @sdk_client_factory = sdk_client_factory
      @cache = {}
      @key_locks = {}
      @lock = Mutex.new
      @choose_lock = Mutex.new # requiring the SDK takes a while: cache hits must not wait for it
    end

    # The value of +name+ when the manifest cannot give it: +manifest+ is nil (none usable) or still pending, or
    # +entry+ is nil (no entry) or failed. A failed entry's own secret (pinned version included) or parameter is
    # called for, else +name+.
    def fetch_instead(name, manifest, entry)
      if manifest.nil?
        fetch(name, Request.for_name(name), "no usable manifest")
      elsif manifest.pending?
        fetch(name, Request.for_name(name),
              "manifest still pending (generation #{manifest.generation}) when the wait ended")
      elsif entry.nil?
        fetch(name, Request.for_name(name), "not in manifest generation #{manifest.generation}")
      else
        request = if entry.parameter? then Request.new(entry.parameter, nil, nil, true)
                  else Request.new(entry.secret_id, entry.requested_version_id, entry.requested_version_stage)
                  end
        fetch(name, request, "manifest generation #{manifest.generation} has error #{entry.error_code} for it")
      end
    end

    # The value of +request+ (+name+ is what the handler asked for, +reason+ why the manifest did not do).
    def fetch(name, request, reason)
      region = region_for(name, request)
      key = [region, request.secret_id, request.version_id, request.version_stage, request.parameter].freeze
      cached = cached(key)
      return cached if cached

      # One call per secret at a time: threads that miss together wait for the first one's result (as the
      # Java client does). Failures are not cached, so a waiting thread then makes its own attempt.
      key_lock(key).synchronize { cached(key) || call(name, request, region, key, reason) }
    end

    private

    def call(name, request, region, key, reason)
      operation = request.parameter ? "SSM GetParameter" : "Secrets Manager GetSecretValue"
      @log.info("secret \"#{name}\": #{reason}; calling #{operation} for #{request.describe} in #{region}")
      value = if request.parameter
                fetcher(name, :ssm).get_parameter(name, request, region)
              else
                fetcher(name, :secretsmanager).get_secret_value(name, request, region)
              end
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

    def region_for(name, request)
      parts = request.secret_id.split(":", 6)
      service = request.parameter ? "ssm" : "secretsmanager"
      return parts[3] if parts.size == 6 && parts[0] == "arn" && parts[2] == service && !parts[3].empty?
      return @aws.region if @aws.region

      raise ConfigError.new("secret \"#{name}\": no region to call #{request.parameter ? 'SSM' : 'Secrets Manager'} " \
                            "in; set #{AwsConfig::REGION} (Lambda sets it) or #{AwsConfig::DEFAULT_REGION}, or ask " \
                            "for it by its ARN", secret_name: name)
    end

    # The way to call +service+ (:secretsmanager or :ssm): its SDK gem when it loads, else the signed path.
    def fetcher(name, service)
      chosen = @choose_lock.synchronize { @fetchers[service] ||= choose(service) }
      return chosen unless chosen == :missing

      sdk = service == :ssm ? SSM_SDK : SDK
      raise MissingDependencyError.new(
        "secret \"#{name}\" needs a direct #{service == :ssm ? 'SSM' : 'Secrets Manager'} call, but neither #{sdk} " \
        "nor #{SIGV4} can be loaded; add one to the function (Gemfile: gem \"#{sdk}\" or gem \"#{SIGV4}\"; " \
        "gem install #{SIGV4}; Debian/Ubuntu: apt-get install ruby-aws-sigv4). The Lambda Ruby runtimes include " \
        "#{sdk}.",
        secret_name: name
      )
    end

    def choose(service)
      if service == :secretsmanager && @client
        require_relative "sdk_fetcher"
        SdkFetcher.new(@aws, @log, factory: ->(_options) { @client })
      elsif @loader.call(service == :ssm ? SSM_SDK : SDK)
        require_relative "sdk_fetcher"
        SdkFetcher.new(@aws, @log, factory: service == :secretsmanager ? @sdk_client_factory : nil, service: service)
      elsif @loader.call(SIGV4)
        # One signed path for both services: its signer, endpoint rules, proxies and retries.
        @signed ||= begin
          require_relative "signed_fetcher"
          SignedFetcher.new(@aws, @log, @clock)
        end
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
