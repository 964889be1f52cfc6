# SPDX-License-Identifier: Apache-2.0
"""The fake Secrets Managers the fallback tests call through real boto3 clients: moto (a real emulator, one per
test session) and a canned HTTP server answering with a chosen error, or not at all."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import TEST_LOGS, marked

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """``python3 -m moto.server`` on a free loopback port; its log goes to SECRETS_PREFETCH_TEST_LOGS (under Maven:
    target/test-logs, which the hygiene scan reads)."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: str) -> None:
        self.process = process
        self.port = port
        self.log_path = log_path
        self.endpoint = f"http://127.0.0.1:{port}"

    @classmethod
    def start(cls, program: list[str] | None = None, env: dict[str, str] | None = None) -> MotoServer:
        """``program``: what to run instead of ``-m moto.server`` (e.g. fixtures/moto/verifying_server.py)."""
        probe = subprocess.run([sys.executable, "-c", "import moto.server"], capture_output=True, text=True)
        if probe.returncode != 0:
            raise RuntimeError(f"moto (the Secrets Manager emulator these tests run against) cannot be imported by "
                               f"{sys.executable}; install it: pip install 'moto[server]'\n{probe.stderr[-2000:]}")
        port = free_port()
        logs = TEST_LOGS or tempfile.gettempdir()
        os.makedirs(logs, exist_ok=True)
        log = open(os.path.join(logs, f"moto-{port}.log"), "wb")  # noqa: SIM115 - the server's lifetime
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        process = subprocess.Popen([sys.executable, *(program or ["-m", "moto.server"]), "-H", "127.0.0.1", "-p",
                                    str(port)], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   env={**clean, **(env or {})})
        log.close()
        server = cls(process, port, log.name)
        server._await_listening()
        return server

    def _await_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto exited with {self.process.returncode} before listening; see {self.log_path}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"moto did not listen on port {self.port} within {START_TIMEOUT_S} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    admin_keys = ("testing", "testing")

    def admin(self, region: str = "us-east-1", service: str = "secretsmanager"):
        """A boto3 client of the test's own, for setting secrets up."""
        import boto3

        return boto3.client(service, region_name=region, endpoint_url=self.endpoint,
                            aws_access_key_id=self.admin_keys[0], aws_secret_access_key=self.admin_keys[1])

    def create(self, string: str | None = None, binary: bytes | None = None, region: str = "us-east-1",
               name: str | None = None) -> tuple[str, str]:
        """Creates a secret with a unique name; returns (name, ARN)."""
        name = name or f"test/{uuid.uuid4().hex[:12]}"
        params: dict = {"Name": name}
        if string is not None:
            params["SecretString"] = marked(string)
        if binary is not None:
            params["SecretBinary"] = marked(binary)
        arn = self.admin(region).create_secret(**params)["ARN"]
        return name, arn

    def put_parameter(self, name: str, value: str, kind: str = "SecureString", region: str = "us-east-1") -> int:
        """Puts (or overwrites) an SSM parameter; returns its new version."""
        return self.admin(region, "ssm").put_parameter(Name=name, Value=marked(value), Type=kind,
                                                       Overwrite=True)["Version"]

    def put(self, name: str, string: str, stages: list[str] | None = None, region: str = "us-east-1") -> None:
        params: dict = {"SecretId": name, "SecretString": marked(string)}
        if stages is not None:
            params["VersionStages"] = stages
        self.admin(region).put_secret_value(**params)


class CannedSecretsManager:
    """Answers every request with ``status`` and an AWS JSON error of ``code`` (whose message carries a marker,
    to prove it is never passed on), or does not answer at all (``hang``)."""

    def __init__(self) -> None:
        self.status = 400
        self.code = "ResourceNotFoundException"
        self.hang = False
        self.requests = 0
        self._stopped = threading.Event()
        self.error_message = "response text quoting spv-Cann3dText"
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests += 1
                if outer.hang:
                    outer._stopped.wait(30)
                    return
                body = json.dumps({"__type": outer.code, "message": outer.error_message}).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def fail_with(self, status: int, code: str) -> None:
        self.status, self.code = status, code

    def stop(self) -> None:
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
