# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require "json"
require "tmpdir"
require "secrets_prefetch"

module SecretsPrefetch
  # Fake secrets for unit tests of handlers that use SecretsPrefetch: declared in one Hash, served by the real
  # client from a real manifest, with no AWS call, no credentials and no emulator.
  #
  #   require "secrets_prefetch/testing"
  #
  #   class HandlerTest < Minitest::Test
  #     include SecretsPrefetch::Testing
  #
  #     def test_answers_with_the_user_name
  #       fake_secrets("db" => { "username" => "app", "password" => "test-password" },   # JSON
  #                    "api-key" => "test-api-key",                                    # a string
  #                    "signing-key" => "\x01\x02".b,                                  # binary (ASCII-8BIT)
  #                    "flags" => failing(SecretsPrefetch::AccessDeniedError)) do      # Secrets Manager refuses it
  #         assert_equal 200, handler(event: {}, context: nil)[:statusCode]
  #       end
  #     end
  #   end
  #
  # Inside the block, on this thread, SecretsPrefetch reads a ready manifest of these secrets, written to a
  # temporary directory. A name that was not declared raises UndeclaredSecretError instead of calling Secrets
  # Manager, and the block raises it again when it ends, in case the handler rescued it. Other threads, and this
  # one after the block, see the client the environment configures: ENV is never read or changed for it.
  #
  # Test support: a gem of its own (secrets_prefetch-testing), for the test group; it is not in the layer, and
  # refuses to run inside a Lambda function.
  module Testing
    # The code under test asked for a secret the test did not declare. No call to Secrets Manager was made.
    # An Exception, not a StandardError, as Minitest::Assertion is: a handler's `rescue => e` must not swallow it.
    class UndeclaredSecretError < Exception # rubocop:disable Lint/InheritException
    end

    # A secret declared failing; see #failing.
    Failing = Struct.new(:error_class)

    # What the extension writes into a manifest when Secrets Manager fails with that error.
    ERROR_CODES = {
      NotFoundError => "ResourceNotFoundException",
      AccessDeniedError => "AccessDeniedException",
      ThrottledError => "ThrottlingException",
      TimeoutError => "Timeout",
      DecryptionError => "DecryptionFailure",
      ServiceError => "InternalServiceError"
    }.freeze
    LAMBDA_VARIABLES = %w[AWS_LAMBDA_FUNCTION_NAME AWS_LAMBDA_RUNTIME_API].freeze
    SCOPE = :secrets_prefetch_fake_secrets
    NAMES_SHOWN = 20
    JSON_TYPES = [Hash, Array, Integer, Float, TrueClass, FalseClass, NilClass].freeze
    private_constant :ERROR_CODES, :LAMBDA_VARIABLES, :SCOPE, :NAMES_SHOWN, :JSON_TYPES

    @hook_lock = Mutex.new
    @hooked = false

    module_function

    # A secret that fails as if Secrets Manager had refused it: every call for it raises +error_class+
    # (NotFoundError, AccessDeniedError, ThrottledError, TimeoutError, DecryptionError or ServiceError).
    # @raise [ArgumentError] for another class: InvalidJsonError, MissingFieldError and WrongTypeError come from
    #   the value, so declare such a value instead
    def failing(error_class)
      unless ERROR_CODES.key?(error_class)
        raise ArgumentError, "a secret cannot be declared failing with #{error_class.inspect}: one of " \
                             "#{ERROR_CODES.keys.map(&:name).join(', ')}; JSON and type errors come from the value, " \
                             "so declare a value that causes them"
      end

      Failing.new(error_class)
    end

    # Runs the block with +secrets+ served to SecretsPrefetch on this thread, and returns what it returns. A value
    # is a String (a string secret; an ASCII-8BIT one is binary), #failing, or a Hash, an Array, a number, true,
    # false or nil (a JSON secret).
    # @raise [UndeclaredSecretError] at the end of the block, if the code asked for a name that was not declared
    # @raise [ArgumentError] for a declaration no manifest can carry, naming the secret, never the value
    def fake_secrets(secrets)
      raise ArgumentError, "fake_secrets needs a block, run with the fake secrets" unless block_given?

      Testing.refuse_inside_lambda
      entries, failing_ids = Testing.entries(secrets)
      Dir.mktmpdir("secrets-prefetch-test-") do |directory| # mode 0700; removed with what is in it
        Testing.write_manifest(directory, entries)
        undeclared = Undeclared.new(entries.keys)
        client = Client.new(env: { "SECRETS_PREFETCH_DIR" => directory, "SECRETS_PREFETCH_LOG_LEVEL" => "warn",
                                   "SECRETS_PREFETCH_WAIT_MS" => "0", "AWS_REGION" => "us-east-1" },
                            fetcher: Offline.new(failing_ids, undeclared))
        result = Testing.in_scope(client) { yield }
        undeclared.check
        result
      end
    end

    class << self
      # @api private
      def in_scope(client)
        hook
        thread = Thread.current
        hidden = thread.thread_variable_get(SCOPE)
        thread.thread_variable_set(SCOPE, client)
        begin
          yield
        ensure
          thread.thread_variable_set(SCOPE, hidden)
        end
      end

      # @api private
      def entries(secrets)
        raise ArgumentError, "fake_secrets needs a Hash of names and values" unless secrets.is_a?(Hash)

        now = (Time.now.to_f * 1000).to_i
        failing_ids = {}
        entries = secrets.to_h do |name, value|
          unless name.is_a?(String) && !name.strip.empty?
            raise ArgumentError, "a fake secret's name must be a non-blank String, not #{name.inspect}"
          end

          entry = { "secretId" => name, "fetchedAtEpochMs" => now }
          if value.is_a?(Failing)
            entry["error"] = { "code" => ERROR_CODES.fetch(value.error_class),
                               "message" => "declared failing by the test" }
            failing_ids[name] = value.error_class
          elsif value.is_a?(String) && value.encoding == Encoding::BINARY
            entry["secretBinary"] = [value].pack("m0")
          elsif value.is_a?(String)
            entry["secretString"] = utf8(name, value)
          else
            entry["secretString"] = json(name, value)
          end
          [utf8(name, name), entry]
        end
        [entries, failing_ids]
      end

      # @api private
      def write_manifest(directory, entries)
        manifest = { "formatVersion" => 1, "generation" => 1, "state" => "ready",
                     "writtenAtEpochMs" => (Time.now.to_f * 1000).to_i, "writer" => "secrets-prefetch-testing/1",
                     "secrets" => entries }
        # Atomically, mode 0600, as the extension writes it.
        temporary = File.join(directory, ".manifest.json.tmp")
        File.open(temporary, File::WRONLY | File::CREAT | File::EXCL, 0o600) do |file|
          file.write(JSON.generate(manifest))
        end
        File.rename(temporary, File.join(directory, "manifest.json"))
      end

      # @api private
      def refuse_inside_lambda
        LAMBDA_VARIABLES.each do |variable|
          next if ENV.fetch(variable, "").strip.empty?

          raise "fake secrets are test support: they refuse to run inside a Lambda function (#{variable} is set), " \
                "where they must never replace real secrets; keep secrets_prefetch-testing in the test group"
        end
      end

      private

      # The package's test-only hook, installed once: until then a function's calls do not look for a scope.
      def hook
        @hook_lock.synchronize do
          next if @hooked

          SecretsPrefetch.send(:scoped_clients=, -> { Thread.current.thread_variable_get(SCOPE) })
          @hooked = true
        end
      end

      def utf8(name, text)
        copy = text.encoding == Encoding::UTF_8 ? text : text.dup.force_encoding(Encoding::UTF_8)
        return copy if copy.valid_encoding?

        raise ArgumentError, "fake secret #{name.b.inspect}: a String that is not valid UTF-8 cannot be a string " \
                             "secret; make it binary with String#b"
      end

      # Only JSON's own types: JSON.generate would write any other object as its to_s.
      def json(name, value)
        raise TypeError unless JSON_TYPES.any? { |type| value.is_a?(type) }

        JSON.generate(value)
      rescue JSON::GeneratorError, NoMethodError, TypeError
        # Only the class: the error's message can quote the value.
        raise ArgumentError, "fake secret #{name.inspect}: a #{value.class} is neither a String, failing(...) nor " \
                             "JSON (a Hash, an Array, a number, true, false or nil)"
      end
    end

    # The scope's stand-in for Secrets Manager: a declared failure, or the test's error; never a call.
    class Offline
      def initialize(failing_ids, undeclared)
        @failing_ids = failing_ids
        @undeclared = undeclared
      end

      def get_secret_value(name, request, _region)
        error_class = @failing_ids[request.secret_id]
        raise @undeclared.record(name) unless error_class

        raise error_class.new("secret \"#{name}\": the test declared this secret failing with #{error_class.name}; " \
                              "no call to #{request.parameter ? 'SSM' : 'Secrets Manager'} was made",
                              secret_name: name, code: ERROR_CODES.fetch(error_class))
      end

      # An SSM parameter ARN the test did not declare: the same answers.
      alias get_parameter get_secret_value
    end

    # The names asked for that the test did not declare.
    class Undeclared
      def initialize(declared)
        @declared = declared
        @asked = []
        @lock = Mutex.new
      end

      def record(name)
        @lock.synchronize { @asked |= [name] }
        shown = @declared.first(NAMES_SHOWN).map(&:inspect).join(", ")
        shown += ", ..." if @declared.size > NAMES_SHOWN
        shown = "none" if shown.empty?
        UndeclaredSecretError.new(
          "secret #{name.inspect} is not one of the fake secrets this test declared (#{shown}); " \
          "declare it, e.g. fake_secrets(#{name.inspect} => ...), or #{name.inspect} => " \
          "failing(SecretsPrefetch::NotFoundError) for a secret the code must do without. No call to Secrets " \
          "Manager was made."
        )
      end

      def check
        asked = @lock.synchronize { @asked.dup }
        return if asked.empty?

        raise UndeclaredSecretError, "the code under test asked for secrets this test did not declare: " \
                                     "#{asked.map(&:inspect).join(', ')} (each call raised UndeclaredSecretError; if " \
                                     "none reached the test, the code rescued it). Declare them in fake_secrets."
      end
    end
    private_constant :Offline, :Undeclared
  end
end
