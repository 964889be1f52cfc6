# frozen_string_literal: true

require_relative "errors"
require_relative "config"
require_relative "log"
require_relative "clock"
require_relative "value"
require_relative "manifest_source"

module SecretsPrefetch
  # Everything behind the module's methods: configuration, the manifest, the pending wait, the fallback.
  # One per process (SecretsPrefetch holds it); tests build their own.
  # @api private
  class Client
    FIRST_POLL_MS = 5
    MAX_POLL_MS = 50

    # +fallback+ options (fetcher:, loader:, sdk_client_factory:) replace parts of the direct-call path in tests.
    # @raise [ConfigError] when an environment variable has a bad value
    def initialize(env: ENV.to_h, out: $stdout, clock: Clock.new, secrets_manager_client: nil, **fallback)
      @config = Config.from(env)
      @log = Log.new(@config.log_level, out)
      @clock = clock
      @source = ManifestSource.new(@config.manifest_path, clock, @log)
      @fallback_options = fallback.merge(secrets_manager_client: secrets_manager_client)
      @fallback = nil
      @stuck_generation = nil
      @lock = Mutex.new
    end

    def get(name)
      value = value(name)
      raise wrong_type(name, "binary", "get_binary") if value.binary?

      value.data.dup
    end

    def get_binary(name)
      value = value(name)
      raise wrong_type(name, "a string", "get, get_field or get_json") unless value.binary?

      value.data.dup
    end

    def get_field(name, field)
      unless field.is_a?(String) || field.is_a?(Symbol)
        raise ArgumentError, "field name must be a String or Symbol, was #{field.class.name}"
      end

      text = get(name)
      require_relative "json_secret"
      JsonSecret.field(name, text, field.to_s)
    end

    def get_json(name)
      text = get(name)
      require_relative "json_secret"
      JsonSecret.value(name, text)
    end

    private

    # Names are checked as every client checks them (fixtures/client-contract/names.json).
    def value(name)
      raise ArgumentError, "secret name must be a String, was #{name.class.name}" unless name.is_a?(String)
      if name.match?(/\A[#{Config::WHITESPACE}]*\z/o)
        raise ArgumentError, "secret name must not be empty or only whitespace (a name from the extension's " \
                             "configuration, a secret id or an ARN)"
      end

      manifest = @source.current
      manifest = wait_while_pending(manifest) if manifest&.pending?
      from_manifest(name, manifest)
    end

    def from_manifest(name, manifest)
      if manifest.nil?
        direct(name, "no usable manifest", name)
      elsif manifest.pending?
        direct(name, "manifest still pending (generation #{manifest.generation}) when the wait ended", name)
      else
        entry = manifest.resolve(name)
        if entry.nil?
          direct(name, "not in manifest generation #{manifest.generation}", name)
        elsif entry.failed?
          direct(name, "manifest generation #{manifest.generation} has error #{entry.error_code} for it",
                 entry.secret_id, entry.requested_version_id, entry.requested_version_stage)
        else
          entry.value
        end
      end
    end

    # The direct-call code is loaded only when a first secret needs it.
    def direct(name, reason, secret_id, version_id = nil, version_stage = nil)
      fallback = @lock.synchronize do
        @fallback ||= begin
          require_relative "fallback"
          Fallback.new(@config, @log, @clock, **@fallback_options)
        end
      end
      fallback.fetch(name, Fallback::Request.new(secret_id, version_id, version_stage), reason)
    end

    # Sleeps in growing steps (5 ms doubling to 50 ms) until the manifest is no longer pending, or until the
    # earlier of its deadline and SECRETS_PREFETCH_WAIT_MS after the wait began.
    def wait_while_pending(manifest)
      started = @clock.monotonic_ms
      cap = started + @config.wait_ms
      poll = FIRST_POLL_MS
      @log.debug("manifest pending (generation #{manifest.generation}); waiting for the extension")
      while manifest&.pending?
        now = @clock.monotonic_ms
        remaining = [cap, now + manifest.deadline_epoch_ms - @clock.epoch_ms].min - now
        break if remaining <= 0

        @clock.sleep_ms([poll, remaining].min)
        poll = [poll * 2, MAX_POLL_MS].min
        manifest = @source.current(force: true)
      end
      log_wait(manifest, @clock.monotonic_ms - started)
      manifest
    end

    def log_wait(manifest, waited)
      if manifest.nil?
        @log.info("manifest went away or became unusable while waiting (#{waited.round} ms)")
      elsif !manifest.pending?
        @log.info("waited #{waited.round} ms for the extension's manifest (generation #{manifest.generation})")
      elsif @lock.synchronize { @stuck_generation != manifest.generation && (@stuck_generation = manifest.generation) }
        @log.warn("manifest still pending after waiting #{waited.round} ms (its deadline or " \
                  "#{Config::WAIT_MS}=#{@config.wait_ms} reached); calling Secrets Manager directly")
      else
        @log.debug("manifest still pending after waiting #{waited.round} ms")
      end
    end

    def wrong_type(name, kind, use)
      WrongTypeError.new("secret \"#{name}\" is #{kind}; use #{use}", secret_name: name)
    end
  end
end
