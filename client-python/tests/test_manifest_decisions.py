# SPDX-License-Identifier: Apache-2.0
"""The client's decision per call (docs/manifest.md, "Rules for readers"), with a recording fetcher in place of
the boto3 path: which secrets come from the manifest, which from a direct call, and for how long those are kept."""

from __future__ import annotations

import threading

from helpers import RecordingFetcher, assert_no_leak, assert_same, entry, failure, fake_binary, fake_value, ready

from secrets_prefetch import Reason
from secrets_prefetch._fallback import CACHE_TTL_MS
from secrets_prefetch._source import RECHECK_MS


def test_value_in_the_manifest_is_served_without_any_direct_call(harness):
    value = fake_value("db")
    harness.dir.write(ready(db=entry("prod/db", string=value)))
    secrets = harness.client()
    for asked in ("db", "prod/db"):
        assert_same(value, secrets.get(asked), asked)
    assert harness.fetcher.calls == []
    assert_no_leak(harness.log, value)


def test_binary_value_in_the_manifest_is_served_byte_for_byte(harness):
    value = fake_binary(bytes(range(256)))
    harness.dir.write(ready(key=entry("prod/key", binary=value)))
    assert_same(value, harness.client().get_binary("key"), "key")
    assert harness.fetcher.calls == []


def test_error_entry_falls_back_to_a_direct_call_for_its_secret_id(harness):
    harness.dir.write(ready(db=entry("prod/db", error="AccessDeniedException")))
    harness.fetcher = RecordingFetcher({"prod/db": "direct-db-spv-Dc1a"})
    assert_same("direct-db-spv-Dc1a", harness.client().get("db"), "db")
    assert [(c.secret_id, c.version_id, c.version_stage, c.region) for c in harness.fetcher.calls] == [
        ("prod/db", None, None, "us-east-1")]
    info = harness.lines("INFO")
    assert any('secret "db": manifest generation 1 has error AccessDeniedException for it; calling Secrets Manager '
               'GetSecretValue for "prod/db" in us-east-1' in line for line in info), info


def test_error_entry_that_pinned_a_version_falls_back_to_that_version(harness):
    harness.dir.write(ready(old=entry("prod/db", error="Timeout", requestedVersionStage="AWSPREVIOUS"),
                            pinned=entry("prod/db", error="Timeout", requestedVersionId="v-1")))
    harness.fetcher = RecordingFetcher({"prod/db": "direct-old-spv-Dc2b"})
    secrets = harness.client()
    secrets.get("old")
    secrets.get("pinned")
    assert [(c.secret_id, c.version_id, c.version_stage) for c in harness.fetcher.calls] == [
        ("prod/db", None, "AWSPREVIOUS"), ("prod/db", "v-1", None)]


def test_entry_that_pins_a_version_is_not_found_by_its_secret_id(harness):
    harness.dir.write(ready(old=entry("prod/db", string=fake_value("old"), requestedVersionStage="AWSPREVIOUS")))
    harness.fetcher = RecordingFetcher({"prod/db": "direct-current-spv-Dc3c"})
    assert_same("direct-current-spv-Dc3c", harness.client().get("prod/db"), "prod/db")


def test_name_not_in_the_manifest_is_fetched_directly_by_that_name(harness):
    harness.dir.write(ready(db=entry("prod/db", string=fake_value("db"))))
    harness.fetcher = RecordingFetcher({"prod/other": "direct-other-spv-Dc4d"})
    assert_same("direct-other-spv-Dc4d", harness.client().get("prod/other"), "prod/other")
    assert [c.secret_id for c in harness.fetcher.calls] == ["prod/other"]


def test_without_a_manifest_every_secret_comes_from_a_direct_call_in_the_arn_region_or_aws_region(harness):
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
    harness.fetcher = RecordingFetcher({"prod/db": "direct-db-spv-Dc5e", arn: "direct-arn-spv-Dc6f"})
    secrets = harness.client(env={"AWS_REGION": "", "AWS_DEFAULT_REGION": "ap-south-1"})
    secrets.get("prod/db")
    secrets.get(arn)
    assert [c.region for c in harness.fetcher.calls] == ["ap-south-1", "eu-west-1"]


