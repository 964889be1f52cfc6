# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # Every error this library raises. The message names the secret and the cause, never a value: values
  # "could be a secret" wherever they end up (logs, error trackers, HTTP 500 pages).
  class Error < StandardError
    # The name the handler asked for, when the error is about one secret.
    attr_reader :secret_name
    # The Secrets Manager error code (e.g. "ResourceNotFoundException"), when there is one.
    attr_reader :code

    def initialize(message = nil, secret_name: nil, code: nil)
      @secret_name = secret_name
      @code = code
      super(message)
    end
  end

  # Secrets Manager has no such secret (or no such version / stage of it).
  class NotFoundError < Error; end

  # The function's role may not read the secret or its KMS key, or the credentials are not accepted.
  class AccessDeniedError < Error; end

  # Secrets Manager kept throttling the request after the retries.
  class ThrottledError < Error; end

  # Secrets Manager did not answer in time.
  class TimeoutError < Error; end

  # Secrets Manager could not decrypt the value with its KMS key.
  class DecryptionError < Error; end

  # The value is not the JSON the call asked for. Base of {InvalidJsonError} and {MissingFieldError}.
  class JsonError < Error; end

  # The value is not valid JSON, or not a JSON object.
  class InvalidJsonError < JsonError; end

  # The value is a JSON object without the field asked for.
  class MissingFieldError < JsonError; end

  # A binary secret was read as a string or the other way round.
  class WrongTypeError < Error; end

  # A direct call to Secrets Manager is needed, but neither aws-sdk-secretsmanager nor aws-sigv4 can be loaded.
  class MissingDependencyError < Error; end

  # An environment variable has a value this library cannot use, or a needed one is missing.
  class ConfigError < Error; end

  # Any other failure of Secrets Manager or of the way to it (an unexpected error code, an unreachable endpoint).
  class ServiceError < Error; end
end
