# SPDX-License-Identifier: Apache-2.0
"""A function that needs secrets at start-up and per request. secrets_prefetch.get reads them from the layer's
manifest when the extension runs (waiting while it is still fetching), and calls Secrets Manager itself through
boto3 when it does not.

Init fetches every id in SECRET_IDS; an event {"get": ["id", ...]} fetches more. The answer holds SHA-256
fingerprints, never values, and where the client was loaded from (the layer's or the function's own copy).
"""

import hashlib
import os

import secrets_prefetch


def fingerprints(ids):
    return {id: hashlib.sha256(secrets_prefetch.get(id).encode()).hexdigest() for id in ids}


AT_INIT = fingerprints([id.strip() for id in os.environ.get("SECRET_IDS", "").split(",") if id.strip()])


def handler(event, context):
    requested = event.get("get", []) if isinstance(event, dict) else []
    return {"init": AT_INIT, "request": fingerprints(requested), "client": os.path.dirname(secrets_prefetch.__file__)}
