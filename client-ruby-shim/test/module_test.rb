# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "open3"
require "rbconfig"

# The public surface, as a handler uses it: require, the module's methods, the Secrets alias, and what a
# manifest read loads (in fresh ruby processes, so nothing loaded by other tests counts).
class ModuleTest < Minitest::Test
  include TestSupport

  KEY = "spv-Key0\x00\xFF".b

  # The developer's own settings must not change what the subprocess does.
  CLEAN = %w[SECRETS_PREFETCH_DIR SECRETS_PREFETCH_WAIT_MS SECRETS_PREFETCH_LOG_LEVEL AWS_ENDPOINT_URL_SECRETS_MANAGER
             RUBYOPT].to_h { |k| [k, nil] }.freeze

  def ruby(script, env = {})
    Open3.capture3(CLEAN.merge(env), RbConfig.ruby, "-I", TestSupport::LIB, "-e", script)
  end

  # Every file of the shim that a ready manifest's read loads, and nothing beyond the standard library: what is
  # compiled at a cold start is most of the shim's cost (docs/benchmarks.md), so the pending wait, direct calls,
  # their settings, JSON secrets and the error classes are loaded only when first needed.
  MANIFEST_PATH_FILES = %w[secrets_prefetch.rb secrets_prefetch/client.rb secrets_prefetch/config.rb
                           secrets_prefetch/manifest.rb secrets_prefetch/strict_json.rb].freeze

  def test_manifest_read_in_a_fresh_process_loads_only_the_manifest_path
    @dir.write(ready(db: entry("prod/db", string: "test-sub-spv-Xx01"),
                     key: entry("prod/key", binary: KEY)))
    out, err, status = ruby(<<~RUBY, "SECRETS_PREFETCH_DIR" => @dir.path, "SECRETS_PREFETCH_LOG_LEVEL" => "warn")
      require "json"
      before = $LOADED_FEATURES.dup
      require "secrets_prefetch"
      ok = SecretsPrefetch.get("db") == "test-sub-spv-Xx01" && SecretsPrefetch.get_binary("key") == #{KEY.inspect}.b
      ok &&= SecretsPrefetch.get("db") == "test-sub-spv-Xx01" # from memory: no file loaded on a warm get either
      $stdout.write(JSON.generate("ok" => ok, "loaded" => $LOADED_FEATURES - before))
    RUBY
    assert status.success?, "subprocess failed: #{err}"
    result = JSON.parse(out)
    assert result["ok"], "value read through SecretsPrefetch.get differs"
    shim, others = result["loaded"].partition { |file| file.start_with?("#{TestSupport::LIB}/") }
    assert_equal MANIFEST_PATH_FILES.sort, shim.map { |file| file.delete_prefix("#{TestSupport::LIB}/") }.sort
    assert_equal [], others, "nothing beyond the shim's manifest path, not even from the standard library"
  end

  def test_each_lazily_loaded_part_is_loaded_by_what_first_needs_it
    @dir.write(ready(db: entry("prod/db", string: '{"password":"test-lazy-spv-Lz01"}')))
    out, err, status = ruby(<<~RUBY, "SECRETS_PREFETCH_DIR" => @dir.path, "SECRETS_PREFETCH_LOG_LEVEL" => "warn")
      require "json"
      require "secrets_prefetch"
      shim = -> { $LOADED_FEATURES.grep(%r{/secrets_prefetch/}).map { |file| File.basename(file, ".rb") }.sort }
      steps = {}
      SecretsPrefetch.get("db")
      steps["get"] = shim.()
      SecretsPrefetch.get_field("db", "password")
      steps["get_field"] = shim.() - steps["get"]
      begin
        SecretsPrefetch.get_binary("db")
      rescue SecretsPrefetch::WrongTypeError
        steps["error"] = shim.() - steps["get"] - steps["get_field"]
      end
      $stdout.write(JSON.generate(steps))
    RUBY
    assert status.success?, "subprocess failed: #{err}"
    assert_equal({ "get" => %w[client config manifest strict_json], "get_field" => ["json_secret"],
                   "error" => ["errors"] }, JSON.parse(out))
  end

  # An application's own Secrets, defined before or after the shim, in any form, is the application's alone.
  def test_the_shim_defines_no_secrets_constant_of_its_own
    out, err, status = ruby('require "secrets_prefetch"; print defined?(Secrets).inspect')
    assert status.success?, err
    assert_equal "nil", out

    [%(require "secrets_prefetch"; class Secrets; def self.get(_) = "app"; end),
     %(require "secrets_prefetch"; module Secrets; def self.get(_) = "app"; end),
     %(module Secrets; def self.get(_) = "app"; end; require "secrets_prefetch")].each do |app|
      out, err, status = ruby("#{app}\nprint Secrets.get('x'), ' ', SecretsPrefetch.method(:get).owner")
      assert status.success?, "#{app}: #{err}"
      assert_equal "app SecretsPrefetch", out, app
      assert_empty err, "no warning"
    end
  end

  def test_the_secrets_alias_is_opt_in_and_reopening_it_leaves_secrets_prefetch_alone
    @dir.write(ready(db: entry("prod/db", string: "test-alias-spv-Al01")))
    out, err, status = ruby(<<~RUBY, "SECRETS_PREFETCH_DIR" => @dir.path, "SECRETS_PREFETCH_LOG_LEVEL" => "warn")
      require "secrets_prefetch/secrets"
      ok = Secrets.get("db") == "test-alias-spv-Al01"
      module Secrets
        def self.get(_) = "app"
      end
      print ok, " ", SecretsPrefetch.get("db") == "test-alias-spv-Al01", " ", Secrets.get("db")
    RUBY
    assert status.success?, err
    assert_equal "true true app", out
    assert_empty err
  end

  def test_asking_for_the_alias_where_secrets_exists_says_so
    out, err, status = ruby('class Secrets; end; require "secrets_prefetch/secrets"')
    refute status.success?
    assert_empty out
    assert_includes err, "Secrets is already defined (Secrets), so it cannot be the alias of SecretsPrefetch; " \
                         "call SecretsPrefetch.get instead (NameError)"
  end

  def test_module_methods_use_the_configured_environment
    @dir.write(ready(db: entry("prod/db", string: '{"password":"test-mod-spv-Yy02"}'),
                     key: entry("prod/key", binary: KEY)))
    SecretsPrefetch.configure(env: { "SECRETS_PREFETCH_DIR" => @dir.path }, out: @out)

    assert_value '{"password":"test-mod-spv-Yy02"}', SecretsPrefetch.get("db"), "db"
    assert_value "test-mod-spv-Yy02", SecretsPrefetch.get_field("db", "password"), "db.password"
    assert_value "test-mod-spv-Yy02", SecretsPrefetch.get_json("db").fetch("password"), "db json"
    assert_value KEY, SecretsPrefetch.get_binary("key"), "key"
    assert_raises(SecretsPrefetch::ConfigError) do
      SecretsPrefetch.configure(env: { "SECRETS_PREFETCH_WAIT_MS" => "x" })
    end
  ensure
    SecretsPrefetch.configure(env: {}, out: StringIO.new)
  end

  def test_every_error_class_is_autoloaded_and_only_loaded_when_named
    out, err, status = ruby(<<~RUBY)
      require "json"
      require "secrets_prefetch"
      autoloaded = SecretsPrefetch.constants.select { |c| SecretsPrefetch.autoload?(c) }.sort
      loaded_before = $LOADED_FEATURES.grep(%r{secrets_prefetch/errors.rb}).size
      SecretsPrefetch::ConfigError
      errors = SecretsPrefetch.constants.select do |c|
        (k = SecretsPrefetch.const_get(c)).is_a?(Class) && k <= SecretsPrefetch::Error
      end
      print JSON.generate("autoloaded" => autoloaded, "errors" => errors.sort, "loaded_before" => loaded_before)
    RUBY
    assert status.success?, err
    result = JSON.parse(out)
    assert_equal 0, result["loaded_before"]
    assert_equal (result["errors"] + ["VERSION"]).sort, result["autoloaded"], "errors.rb and the autoload list agree"
  end

  def test_every_error_is_a_secrets_prefetch_error
    %i[NotFoundError AccessDeniedError ThrottledError TimeoutError DecryptionError InvalidJsonError MissingFieldError
       WrongTypeError MissingDependencyError ConfigError ServiceError].each do |name|
      assert_operator SecretsPrefetch.const_get(name), :<, SecretsPrefetch::Error
    end
    assert_operator SecretsPrefetch::Error, :<, StandardError
  end
end
