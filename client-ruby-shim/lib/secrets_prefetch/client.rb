# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "config"
require_relative "manifest"

module SecretsPrefetch
  # Everything behind the module's methods. One per process (SecretsPrefetch holds it); tests build their own.
  # What only the pending wait, direct calls and JSON secrets need is loaded when first needed, so that reading a
  # ready manifest compiles little code: at a cold start that compilation is most of the shim's cost.
  # @api private
  class Client
    # +fallback+ options (fetcher:, loader:, sdk_client_factory:) replace parts of the direct-call path in tests.
    # @raise [ConfigError] when an environment variable has a bad value
    def initialize(env: ENV, out: $stdout, clock: Clock.new, secrets_manager_client: nil, **fallback)
      @config = Config.from(env)
      @log = Log.new(@config.log_level, out)
      @clock = clock
      @source = ManifestSource.new(@config.manifest_path, clock, @log)
      @fallback_options = fallback.merge(secrets_manager_client: secrets_manager_client)
      @fallback = nil
      @pending_wait = nil
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
      manifest = pending_wait.call(manifest) if manifest&.pending?
      entry = manifest.resolve(name) unless manifest.nil? || manifest.pending?
      return entry.value unless entry.nil? || entry.failed?

      fallback.fetch_instead(name, manifest, entry)
    end

    def pending_wait
      @pending_wait || @lock.synchronize do
        @pending_wait ||= begin
          require_relative "pending_wait"
          PendingWait.new(@source, @clock, @log, @config.wait_ms)
        end
      end
    end

    def fallback
      @lock.synchronize do
        @fallback ||= begin
          require_relative "fallback"
          Fallback.new(@config, @log, @clock, **@fallback_options)
        end
      end
    end

    def wrong_type(name, kind, use)
      WrongTypeError.new("secret \"#{name}\" is #{kind}; use #{use}", secret_name: name)
    end
  end

  # Time as the shim needs it; tests hand in their own.
  # @api private
  class Clock
    # Milliseconds on a clock that never jumps, for intervals.
    def monotonic_ms
      Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond)
    end

    # Milliseconds since the epoch, to compare with the manifest's deadlineEpochMs.
    def epoch_ms
      Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    end

    def sleep_ms(millis)
      sleep(millis / 1000.0)
    end
  end

  # One line per event, "[secrets-prefetch] LEVEL message", on the stream Lambda sends to CloudWatch (stdout).
  # Callers pass names, ids, codes and counts, never a value.
  # @api private
  class Log
    RANKS = Config::LOG_LEVELS.each_with_index.to_h.freeze

    def initialize(threshold, out)
      @threshold = RANKS.fetch(threshold)
      @out = out
    end

    def debug(message) = log(:debug, message)
    def info(message) = log(:info, message)
    def warn(message) = log(:warn, message)

    private

    def log(level, message)
      # One write per line, so lines from several threads never interleave.
      @out.write("[secrets-prefetch] #{level.to_s.upcase} #{message}\n") if RANKS.fetch(level) >= @threshold
    end
  end
end
