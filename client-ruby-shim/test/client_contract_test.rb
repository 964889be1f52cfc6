# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"

# fixtures/client-contract/names.json and json-values.json, case by case, through the client as a handler calls
# it: the names it accepts or refuses, and get_field / get_json on JSON secrets. Values are compared without
# ever being printed.
class ClientContractTest < Minitest::Test
  include TestSupport

  NAMES = JSON.parse(File.read(File.join(TestSupport::CONTRACT, "names.json")))
  JSON_VALUES = JSON.parse(File.read(File.join(TestSupport::CONTRACT, "json-values.json")))
  # The reasons json-values.json names, as the shim's error classes.
  ERRORS = { "NO_SUCH_FIELD" => SecretsPrefetch::MissingFieldError,
             "INVALID_JSON" => SecretsPrefetch::InvalidJsonError }.freeze

  def test_accepted_names_reach_the_manifest_or_a_direct_call
    values = NAMES.fetch("accepted").to_h { |name| [name, fake_value("test-name")] }
    @dir.write(ready(**values.to_h { |name, value| [name.to_sym, entry("id/#{name}", string: value)] }))
    fetcher = RecordingFetcher.new
    secrets = client(fetcher: fetcher)
    values.each { |name, value| assert_value value, secrets.get(name), "name of #{name.length} chars" }
    assert_empty fetcher.calls
  end

  def test_a_name_without_an_entry_is_the_direct_call_names_json_says
    direct = NAMES.fetch("directCalls")
    direct.fetch("cases").each do |c|
      fetcher = RecordingFetcher.new(c["id"] => "test-contract-direct-spv-Nm6c")
      secrets = client(env: { "AWS_REGION" => direct.fetch("region") }, fetcher: fetcher)
      assert_value "test-contract-direct-spv-Nm6c", secrets.get(c["name"]), c["name"]
      assert_equal [[c["id"], c["call"] == "GetParameter", c["region"]]],
                   fetcher.calls.map { |call| [call.secret_id, call.parameter, call.region] }, c["name"]
    end
  end

  def test_refused_names_are_an_argument_error_before_anything_is_read_or_called
    fetcher = RecordingFetcher.new
    secrets = client(fetcher: fetcher)
    NAMES.fetch("refused").each do |name|
      %i[get get_binary get_json].each do |method|
        error = assert_raises(ArgumentError, "#{method}(#{name.inspect})") { secrets.public_send(method, name) }
        assert_includes error.message, "must not be empty or only whitespace"
      end
      assert_raises(ArgumentError) { secrets.get_field(name, "x") }
    end
    assert_empty fetcher.calls
    assert_empty @out.string, "nothing was read"
  end

  def test_a_name_that_is_not_a_string_is_an_argument_error
    [nil, :db, 5].each { |name| assert_raises(ArgumentError) { client.get(name) } }
  end

  JSON_VALUES.fetch("fields").each_with_index do |c, i|
    define_method("test_json_field_case_#{i}_#{(c['note'] || c['field']).gsub(/\W+/, '_')}") { check_field(c) }
  end

  JSON_VALUES.fetch("documents").each_with_index do |c, i|
    define_method("test_json_document_case_#{i}_#{c['valid'] ? 'valid' : 'invalid'}") { check_document(c) }
  end

  private

  def secrets_with(text)
    @dir.write(ready(s: { "secretId" => "prod/s", "fetchedAtEpochMs" => 1, "secretString" => text }))
    client
  end

  def check_field(c)
    secrets = secrets_with(c.fetch("secret"))
    if c.key?("error")
      error = assert_raises(ERRORS.fetch(c["error"]), "case #{c['note'] || c['field']}") do
        secrets.get_field("s", c.fetch("field"))
      end
      assert_equal "s", error.secret_name
      refute_leaks error.full_message, c["secret"] if c["secret"].match?(MARKER)
    else
      value = secrets.get_field("s", c.fetch("field"))
      assert_value c.fetch("value"), value, "field #{c['field']} (#{c['note']})"
      refute value.frozen?, "a new String the caller may change"
    end
  end

  def check_document(c)
    secrets = secrets_with(c.fetch("secret"))
    if c.fetch("valid")
      assert_equal JSON.parse(c["secret"]), secrets.get_json("s"), "document #{c['secret'].bytesize} bytes"
    else
      assert_raises(SecretsPrefetch::InvalidJsonError, "document #{c['secret'].bytesize} bytes") do
        secrets.get_json("s")
      end
    end
  end
end
