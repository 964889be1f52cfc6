# SPDX-License-Identifier: Apache-2.0
"""For integration-tests' ManifestReadersAgreeTest: parses every file in a directory with the Python client's
manifest reader and prints "<file> <outcome> <digest>" per file, in the format of manifest_outcomes.rb, where
the digest is SHA-256 of what the reader concluded (never a value).

    PYTHONPATH=client-python python3 client-python/tests/manifest_outcomes.py DIR
"""

from __future__ import annotations

import hashlib
import os
import sys

from secrets_prefetch._manifest import ManifestError, parse


def _hex(text: str | None) -> str:
    return "-" if text is None else text.encode("utf-8").hex()


def summary(manifest) -> str:
    parts = [str(manifest.generation), manifest.state, str(manifest.deadline_epoch_ms) if manifest.pending else "-"]
    for name, entry in manifest.secrets.items():
        if entry.error_code is not None:
            value = "e:" + _hex(entry.error_code)
        elif isinstance(entry.value, bytes):
            value = "b:" + entry.value.hex()
        else:
            value = "s:" + _hex(entry.value)
        parts.append(",".join((_hex(name), _hex(entry.secret_id), _hex(entry.parameter), _hex(entry.arn),
                               _hex(entry.requested_version_id), _hex(entry.requested_version_stage),
                               "1" if entry.pins_version else "0", value)))
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def main(directory: str) -> None:
    for file in sorted(os.listdir(directory)):
        with open(os.path.join(directory, file), "rb") as f:
            data = f.read()
        try:
            manifest = parse(data)
        except ManifestError as e:
            print(f"{file} {'unknown-version' if e.unknown_version else 'corrupt'} -")
        else:
            print(f"{file} {manifest.state} {summary(manifest)}")


if __name__ == "__main__":
    main(sys.argv[1])
