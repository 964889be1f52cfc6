# SPDX-License-Identifier: Apache-2.0
"""Time as the client needs it; tests hand in their own."""

from __future__ import annotations

import time


class Clock:
    def monotonic_ms(self) -> float:
        """Milliseconds on a clock that never jumps, for intervals."""
        return time.monotonic() * 1000.0

    def epoch_ms(self) -> int:
        """Milliseconds since the epoch, to compare with a manifest's ``deadlineEpochMs``."""
        return time.time_ns() // 1_000_000

    def sleep_ms(self, millis: float) -> None:
        time.sleep(millis / 1000.0)
