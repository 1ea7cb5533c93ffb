"""A throw-away certificate authority for tests, the demo and the committed signed sample.

Root → intermediate → end-entity certificates (a leader's personal certificate, an agency's
organisation certificate for its seal, a TSA certificate), made with ``cryptography``, and two
small local HTTP services: an RFC 3161 time-stamping authority and an OCSP responder answering
for every certificate the CA issued (responses signed by the issuing CA itself, which RFC 6960
allows, so no delegated responder certificate is needed). Never used in production: operators
configure the national root CA through ``SIGN_TRUST_ROOTS`` (docs/signatures.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
VALID_TO = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


@dataclass
class Issued:
    """A certificate and its private key (``cryptography`` objects)."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def key_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _name(cn: str, org: str = "motcua Test CA", ou: str = "") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
    ]
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key(seed_size: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=seed_size)


def _issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: Issued | None,
    *,
    ca: bool,
    serial: int,
    ocsp_url: str = "",
    eku: list[x509.ObjectIdentifier] | None = None,
    path_length: int | None = None,
) -> Issued:
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_TO)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": True}
    else:
        usage = {"key_cert_sign": False, "crl_sign": False, "digital_signature": True}
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if ocsp_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(ocsp_url),
                    )
                ]
            ),
            critical=False,
        )
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass
class TestCA:
    """The whole hierarchy. ``ocsp_url``: where the end-entity certificates say their OCSP
    responder is (the intermediate's status is asked there too)."""

    root: Issued
    intermediate: Issued
    signer: Issued
    seal: Issued
    tsa: Issued
    ocsp_url: str
    revoked: set[int] = field(default_factory=set)

    @classmethod
    def create(
        cls,
        ocsp_url: str,
        *,
        signer_name: str = "Nguyễn Văn Lãnh Đạo",
        agency_name: str = "Sở Tư pháp thành phố Cần Thơ",
    ) -> TestCA:
        root = _issue(_name("motcua Test Root CA"), _key(), None, ca=True, serial=1)
        inter = _issue(
            _name("motcua Test Issuing CA"),
            _key(),
            root,
            ca=True,
            serial=2,
            ocsp_url=ocsp_url,
            path_length=0,
        )
        signer = _issue(
            _name(signer_name, org=agency_name, ou="Lãnh đạo"),
            _key(),
            inter,
            ca=False,
            serial=1001,
            ocsp_url=ocsp_url,
        )
        seal = _issue(
            _name(agency_name, org=agency_name),
            _key(),
            inter,
            ca=False,
            serial=1002,
            ocsp_url=ocsp_url,
        )
        tsa = _issue(
            _name("motcua Test TSA"),
            _key(),
            inter,
            ca=False,
            serial=1003,
            ocsp_url=ocsp_url,
            eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        )
        return cls(root, inter, signer, seal, tsa, ocsp_url)

    def pkcs12(self, who: Issued, passphrase: str, name: str = "") -> bytes:
        """``who``'s key and certificate with the chain, encrypted with ``passphrase``."""
        return pkcs12.serialize_key_and_certificates(
            (name or "motcua").encode(),
            who.key,
            who.cert,
            [self.intermediate.cert, self.root.cert],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )

    def issuers(self) -> list[Issued]:
        return [self.root, self.intermediate]

    def write_root(self, path: Path) -> Path:
        path.write_bytes(self.root.cert_pem)
        return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            status, ctype, answer = self.server.answer(self.path, body)
        except Exception as exc:  # a test service: answer 500 with the reason
            status, ctype, answer = 500, "text/plain", repr(exc).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, ca_ref: list[TestCA]) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.ca_ref = ca_ref
        self.requests: list[str] = []

    def answer(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        ca = self.ca_ref[0]
        self.requests.append(path)
        if path.startswith("/tsa"):
            return 200, "application/timestamp-reply", _timestamp(ca, body)
        if path.startswith("/ocsp"):
            return 200, "application/ocsp-response", _ocsp(ca, body)
        return 404, "text/plain", b"not found"


def _timestamp(ca: TestCA, body: bytes) -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(ca.tsa.cert_der),
        tsa_key=asn1_keys.PrivateKeyInfo.load(ca.tsa.key_der()),
        certs_to_embed=[asn1_x509.Certificate.load(i.cert_der) for i in ca.issuers()],
    )
    return stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()


def _ocsp(ca: TestCA, body: bytes) -> bytes:
    request = ocsp.load_der_ocsp_request(body)
    everyone = [ca.intermediate, ca.signer, ca.seal, ca.tsa, *getattr(ca, "extra", [])]
    for issuer in ca.issuers():
        key_hash = hashlib.sha1(  # noqa: S324 — the CertID hash RFC 6960 requests use
            issuer.cert.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).digest()
        if request.issuer_key_hash != _subject_key_hash(issuer.cert) and (
            request.issuer_key_hash != key_hash
        ):
            continue
        subject = next(
            (
                e
                for e in everyone
                if e.cert.serial_number == request.serial_number
                and e.cert.issuer == issuer.cert.subject
            ),
            None,
        )
        if subject is None:
            break
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        revoked = request.serial_number in ca.revoked
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=subject.cert,
            issuer=issuer.cert,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now - dt.timedelta(minutes=5),
            next_update=now + dt.timedelta(days=1),
            revocation_time=VALID_FROM + dt.timedelta(days=1) if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        )
        nonce = next(
            (e.value for e in request.extensions if isinstance(e.value, x509.OCSPNonce)), None
        )
        if nonce is not None:
            builder = builder.add_extension(nonce, critical=False)
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.cert)
        return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return ocsp.OCSPResponseBuilder.build_unsuccessful(
        ocsp.OCSPResponseStatus.UNAUTHORIZED
    ).public_bytes(serialization.Encoding.DER)


def _subject_key_hash(cert: x509.Certificate) -> bytes:
    # the SHA-1 of the subjectPublicKey BIT STRING contents (RFC 6960 issuerKeyHash)
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)).public_key.sha1


@dataclass
class Services:
    """The TSA and OCSP responder of a test CA, on one local HTTP server (free port)."""

    ca: TestCA
    server: _Server
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def tsa_url(self) -> str:
        return self.base_url + "/tsa"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start(**names: str) -> Services:
    """Create a test CA whose certificates point at a freshly started local OCSP responder
    (and TSA); stop it with ``Services.stop()``."""
    port = free_port()
    ref: list[TestCA] = []
    server = _Server(port, ref)
    ca = TestCA.create(f"http://127.0.0.1:{port}/ocsp", **names)
    ref.append(ca)
    thread = threading.Thread(target=server.serve_forever, name="motcua-testca", daemon=True)
    thread.start()
    return Services(ca, server, thread)
