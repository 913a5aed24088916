"""TLS: the server's certificate is verified by default; --ca-cert trusts a hospital CA; --insecure opts out."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from fhirconv.cli import main

from .conftest import SEEDS

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a certificate")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        bundle = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = {
            "resourceType": "Bundle",
            "type": "transaction-response",
            "entry": [
                {"response": {"status": "201 Created", "location": e["request"]["url"]}} for e in bundle["entry"]
            ],
        }
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(d / "key.pem"),
            "-out",
            str(d / "cert.pem"),
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,digitalSignature,keyCertSign",
        ],
        check=True,
        capture_output=True,
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/fhir", d / "cert.pem"
    httpd.shutdown()


def _upload(url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(
        main, ["upload", str(SEEDS[2]), "--server", url, "--state-dir", str(tmp_path / "s"), "--retries", "3", *args]
    )
    return res.exit_code, res.stdout


def test_untrusted_certificate_is_refused_without_retry(tls_server, tmp_path: Path) -> None:
    url, _ = tls_server
    code, out = _upload(url, tmp_path)
    assert code == 6 and out.startswith("failed") and "TLS certificate not trusted" in out


def test_ca_cert_or_insecure(tls_server, tmp_path: Path) -> None:
    url, cert = tls_server
    code, out = _upload(url, tmp_path, "--ca-cert", str(cert))
    assert code == 0 and out.startswith("created"), out
    code, out = _upload(url, tmp_path / "2", "--insecure")
    assert code == 0 and out.startswith("created"), out
