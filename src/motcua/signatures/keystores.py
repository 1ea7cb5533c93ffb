"""Where signing keys live, each giving a pyHanko ``Signer`` (no Django here).

(a) PKCS#12 files, encrypted with a passphrase — small deployments, one file per signer or
agency seal; (b) PKCS#11 tokens and HSMs (the USB tokens Vietnamese officials hold; tested with
SoftHSM2); (c) a provider's remote-signing service over HTTP (the key never leaves the
provider; protocol in docs/signatures.md, "Remote signing").
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from urllib import error, request

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.sign import signers
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore


class KeyStoreError(Exception):
    """The key cannot be used (wrong passphrase or PIN, no token, service down): ``message``
    is Vietnamese, for the signer."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def load_certs(pem_data: str | bytes) -> list[asn1_x509.Certificate]:
    """Every certificate of a PEM bundle (or a single DER certificate)."""
    raw = pem_data.encode() if isinstance(pem_data, str) else pem_data
    if not pem.detect(raw):
        return [asn1_x509.Certificate.load(raw)]
    return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(raw, multiple=True)]


def pkcs12_signer(data: bytes, passphrase: str) -> Signer:
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=passphrase.encode()
        )
    except (ValueError, TypeError):
        signer = None
    if signer is None:  # pyHanko returns None (and logs) on a wrong passphrase
        raise KeyStoreError("Mật khẩu tệp khóa (PKCS#12) không đúng.", "bad_passphrase")
    return signer


@contextlib.contextmanager
def pkcs11_signer(
    module: str,
    *,
    token_label: str,
    pin: str,
    key_label: str,
    chain: list[asn1_x509.Certificate],
) -> Iterator[Signer]:
    """A session on the token holding ``key_label``; ``chain``: the signer's certificate
    first, then its issuers (tokens often hold only the key, and motcua knows the chain)."""
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except pkcs11.exceptions.PinIncorrect:
        raise KeyStoreError("Mã PIN của thiết bị ký số không đúng.", "bad_pin") from None
    except (pkcs11.exceptions.PKCS11Error, OSError, RuntimeError) as exc:
        raise KeyStoreError(
            f"Không mở được thiết bị ký số “{token_label}” ({type(exc).__name__}).",
            "token_unavailable",
        ) from None
    try:
        yield PKCS11Signer(
            session,
            key_label=key_label,
            signing_cert=chain[0],
            ca_chain=chain[1:],
            other_certs_to_pull=(),
            bulk_fetch=False,
        )
    finally:
        session.close()


class RemoteSigner(Signer):
    """Signs through a remote-signing service: the service returns the certificate chain of
    ``key_id`` and a raw signature over the data pyHanko hands it."""

    def __init__(self, base_url: str, key_id: str, token: str, timeout: int = 10) -> None:
        self.base_url, self.key_id, self.token, self.timeout = (
            base_url.rstrip("/"),
            key_id,
            token,
            timeout,
        )
        info = self._call("GET", "")
        chain = [load_certs(p)[0] for p in [info["certificate"], *info.get("chain", [])]]
        super().__init__(
            signing_cert=chain[0], cert_registry=SimpleCertificateStore.from_certs(chain[1:])
        )

    def _call(self, method: str, suffix: str, body: dict | None = None) -> dict:
        url = f"{self.base_url}/keys/{self.key_id}{suffix}"
        data = json.dumps(body).encode() if body is not None else None
        req = request.Request(url, data=data, method=method)  # noqa: S310 — configured URL
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Content-Type", "application/json")
        try:
            with request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read())
        except error.HTTPError as exc:
            raise KeyStoreError(
                f"Dịch vụ ký số từ xa từ chối yêu cầu (HTTP {exc.code}).", "remote_refused"
            ) from None
        except (error.URLError, TimeoutError, ValueError) as exc:
            raise KeyStoreError(
                f"Không kết nối được dịch vụ ký số từ xa ({type(exc).__name__}).",
                "remote_unavailable",
            ) from None

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:  # pyHanko sizes the signature container first: any bytes of the key size
            return bytes(self.signing_cert.public_key.bit_size // 8)
        answer = self._call(
            "POST",
            "/sign",
            {"digest_algorithm": digest_algorithm, "data": base64.b64encode(data).decode()},
        )
        try:
            return base64.b64decode(answer["signature"], validate=True)
        except (KeyError, ValueError, TypeError):
            raise KeyStoreError(
                "Dịch vụ ký số từ xa trả về dữ liệu không hợp lệ.", "remote_invalid"
            ) from None
