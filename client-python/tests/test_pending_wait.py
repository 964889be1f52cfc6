# SPDX-License-Identifier: Apache-2.0
"""A pending manifest: calls wait (polling the file in growing steps, never spinning) until it is ready, its
deadline has passed or SECRETS_PREFETCH_WAIT_MS is spent, then decide again on what is there."""

from __future__ import annotations

import io
import threading
import time

from helpers import FakeClock, RecordingFetcher, assert_same, entry, fake_value, pending, ready

from secrets_prefetch._client import FIRST_POLL_MS, MAX_POLL_MS, Client
from secrets_prefetch._source import RECHECK_MS


def test_ready_written_while_calls_wait_is_served_without_any_direct_call(harness):
    """Real time and real threads: several handlers' threads wait while the 'extension' finishes."""
    value = fake_value("db")
    harness.dir.write(pending(int(time.time() * 1000) + 20_000))
    secrets = harness.client(clock=None)  # the real clock
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(secrets.get("db"))) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.15)
    harness.dir.write(ready(2, db=entry("prod/db", string=value)))
    for t in threads:
        t.join(10)
    assert len(results) == 4
    for result in results:
        assert_same(value, result, "db")
    assert harness.fetcher.calls == []
    assert any("waited " in line and "generation 2" in line for line in harness.lines("INFO")), harness.log


def test_polls_grow_from_5_to_50_ms_and_stop_at_the_wait_cap(harness):
    harness.dir.write(pending(harness.clock.epoch_ms() + 60_000))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw1a"})
    assert_same("direct-db-spv-Pw1a", harness.client(env={"SECRETS_PREFETCH_WAIT_MS": "300"}).get("db"), "db")
    sleeps = harness.clock.sleeps
    assert sleeps[:5] == [FIRST_POLL_MS, 10, 20, 40, MAX_POLL_MS]
    assert max(sleeps) == MAX_POLL_MS
    assert sum(sleeps) == 300, "the cap ends the wait long before the deadline"
    warnings = harness.lines("WARN")
    assert len(warnings) == 1 and "still pending after waiting 300 ms" in warnings[0], harness.log


def test_deadline_earlier_than_the_cap_ends_the_wait(harness):
    harness.dir.write(pending(harness.clock.epoch_ms() + 120))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw2b"})
    harness.client().get("db")
    assert sum(harness.clock.sleeps) == 120


def test_pending_past_its_deadline_falls_back_at_once(harness):
    harness.dir.write(pending(harness.clock.epoch_ms() - 1))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw3c"})
    harness.client().get("db")
    assert harness.clock.sleeps == []
    assert [c.secret_id for c in harness.fetcher.calls] == ["db"]


def test_zero_wait_cap_means_no_wait_at_all(harness):
    harness.dir.write(pending(harness.clock.epoch_ms() + 60_000))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw4d"})
    harness.client(env={"SECRETS_PREFETCH_WAIT_MS": "0"}).get("db")
    assert harness.clock.sleeps == []


def test_still_pending_is_warned_about_once_per_generation(harness):
    harness.dir.write(pending(harness.clock.epoch_ms() + 60_000))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw5e", "other": "direct-other-spv-Pw6f"})
    secrets = harness.client(env={"SECRETS_PREFETCH_WAIT_MS": "100"})
    secrets.get("db")
    secrets.get("other")
    assert len(harness.lines("WARN")) == 1


def test_manifest_removed_while_waiting_ends_the_wait_with_a_direct_call(secrets_dir):
    class RemovingClock(FakeClock):
        def sleep_ms(self, millis):
            super().sleep_ms(millis)
            if len(self.sleeps) == 3:
                secrets_dir.manifest.unlink()

    clock = RemovingClock()
    secrets_dir.write(pending(clock.epoch_ms() + 60_000))
    fetcher = RecordingFetcher({"db": "direct-db-spv-Pw7g"})
    out = io.StringIO()
    secrets = Client(env={"SECRETS_PREFETCH_DIR": str(secrets_dir.path), "AWS_REGION": "us-east-1"}, out=out,
                     clock=clock, fetcher=fetcher)
    assert_same("direct-db-spv-Pw7g", secrets.get("db"), "db")
    assert len(clock.sleeps) == 3
    assert "went away or became unusable while waiting" in out.getvalue()


def test_ready_after_a_timed_out_wait_is_picked_up_at_the_next_recheck(harness):
    value = fake_value("db")
    harness.dir.write(pending(harness.clock.epoch_ms() + 60_000))
    harness.fetcher = RecordingFetcher({"db": "direct-db-spv-Pw8h"})
    secrets = harness.client(env={"SECRETS_PREFETCH_WAIT_MS": "50"})
    secrets.get("db")
    harness.dir.write(ready(2, db=entry("prod/db", string=value)))
    harness.clock.advance(RECHECK_MS)
    assert_same(value, secrets.get("db"), "db")

