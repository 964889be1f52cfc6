# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

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
      from_manifest(name, manifest)
    end

    def from_manifest(name, manifest)
      if manifest.nil?
        direct(name, "no usable manifest", nil)
      elsif manifest.pending?
        direct(name, "manifest still pending (generation #{manifest.generation}) when the wait ended", nil)
      else
        entry = manifest.resolve(name)
        if entry.nil?
          direct(name, "not in manifest generation #{manifest.generation}", nil)
        elsif entry.failed?
          direct(name, "manifest generation #{manifest.generation} has error #{entry.error_code} for it", entry)
        else
          entry.value
        end
      end
    end

    # Loaded only when a first manifest is pending.
    def pending_wait
      @pending_wait || @lock.synchronize do
        @pending_wait ||= begin
          require_relative "pending_wait"
          PendingWait.new(@source, @clock, @log, @config.wait_ms)
        end
      end
    end

    # The direct-call code is loaded only when a first secret needs it. A direct call for +entry+ (its secret,
    # pinned version included, or its parameter), else for +name+.
    def direct(name, reason, entry)
      fallback = @lock.synchronize do
        @fallback ||= begin
          require_relative "fallback"
          Fallback.new(@config, @log, @clock, **@fallback_options)
        end
      end
      request = if entry.nil? then Fallback::Request.for_name(name)
                elsif entry.parameter? then Fallback::Request.new(entry.parameter, nil, nil, true)
                else Fallback::Request.new(entry.secret_id, entry.requested_version_id, entry.requested_version_stage)
                end
      fallback.fetch(name, request, reason)
    end

    def wrong_type(name, kind, use)
      WrongTypeError.new("secret \"#{name}\" is #{kind}; use #{use}", secret_name: name)
    end
  end
end