def test_direct_values_are_cached_for_300_seconds_and_failures_not_at_all(harness):
    harness.fetcher = RecordingFetcher({"prod/db": "direct-db-spv-Dc7g"})
    secrets = harness.client()
    secrets.get("prod/db")
    harness.clock.advance(CACHE_TTL_MS - 1)
    secrets.get("prod/db")
    assert len(harness.fetcher.calls) == 1
    harness.clock.advance(1)
    secrets.get("prod/db")
    assert len(harness.fetcher.calls) == 2
    for _ in range(2):
        assert failure(secrets.get, "prod/missing").reason == Reason.NOT_FOUND
    assert len(harness.fetcher.calls) == 4, "a failure is tried again on the next call"


def test_concurrent_misses_for_the_same_secret_make_one_direct_call(harness):
    release = threading.Event()

    class SlowFetcher(RecordingFetcher):
        def get_secret_value(self, name, request, region):
            release.wait(10)
            return super().get_secret_value(name, request, region)

    harness.fetcher = SlowFetcher({"prod/db": "direct-db-spv-Dc8h"})
    secrets = harness.client()
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(secrets.get("prod/db"))) for _ in range(8)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(10)
    assert len(results) == 8
    for result in results:
        assert_same("direct-db-spv-Dc8h", result, "prod/db")
    assert len(harness.fetcher.calls) == 1


def test_string_accessors_on_a_binary_secret_fail_as_wrong_type_and_the_other_way_round(harness):
    harness.dir.write(ready(key=entry("prod/key", binary=fake_binary(b"\x00\x01")),
                            text=entry("prod/text", string=fake_value("text"))))
    secrets = harness.client()
    for call, name in ((secrets.get, "key"), (secrets.get_json, "key"), (secrets.get_binary, "text")):
        error = failure(call, name)
        assert error.reason == Reason.WRONG_TYPE and error.secret_name == name
    assert "use get_binary" in str(failure(secrets.get, "key"))
    assert failure(secrets.get_field, "key", "x").reason == Reason.WRONG_TYPE


def test_json_secret_gives_fields_and_python_values(harness):
    harness.dir.write(ready(db=entry("prod/db", string='{"user": "app", "password": "pw-spv-Js1a", "port": 5432, '
                                                       '"ratio": 0.5, "tls": true, "hosts": ["a", "b"]}')))
    secrets = harness.client()
    assert secrets.get_field("db", "port") == "5432"
    assert secrets.get_field("db", "tls") == "true"
    assert secrets.get_field("db", "hosts") == '["a", "b"]'
    db = secrets.get_json("db")
    assert (db["user"], db["port"], db["ratio"], db["tls"], db["hosts"]) == ("app", 5432, 0.5, True, ["a", "b"])
    db["user"] = "changed"
    assert secrets.get_json("db")["user"] == "app", "each call returns a new object"


def test_json_failures_never_quote_the_secret(harness):
    harness.dir.write(ready(bad=entry("prod/bad", string='{"password": "pw-spv-Js2b", oops}'),
                            db=entry("prod/db", string='{"password": "pw-spv-Js3c"}')))
    secrets = harness.client()
    for error in (failure(secrets.get_json, "bad"), failure(secrets.get_field, "bad", "password"),
                  failure(secrets.get_field, "db", "user")):
        assert_no_leak(str(error) + repr(error), "pw-spv-Js2b", "pw-spv-Js3c")
        # No JSON parser's exception rides along: tracebacks print those, and they may quote the input.
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    assert failure(secrets.get_field, "db", "user").reason == Reason.NO_SUCH_FIELD


def test_new_generation_is_served_once_the_recheck_interval_has_passed(harness):
    first, second = fake_value("first"), fake_value("second")
    harness.dir.write(ready(1, db=entry("prod/db", string=first)))
    secrets = harness.client()
    assert_same(first, secrets.get("db"), "generation 1")
    harness.dir.write(ready(2, db=entry("prod/db", string=second)))
    harness.clock.advance(RECHECK_MS - 1)
    assert_same(first, secrets.get("db"), "within the interval")
    harness.clock.advance(1)
    assert_same(second, secrets.get("db"), "after the interval")


