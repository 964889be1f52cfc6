# SPDX-License-Identifier: Apache-2.0
"""For ManifestReadersAgreeTest: parses every file in a directory with the Python client's manifest reader and prints
"<file> <outcome> <digest>" per file, where the digest is SHA-256 of what the reader concluded (never a value).

    python3 manifest_outcomes.py CLIENT_PYTHON_DIR CASES_DIR
"""

import hashlib
import os
import sys

sys.path.insert(0, sys.argv[1])
from secrets_prefetch import _manifest  # noqa: E402 (after the path is set)


def hex_of(text):
    return "-" if text is None else text.encode("utf-8").hex()


def summary(manifest):
    parts = [str(manifest.generation), manifest.state, str(manifest.deadline_epoch_ms) if manifest.pending else "-"]
    for name, entry in manifest.secrets.items():
        if entry.error_code is not None:
            value = "e:" + hex_of(entry.error_code)
        elif isinstance(entry.value, bytes):
            value = "b:" + entry.value.hex()
        else:
            value = "s:" + hex_of(entry.value)
        parts.append(",".join([hex_of(name), hex_of(entry.secret_id), hex_of(entry.arn),
                               hex_of(entry.requested_version_id), hex_of(entry.requested_version_stage), value]))
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


cases = sys.argv[2]
for file in sorted(os.listdir(cases)):
    with open(os.path.join(cases, file), "rb") as f:
        data = f.read()
    try:
        manifest = _manifest.parse(data)
        print(f"{file} {manifest.state} {summary(manifest)}")
    except _manifest.ManifestError as e:
        print(f"{file} {'unknown-version' if e.unknown_version else 'corrupt'} -")
