# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

class ClientTest < Minitest::Test
  include TestSupport

  DB = '{"username":"app","password":"test-db-password-spv-Qa81","port":5432}'

  def test_value_in_a_ready_manifest_is_returned_without_a_direct_call
    @dir.write(ready(db: entry("prod/db", string: DB, arn: "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-Ab")))
    fetcher = RecordingFetcher.new
    secrets = client(fetcher: fetcher)

    %w[db prod/db arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-Ab].each do |name|
      assert_value DB, secrets.get(name), name
    end
    assert_empty fetcher.calls
  end

  def test_missing_manifest_falls_back_to_a_direct_call_with_the_name_as_given
    fetcher = RecordingFetcher.new("prod/api" => "test-api-key-spv-Hh31")
    assert_value "test-api-key-spv-Hh31", client(fetcher: fetcher).get("prod/api"), "prod/api"
    call = fetcher.calls.fetch(0)
    assert_equal ["prod/api", nil, nil, "us-east-1"], [call.secret_id, call.version_id, call.version_stage, call.region]
    assert_match(/INFO secret "prod\/api": no usable manifest; calling Secrets Manager GetSecretValue/, @out.string)
  end

  def test_name_not_in_the_manifest_is_fetched_directly
    @dir.write(ready(db: entry("prod/db", string: DB)))
    fetcher = RecordingFetcher.new("prod/other" => "test-other-spv-Pp20")
    assert_value "test-other-spv-Pp20", client(fetcher: fetcher).get("prod/other"), "prod/other"
    assert_equal ["prod/other"], fetcher.calls.map(&:secret_id)
  end

  def test_error_entry_is_fetched_directly_by_its_secret_id_and_pinned_version
    @dir.write(ready(old: entry("prod/db", error: "ThrottlingException", requestedVersionStage: "AWSPREVIOUS"),
                     cert: entry("prod/cert", error: "Timeout", requestedVersionId: "v-7")))
    fetcher = RecordingFetcher.new("prod/db" => "test-old-db-spv-Rt55", "prod/cert" => "test-cert-spv-Mm02")
    secrets = client(fetcher: fetcher)

    assert_value "test-old-db-spv-Rt55", secrets.get("old"), "old"
    assert_value "test-cert-spv-Mm02", secrets.get("cert"), "cert"
    calls = fetcher.calls.map { |c| [c.name, c.secret_id, c.version_id, c.version_stage] }
    assert_equal [["old", "prod/db", nil, "AWSPREVIOUS"], ["cert", "prod/cert", "v-7", nil]], calls
    assert_includes @out.string, "manifest generation 1 has error ThrottlingException for it"
  end

  def test_entry_pinning_a_version_is_not_found_by_its_secret_id
    @dir.write(ready(previous: entry("prod/db", string: "test-previous-spv-Zz19", requestedVersionStage: "AWSPREVIOUS")))
    fetcher = RecordingFetcher.new("prod/db" => "test-current-spv-Kk73")
    assert_value "test-current-spv-Kk73", client(fetcher: fetcher).get("prod/db"), "prod/db"
    assert_equal 1, fetcher.calls.size
  end

  def test_direct_results_are_cached_for_300_seconds
    clock = FakeClock.new
    fetcher = RecordingFetcher.new("prod/api" => "test-api-key-spv-Hh31")
    secrets = client(fetcher: fetcher, clock: clock)

    secrets.get("prod/api")
    clock.advance(299_999)
    secrets.get("prod/api")
    assert_equal 1, fetcher.calls.size
    clock.advance(2)
    assert_value "test-api-key-spv-Hh31", secrets.get("prod/api"), "prod/api"
    assert_equal 2, fetcher.calls.size
  end

  def test_failed_direct_calls_are_not_cached
    fetcher = RecordingFetcher.new
    secrets = client(fetcher: fetcher)
    2.times { assert_raises(SecretsPrefetch::NotFoundError) { secrets.get("prod/none") } }
    assert_equal 2, fetcher.calls.size
  end

  def test_region_comes_from_the_arn_else_aws_region_else_aws_default_region
    arn = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/x-AbCdEf"
    fetcher = RecordingFetcher.new(arn => "test-arn-spv-Rg01", "plain" => "test-plain-spv-Rg02")
    client(fetcher: fetcher, env: { "AWS_REGION" => "eu-west-1" }).get(arn)
    client(fetcher: fetcher, env: { "AWS_REGION" => "eu-west-1" }).get("plain")
    client(fetcher: fetcher, env: { "AWS_REGION" => "", "AWS_DEFAULT_REGION" => "sa-east-1" }).get("plain")
    assert_equal %w[ap-south-1 eu-west-1 sa-east-1], fetcher.calls.map(&:region)
  end

  def test_no_region_at_all_is_a_config_error_naming_the_variables
    error = assert_raises(SecretsPrefetch::ConfigError) { client(env: { "AWS_REGION" => nil }).get("plain") }
    assert_includes error.message, "AWS_REGION"
    assert_includes error.message, "AWS_DEFAULT_REGION"
    assert_equal "plain", error.secret_name
  end

  def test_binary_and_string_secrets_are_not_mixed_up
    bytes = fake_binary((0..255).to_a.pack("C*"))
    @dir.write(ready(key: entry("prod/key", binary: bytes), text: entry("prod/text", string: "test-text-spv-Vb62")))
    secrets = client

    assert_value bytes.b, secrets.get_binary("key"), "key"
    error = assert_raises(SecretsPrefetch::WrongTypeError) { secrets.get("key") }
    assert_equal 'secret "key" is binary; use get_binary', error.message
    error = assert_raises(SecretsPrefetch::WrongTypeError) { secrets.get_binary("text") }
    assert_includes error.message, 'secret "text" is a string; use get'
  end

  def test_returned_strings_are_copies_the_caller_may_change
    @dir.write(ready(text: entry("prod/text", string: "test-text-spv-Vb62")))
    secrets = client
    secrets.get("text") << "-changed"
    assert_value "test-text-spv-Vb62", secrets.get("text"), "text"
  end

  def test_json_field_and_whole_object
    @dir.write(ready(db: entry("prod/db", string: DB)))
    secrets = client

    assert_value "test-db-password-spv-Qa81", secrets.get_field("db", "password"), "db.password"
    assert_equal "5432", secrets.get_field("db", :port), "numbers as written"
    hash = secrets.get_json("db")
    assert_equal %w[password port username], hash.keys.sort
    hash["password"] = "changed"
    assert_value "test-db-password-spv-Qa81", secrets.get_json("db")["password"], "db.password"
  end

  def test_json_errors_name_the_secret_and_never_the_value
    @dir.write(ready(db: entry("prod/db", string: DB), bad: entry("prod/bad", string: "test-not-json-{spv-Yu40"),
                     list: entry("prod/list", string: '["test-in-list-spv-Cc11"]')))
    secrets = client

    missing = assert_raises(SecretsPrefetch::MissingFieldError) { secrets.get_field("db", "pasword") }
    assert_equal 'secret "db" has no field "pasword"', missing.message
    invalid = assert_raises(SecretsPrefetch::InvalidJsonError) { secrets.get_json("bad") }
    assert_equal 'secret "bad" is not valid JSON', invalid.message
    assert_nil invalid.cause, "the parser's error quotes the value"
    not_object = assert_raises(SecretsPrefetch::InvalidJsonError) { secrets.get_field("list", "x") }
    assert_equal 'secret "list" is JSON but not an object (an array)', not_object.message
    [missing, invalid, not_object].each do |e|
      assert_kind_of SecretsPrefetch::JsonError, e
      refute_leaks e.full_message, "test-db-password-spv-Qa81", "test-not-json-{spv-Yu40", "test-in-list-spv-Cc11"
    end
  end

  def test_bad_name_is_an_argument_error
    assert_raises(ArgumentError) { client.get("") }
    assert_raises(ArgumentError) { client.get(:db) }
    assert_raises(ArgumentError) { client.get_field("db", nil) }
  end

  def test_get_json_returns_any_json_value_but_null
    @dir.write(ready(list: entry("prod/list", string: '["test-in-list-spv-Cc12", 2.5, {"a": null}]'),
                     null: { "secretId" => "prod/null", "fetchedAtEpochMs" => 1, "secretString" => "null" },
                     num: { "secretId" => "prod/num", "fetchedAtEpochMs" => 1, "secretString" => " 12 " }))
    secrets = client

    list = secrets.get_json("list")
    assert_equal [String, Float, Hash], list.map(&:class)
    list[2]["a"] = "changed" # ordinary objects, not the parser's key-checking ones
    assert_equal 12, secrets.get_json("num")
    error = assert_raises(SecretsPrefetch::InvalidJsonError) { secrets.get_json("null") }
    assert_equal 'secret "null" is the JSON literal null', error.message
  end

  def test_log_lines_have_the_prefix_and_respect_the_threshold
    fetcher = RecordingFetcher.new("a" => "test-a-spv-Jj01")
    client(fetcher: fetcher).get("a")
    assert log_lines.all? { |l| l.match?(/\A\[secrets-prefetch\] (DEBUG|INFO|WARN|ERROR) \S/) }
    refute_empty log_lines("INFO")

    @out.truncate(0)
    @out.rewind
    client(fetcher: fetcher, env: { "SECRETS_PREFETCH_LOG_LEVEL" => "WARN" }).get("a")
    client(fetcher: fetcher, env: { "SECRETS_PREFETCH_LOG_LEVEL" => "off" }).get("a")
    assert_empty @out.string
  end
end
