# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require_relative "../lib/secrets_prefetch/version"

Gem::Specification.new do |spec|
  spec.name = "secrets_prefetch-testing"
  spec.version = SecretsPrefetch::VERSION
  spec.summary = "Fake secrets for unit tests of Ruby Lambda handlers that use secrets_prefetch"
  spec.description = <<~TEXT
    SecretsPrefetch::Testing.fake_secrets("db" => {...}) { ... } serves declared secrets to SecretsPrefetch from a
    real manifest, without AWS, and fails on any name the test did not declare. For the test group only: it is
    not in the Lambda layer, and refuses to run inside a Lambda function.
  TEXT
  spec.authors = ["lambda-secrets-prefetch contributors"]
  spec.license = "Apache-2.0"
  spec.homepage = "https://github.com/secrets-prefetch/lambda-secrets-prefetch"
  spec.metadata = {
    "source_code_uri" => "https://github.com/secrets-prefetch/lambda-secrets-prefetch/tree/main/client-ruby-shim/testing",
    "documentation_uri" => "https://github.com/secrets-prefetch/lambda-secrets-prefetch/blob/main/docs/ruby-client.md",
    "rubygems_mfa_required" => "true"
  }
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb"] + ["secrets_prefetch-testing.gemspec"]
  spec.require_paths = ["lib"]
  spec.add_dependency "secrets_prefetch", SecretsPrefetch::VERSION
end