def test_within_the_recheck_interval_the_file_is_not_looked_at(harness, monkeypatch):
    harness.dir.write(ready(db=entry("prod/db", string=fake_value("db"))))
    secrets = harness.client()
    secrets.get("db")
    import secrets_prefetch._source as source

    looks = []
    real_stat = source.os.stat
    monkeypatch.setattr(source.os, "stat", lambda *a, **k: looks.append(a) or real_stat(*a, **k))
    for _ in range(100):
        secrets.get("db")
        harness.clock.advance(RECHECK_MS / 100 - 0.01)
    assert looks == []
    harness.clock.advance(2)
    secrets.get("db")
    assert len(looks) == 1


def test_unchanged_file_is_not_read_again_at_the_next_recheck(harness):
    harness.dir.write(ready(db=entry("prod/db", string=fake_value("db"))))
    secrets = harness.client()
    for _ in range(5):
        secrets.get("db")
        harness.clock.advance(RECHECK_MS)
    assert sum(" read: generation 1" in line for line in harness.lines("DEBUG")) == 1


def test_manifest_removed_by_the_extension_means_direct_calls_after_the_recheck(harness):
    harness.dir.write(ready(db=entry("prod/db", string=fake_value("db"))))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Rm1a"})
    secrets = harness.client()
    secrets.get("db")
    harness.dir.manifest.unlink()
    harness.clock.advance(RECHECK_MS)
    assert_same("direct-db-spv-Rm1a", secrets.get("db"), "db")
    assert harness.lines("WARN") == [], "no manifest is not a problem"


def test_unknown_prefixed_variable_is_warned_about_when_the_client_starts(harness):
    harness.client(env={"SECRETS_PREFETCH_WAITMS": "5"})
    warnings = harness.lines("WARN")
    assert len(warnings) == 1 and "SECRETS_PREFETCH_WAITMS" in warnings[0]


def test_log_level_filters_lines_and_names_cannot_break_a_line(harness):
    harness.fetcher = RecordingFetcher({"a\nb": "direct-spv-Lg1a"})
    harness.client(env={"SECRETS_PREFETCH_LOG_LEVEL": "warn"}).get("a\nb")
    assert harness.log == ""
    harness.client(env={"SECRETS_PREFETCH_LOG_LEVEL": "info"}).get("a\nb")
    lines = harness.lines()
    assert len(lines) == 1, lines
    assert lines[0].startswith('[secrets-prefetch] INFO secret "a\\u000ab": no usable manifest; ')


def test_non_string_names_and_fields_are_type_errors(harness):
    secrets = harness.client()
    for bad in (None, b"db", 5):
        try:
            secrets.get(bad)  # type: ignore[arg-type]
        except TypeError as e:
            assert "secret name must be a str" in str(e)
        else:
            raise AssertionError("no TypeError")
    harness.dir.write(ready(db=entry("prod/db", string='{"a": "spv-Ty1a"}')))
    try:
        secrets.get_field("db", None)  # type: ignore[arg-type]
    except TypeError as e:
        assert "field must be a str" in str(e)
    else:
        raise AssertionError("no TypeError")


def test_unusable_manifests_are_warned_about_once_per_process_and_a_fixed_one_is_served(harness):
    value = fake_value("fixed")
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Wn1a"})
    secrets = harness.client()
    for broken in (b"{not json", b'{"formatVersion": 2}', b'{"formatVersion": 1, "formatVersion": 1}'):
        harness.dir.write(broken)
        harness.clock.advance(RECHECK_MS)
        assert_same("direct-db-spv-Wn1a", secrets.get("db"), "db")
    warnings = harness.lines("WARN")
    assert len(warnings) == 1 and "manifest is not valid JSON" in warnings[0], harness.log
    assert sum(" ignored: " in line for line in harness.lines("DEBUG")) == 2, "later problems at debug level"
    harness.dir.write(ready(2, db=entry("prod/db", string=value)))
    harness.clock.advance(RECHECK_MS)
    assert_same(value, secrets.get("db"), "db")
