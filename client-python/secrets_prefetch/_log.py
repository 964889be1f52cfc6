# SPDX-License-Identifier: Apache-2.0
"""The client's log lines: ``[secrets-prefetch] LEVEL message``, one write each, on standard output (which Lambda
sends to CloudWatch). Callers pass names, ids, codes and counts, never a value."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_RANKS = {"debug": 0, "info": 1, "warn": 2, "error": 3, "off": 4}


class Log:
    __slots__ = ("_threshold", "_out")

    def __init__(self, level: str, out: TextIO | None = None) -> None:
        """``out``: where lines go; ``None`` means whatever ``sys.stdout`` is at the time of each line (Lambda's
        runtime replaces it before it imports the handler)."""
        self._threshold = _RANKS[level]
        self._out = out

    def enabled(self, level: str) -> bool:
        return level != "off" and _RANKS[level] >= self._threshold

    def debug(self, message: str) -> None:
        self._log("debug", message)

    def info(self, message: str) -> None:
        self._log("info", message)

    def warn(self, message: str) -> None:
        self._log("warn", message)

    def error(self, message: str) -> None:
        self._log("error", message)

    def _log(self, level: str, message: str) -> None:
        if not self.enabled(level):
            return
        out = self._out if self._out is not None else sys.stdout
        # One write per line, so lines from several threads never interleave.
        out.write(f"[secrets-prefetch] {level.upper()} {message}\n")
        out.flush()
