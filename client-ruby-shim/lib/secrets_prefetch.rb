# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "secrets_prefetch/client"

# Secrets for Ruby Lambda handlers, prefetched by the secrets-prefetch extension.
#
#   require "secrets_prefetch"
#
#   DB = SecretsPrefetch.get_json("db")         # => {"username" => "app", "password" => "..."}
#
#   def handler(event:, context:)
#     key = SecretsPrefetch.get("api-key")      # String
#     sig = SecretsPrefetch.get_binary("signing-key") # binary String (ASCII-8BIT)
#   end
#
# Each call reads the manifest the extension writes (SECRETS_PREFETCH_DIR/manifest.json, default
# /tmp/secrets-prefetch), waiting while it is pending. Without a manifest, or for a secret it does not hold,
# it calls Secrets Manager directly (AWS SDK for Ruby if present, else aws-sigv4 + Net::HTTP) and caches the
# result for 300 s. Reading the manifest loads nothing beyond the standard library.
#
# Every error is a SecretsPrefetch::Error naming the secret and the cause, never the value.
module SecretsPrefetch
  extend self

  # Loaded when first named: reading a manifest raises none of them and needs no version number.
  errors = File.expand_path("secrets_prefetch/errors", __dir__)
  %i[Error NotFoundError AccessDeniedError ThrottledError TimeoutError DecryptionError JsonError InvalidJsonError
     MissingFieldError WrongTypeError MissingDependencyError ConfigError ServiceError].each do |error|
    autoload error, errors
  end
  autoload :VERSION, File.expand_path("secrets_prefetch/version", __dir__)

  @lock = Mutex.new
  @client = nil
  # Set by secrets_prefetch/testing when a test first uses fake secrets: the client of this thread's scope, if
  # any. In a function it stays nil, and a call costs one look at it.
  @scoped = nil

  # The value of a string secret.
  #
  # +name+ is a name from the extension's configuration, or a secret id or ARN.
  # @raise [WrongTypeError] if the secret is binary
  # @raise [Error] if it can be found neither in the manifest nor in Secrets Manager
  def get(name)
    client.get(name)
  end

  # The bytes of a binary secret, as a String with Encoding::ASCII_8BIT.
  # @raise [WrongTypeError] if the secret is a string
  def get_binary(name)
    client.get_binary(name)
  end

  # One top-level field of a JSON-object secret, as a new String: a string field decoded, any other value
  # (number, true, false, object, array) as its JSON text exactly as written, so 1.10 stays "1.10".
  #
  #   SecretsPrefetch.get_field("db", "password")   # => "..."
  #   SecretsPrefetch.get_field("db", "port")       # => "5432"
  # @raise [InvalidJsonError] if the secret is not strict JSON (docs/ruby-client.md) or not an object
  # @raise [MissingFieldError] if it has no such field, or the field is null
  def get_field(name, field)
    client.get_field(name, field)
  end

  # A JSON secret parsed into new Ruby objects on each call: usually a Hash, but any JSON value but a
  # top-level null (Array, String, Integer, Float, true, false).
  # @raise [InvalidJsonError] if the secret is not strict JSON, or is null
  def get_json(name)
    client.get_json(name)
  end

  # Starts over with new settings: the manifest is re-read and the cache of direct calls is dropped.
  # Functions need not call this; the environment is read on the first call.
  #
  # +env+: the environment to read (SECRETS_PREFETCH_*, AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER, ...).
  # +out+: where log lines go. +secrets_manager_client+: an Aws::SecretsManager::Client (or an object with
  # its get_secret_value) to use for direct calls instead of building one.
  # @raise [ConfigError] when a variable has a bad value
  def configure(env: ENV, out: $stdout, secrets_manager_client: nil)
    built = Client.new(env: env, out: out, secrets_manager_client: secrets_manager_client)
    @lock.synchronize { @client = built }
    nil
  end

  private

  def client
    @scoped&.call || @client || @lock.synchronize { @client ||= Client.new }
  end

  # The test-only hook of secrets_prefetch/testing (a separate gem): private, never used in a function.
  def scoped_clients=(resolver)
    @scoped = resolver
  end
end
