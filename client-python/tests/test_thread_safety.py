# SPDX-License-Identifier: Apache-2.0
"""Many threads reading while the extension replaces the manifest: every read is a whole value of some
generation, and the manifest path never makes a direct call."""

from __future__ import annotations

import threading
import time

from helpers import assert_same, entry, fake_value, ready


def test_readers_never_see_a_torn_or_wrong_value_and_never_make_a_direct_call(harness):
    values = [fake_value(f"gen{g}") for g in range(1, 21)]
    harness.dir.write(ready(1, db=entry("prod/db", string=values[0]), other=entry("prod/other", string=values[0])))
    secrets = harness.client(clock=None)  # the real clock: re-checks happen while the writer writes
    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def reader() -> None:
        while not stop.is_set():
            for name in ("db", "prod/other"):
                try:
                    got = secrets.get(name)
                except Exception as e:  # noqa: BLE001 - collected, reported below
                    problems.append(f"{type(e).__name__}: {e}")
                    return
                if got not in values:
                    problems.append("a value that no generation holds (not shown)")
                    return
                reads[0] += 1

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for generation, value in enumerate(values[1:], 2):
        harness.dir.write(ready(generation, db=entry("prod/db", string=value), other=entry("prod/other",
                                                                                           string=value)))
        time.sleep(0.03)
    time.sleep(1.1)  # one more re-check after the last write
    final = secrets.get("db")
    stop.set()
    for t in threads:
        t.join(10)
    assert problems == []
    assert reads[0] > 0
    assert_same(values[-1], final, "db after the last re-check")
    assert harness.fetcher.calls == []
