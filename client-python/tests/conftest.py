# SPDX-License-Identifier: Apache-2.0
"""Fixtures: a hermetic environment for every test, a secrets directory and client harness, and the fake
Secrets Managers (moto, started once per session; a canned HTTP server per test)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package, when run without installing it

from helpers import Harness, SecretsDir  # noqa: E402

# The fake_secrets fixture of secrets_prefetch.testing: installed with pip, pytest loads the plugin by itself.
pytest_plugins = ["secrets_prefetch.testing"]

_AWS_AND_OWN = ("AWS_", "SECRETS_PREFETCH_", "BOTO_")


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch, tmp_path_factory):
    """No setting of the machine reaches a test: no AWS profile, region, endpoint or credentials, no instance
    metadata lookups, no retries (each failure is seen at once)."""
    for key in list(os.environ):
        if key.startswith(_AWS_AND_OWN):
            monkeypatch.delenv(key)
    empty = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


@pytest.fixture
def secrets_dir(tmp_path) -> SecretsDir:
    # Under pytest's temporary directory, never under target/: manifests hold values on purpose.
    return SecretsDir(tmp_path / "secrets")


@pytest.fixture
def harness(secrets_dir) -> Harness:
    harness = Harness(secrets_dir)
    yield harness
    # Printed, so that the test report (under Maven) holds every log line a test made, for the hygiene scan.
    sys.stdout.write(harness.log)


@pytest.fixture
def aws_keys(monkeypatch):
    """Credentials moto accepts, where boto3's default chain finds them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture(scope="session")
def moto():
    from servers import MotoServer

    server = MotoServer.start()
    yield server
    server.stop()


@pytest.fixture
def canned():
    from servers import CannedSecretsManager

    server = CannedSecretsManager()
    yield server
    server.stop()
