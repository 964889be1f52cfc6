# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "lib/secrets_prefetch/version"

Gem::Specification.new do |spec|
  spec.name = "secrets_prefetch"
  spec.version = SecretsPrefetch::VERSION
  spec.summary = "Secrets Manager secrets for Ruby Lambda handlers, prefetched by the secrets-prefetch extension"
  spec.description = <<~TEXT
    SecretsPrefetch.get("db") reads the secrets the lambda-secrets-prefetch extension fetched during the
    runtime's init, from /tmp, and falls back to a direct GetSecretValue call (AWS SDK for Ruby, or aws-sigv4
    and Net::HTTP) when the extension or the secret is not there. Reading the manifest needs only the
    standard library.
  TEXT
  spec.authors = ["lambda-secrets-prefetch contributors"]
  spec.license = "Apache-2.0"
  spec.homepage = "https://github.com/secrets-prefetch/lambda-secrets-prefetch"
  spec.metadata = {
    "homepage_uri" => spec.homepage,
    "source_code_uri" => "https://github.com/secrets-prefetch/lambda-secrets-prefetch/tree/main/client-ruby-shim",
    "documentation_uri" => "https://github.com/secrets-prefetch/lambda-secrets-prefetch/blob/main/docs/ruby-client.md",
    "bug_tracker_uri" => "https://github.com/secrets-prefetch/lambda-secrets-prefetch/issues",
    "rubygems_mfa_required" => "true"
  }
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb"] + ["secrets_prefetch.gemspec"]
  spec.require_paths = ["lib"]
  # No runtime dependencies on purpose: the AWS SDK (in every Lambda Ruby runtime) or aws-sigv4 is used
  # when present, and only for direct calls.
end
