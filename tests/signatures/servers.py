"""Real local services for the signature tests: the test CA's TSA and OCSP responder
(motcua.signatures.testca), a SoftHSM2 token in a temporary directory, and a fake remote-signing
service speaking the protocol of docs/signatures.md."""

from __future__ import annotations

import atexit
import base64
import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from motcua.signatures import testca

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass
class Token:
    module: str
    label: str
    pin: str
    key_label: str
    conf: Path


def softhsm_token(tmp: Path, ca: testca.TestCA, label: str = "motcua-test") -> Token:
    """A fresh SoftHSM2 token (its own SOFTHSM2_CONF and token directory) holding the CA's
    signer key under ``key_label``; imported with softhsm2-util like an operator would."""
    tokens = tmp / "tokens"
    tokens.mkdir(parents=True)
    conf = tmp / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pin, so_pin = "123456", "654321"
    run = {"check": True, "capture_output": True, "env": {**os.environ}}
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            pin,
            "--so-pin",
            so_pin,
        ],
        **run,
    )
    key_pem = tmp / "signer-key.pem"
    key_pem.write_bytes(
        ca.signer.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_pem),
            "--token",
            label,
            "--label",
            "leader",
            "--id",
            "01",
            "--pin",
            pin,
        ],
        **run,
    )
    key_pem.unlink()
    return Token(SOFTHSM_MODULE, label, pin, "leader", conf)


class RemoteSigningService:
    """A fake provider: holds keys by id, answers GET /keys/<id> with the chain and
    POST /keys/<id>/sign with an RSA PKCS#1 v1.5 signature, when the bearer token is right."""

    def __init__(self, keys: dict[str, tuple[testca.Issued, list[testca.Issued]]], token: str):
        self.keys, self.token, self.calls = keys, token, []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _key(self):
                if self.headers.get("Authorization") != f"Bearer {service.token}":
                    self._answer(401, {"error": "unauthorised"})
                    return None
                parts = self.path.strip("/").split("/")
                entry = service.keys.get(parts[1]) if len(parts) >= 2 else None
                if entry is None:
                    self._answer(404, {"error": "no such key"})
                return entry

            def do_GET(self):
                entry = self._key()
                if entry is not None:
                    service.calls.append("GET " + self.path)
                    who, chain = entry
                    self._answer(
                        200,
                        {
                            "certificate": who.cert_pem.decode(),
                            "chain": [c.cert_pem.decode() for c in chain],
                        },
                    )

            def do_POST(self):
                entry = self._key()
                if entry is None:
                    return
                service.calls.append("POST " + self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert body["digest_algorithm"] == "sha256"
                signature = entry[0].key.sign(
                    base64.b64decode(body["data"]), padding.PKCS1v15(), hashes.SHA256()
                )
                self._answer(200, {"signature": base64.b64encode(signature).decode()})

        self.server = ThreadingHTTPServer(("127.0.0.1", testca.free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# One CA, one token and one remote service per test process, whichever module asks first: a
# PKCS#11 module reads SOFTHSM2_CONF once per process, so a second token directory would be
# silently ignored (and the second CA's certificates would not match the token's key).


@functools.cache
def shared_services() -> testca.Services:
    services = testca.start()
    atexit.register(services.stop)
    return services


@functools.cache
def shared_root_pem() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-roots-"))
    atexit.register(shutil.rmtree, tmp, True)
    return shared_services().ca.write_root(tmp / "root.pem")


@functools.cache
def shared_token() -> Token:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-softhsm-"))
    atexit.register(shutil.rmtree, tmp, True)
    return softhsm_token(tmp, shared_services().ca)


@functools.cache
def shared_remote(token: str) -> RemoteSigningService:
    ca = shared_services().ca
    service = RemoteSigningService(
        {"leader-remote": (ca.signer, [ca.intermediate, ca.root])}, token
    )
    atexit.register(service.stop)
    return service
