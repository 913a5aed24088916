"""Start the Node FHIR test server (tests/server/server.mjs) on 127.0.0.1 for the upload tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

SERVER_DIR = Path(__file__).resolve().parent / "server"


def server_missing() -> str | None:
    """Why the server cannot start here, or None. scripts/test.sh installs it, so in CI this is always None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (SERVER_DIR / "node_modules" / "@medplum" / "fhir-router").is_dir():
        return "tests/server/node_modules missing: run bash scripts/install-test-server.sh"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FhirServer:
    """One server process; ``restart()`` starts it again on the same port with what it had persisted."""

    def __init__(self, data: Path, *extra: str) -> None:
        self.port = _free_port()
        self.data = data
        self.extra = extra
        self.proc: subprocess.Popen[str] | None = None
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/fhir"
        self.start()

    def start(self) -> None:
        cmd = ["node", str(SERVER_DIR / "server.mjs"), "--port", str(self.port), "--data", str(self.data), *self.extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # blocks until READY (loading the R4 definitions takes ~2 s)
        if not line.startswith("READY"):
            self.proc.kill()
            raise RuntimeError(
                f"test FHIR server did not start: {line}{self.proc.stderr.read() if self.proc.stderr else ''}"
            )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def exited(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/admin/stats")

    def reset(self) -> None:
        self._call("POST", "/admin/reset")

    def require_auth(self, token: str | None = None, basic: str | None = None) -> None:
        self._call("POST", "/admin/auth", {"token": token, "basic": basic})

    def faults(self, faults: list[dict[str, Any]]) -> None:
        self._call("POST", "/admin/faults", faults)

    def read(self, reference: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        req = urllib.request.Request(f"{self.url}/{reference}", headers=headers or {})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
