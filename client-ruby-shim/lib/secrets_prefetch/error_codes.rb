# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "errors"

module SecretsPrefetch
  # Maps Secrets Manager and SSM error codes to the classes in errors.rb (used by both fallback paths).
  module ErrorCodes
    CLASSES = {
      "ResourceNotFoundException" => NotFoundError,
      "ParameterNotFound" => NotFoundError,
      "ParameterVersionNotFound" => NotFoundError,
      "AccessDeniedException" => AccessDeniedError,
      "UnrecognizedClientException" => AccessDeniedError,
      "InvalidSignatureException" => AccessDeniedError,
      "IncompleteSignature" => AccessDeniedError,
      "InvalidClientTokenId" => AccessDeniedError,
      "MissingAuthenticationToken" => AccessDeniedError,
      "ExpiredTokenException" => AccessDeniedError,
      "ThrottlingException" => ThrottledError,
      "TooManyRequestsException" => ThrottledError,
      "RequestLimitExceeded" => ThrottledError,
      "DecryptionFailure" => DecryptionError
    }.freeze

    DESCRIPTIONS = {
      NotFoundError => "not found in Secrets Manager",
      AccessDeniedError => "access denied by Secrets Manager (check the function role's " \
                           "secretsmanager:GetSecretValue and kms:Decrypt permissions)",
      ThrottledError => "Secrets Manager throttled the request",
      DecryptionError => "Secrets Manager could not decrypt it with its KMS key",
      ServiceError => "Secrets Manager call failed"
    }.freeze
    PARAMETER_DESCRIPTIONS = {
      NotFoundError => "not found in SSM Parameter Store",
      AccessDeniedError => "access denied by SSM (check the function role's ssm:GetParameter permission, and " \
                           "kms:Decrypt on the key of a SecureString if that is a customer-managed key)",
      ThrottledError => "SSM throttled the request",
      DecryptionError => "SSM could not decrypt it with its KMS key",
      ServiceError => "SSM call failed"
    }.freeze

    # Codes worth another attempt: throttling and the service's own failures.
    RETRYABLE = %w[ThrottlingException TooManyRequestsException RequestLimitExceeded InternalServiceError
                   InternalFailure ServiceUnavailable].freeze
    TOO_MANY_REQUESTS = 429

    module_function

    # Whether another attempt may succeed after an answer with HTTP +status+ and error +code+ (nil: none).
    def retryable?(code, status)
      RETRYABLE.include?(code) || status == TOO_MANY_REQUESTS || status >= 500
    end

    # "com.amazonaws.secretsmanager#ResourceNotFoundException" or "X:http://..." to "ResourceNotFoundException".
    def normalize(code)
      code.to_s.split("#").last.to_s.split(":").first.to_s
    end

    # The error for a failed GetSecretValue (GetParameter, when +parameter+) of secret +name+; +detail+ is the
    # service's message, +status+ the HTTP status when known (429 is throttling whatever the code).
    def error(name, code, detail, status: nil, parameter: false)
      klass = CLASSES.fetch(code) { status == TOO_MANY_REQUESTS ? ThrottledError : ServiceError }
      text = detail.to_s.strip
      text = "#{text[0, 300]}..." if text.length > 300
      reason = [code, text].reject { |part| part.nil? || part.empty? }.join(": ")
      description = (parameter ? PARAMETER_DESCRIPTIONS : DESCRIPTIONS).fetch(klass)
      klass.new("secret \"#{name}\": #{description} (#{reason})", secret_name: name, code: code)
    end
  end
  private_constant :ErrorCodes
end
