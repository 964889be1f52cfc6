# frozen_string_literal: true

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

  def test_manifest_read_in_a_fresh_process_loads_no_aws_library_nor_net_http
    @dir.write(ready(db: entry("prod/db", string: "test-sub-spv-Xx01")))
    out, err, status = ruby(<<~RUBY, "SECRETS_PREFETCH_DIR" => @dir.path, "SECRETS_PREFETCH_LOG_LEVEL" => "warn")
      require "json"
      require "secrets_prefetch"
      ok = SecretsPrefetch.get("db") == "test-sub-spv-Xx01"
      loaded = $LOADED_FEATURES.grep(%r{aws-|seahorse|net/http})
      $stdout.write(JSON.generate("ok" => ok, "loaded" => loaded))
    RUBY
    assert status.success?, "subprocess failed: #{err}"
    result = JSON.parse(out)
    assert result["ok"], "value read through SecretsPrefetch.get differs"
    assert_equal [], result["loaded"]
  end

  def test_secrets_is_an_alias_unless_the_application_has_its_own
    out, err, status = ruby('require "secrets_prefetch"; print Secrets.equal?(SecretsPrefetch)')
    assert status.success?, err
    assert_equal "true", out

    out, err, status = ruby('Secrets = Module.new; require "secrets_prefetch"; print Secrets.equal?(SecretsPrefetch)')
    assert status.success?, err
    assert_equal "false", out
    assert_empty err, "no warning about a redefined constant"
  end

  def test_module_methods_use_the_configured_environment
    @dir.write(ready(db: entry("prod/db", string: '{"password":"test-mod-spv-Yy02"}'),
                     key: entry("prod/key", binary: KEY)))
    SecretsPrefetch.configure(env: { "SECRETS_PREFETCH_DIR" => @dir.path }, out: @out)

    assert_value '{"password":"test-mod-spv-Yy02"}', SecretsPrefetch.get("db"), "db"
    assert_value "test-mod-spv-Yy02", Secrets.get_field("db", "password"), "db.password"
    assert_value "test-mod-spv-Yy02", SecretsPrefetch.get_json("db").fetch("password"), "db json"
    assert_value KEY, SecretsPrefetch.get_binary("key"), "key"
    assert_raises(SecretsPrefetch::ConfigError) { SecretsPrefetch.configure(env: { "SECRETS_PREFETCH_WAIT_MS" => "x" }) }
  ensure
    SecretsPrefetch.configure(env: {}, out: StringIO.new)
  end

  def test_every_error_is_a_secrets_prefetch_error
    %i[NotFoundError AccessDeniedError ThrottledError TimeoutError DecryptionError InvalidJsonError MissingFieldError
       WrongTypeError MissingDependencyError ConfigError ServiceError].each do |name|
      assert_operator SecretsPrefetch.const_get(name), :<, SecretsPrefetch::Error
    end
    assert_operator SecretsPrefetch::Error, :<, StandardError
  end
end
