"""The packages' XML signature (XML-DSig, enveloped, in edXMLHeader) through signxml.

The sending agency signs the whole package (attachments included: the reference is the whole
document, URI=""); the receiver verifies it with the certificate it holds for the sender's organ
id, never with the certificate the package itself carries (anyone can embed their own).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import SignXMLException

from .errors import SignatureError
from .model import DS_NS


@dataclass(frozen=True)
class SigningKey:
    private_key_pem: bytes
    certificate_pem: bytes
    password: bytes | None = None


def _method(key) -> SignatureMethod:
    if isinstance(key, rsa.RSAPrivateKey):
        return SignatureMethod.RSA_SHA256
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return SignatureMethod.ECDSA_SHA256
    raise SignatureError("Khóa ký phải là khóa RSA hoặc EC.")


def sign(root: etree._Element, key: SigningKey) -> etree._Element:
    private = load_pem_private_key(key.private_key_pem, password=key.password)
    signer = XMLSigner(
        signature_algorithm=_method(private),
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    return signer.sign(root, key=private, cert=key.certificate_pem.decode("ascii"))


def strip_placeholder(root: etree._Element) -> etree._Element:
    for el in root.iter(f"{{{DS_NS}}}Signature"):
        if el.get("Id") == "placeholder":
            el.getparent().remove(el)
            break
    return root


def has_signature(root: etree._Element) -> bool:
    return root.find(f".//{{{DS_NS}}}Signature") is not None


def verify(data: bytes, certificate_pem: bytes) -> etree._Element:
    """The signed tree (signature removed) when ``data`` is signed by ``certificate_pem``'s
    key over the whole package; SignatureError otherwise."""
    try:
        cert = x509.load_pem_x509_certificate(certificate_pem)
    except ValueError as exc:
        raise SignatureError("Chứng thư số của cơ quan gửi không đọc được.") from exc
    config = SignatureConfiguration(
        require_x509=False,
        expect_references=1,
        signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
    )
    try:
        result = XMLVerifier().verify(data, x509_cert=cert, expect_config=config)
    except SignXMLException as exc:
        raise SignatureError(f"Chữ ký số của gói tin không hợp lệ: {exc}") from exc
    if result.signed_xml is None:
        raise SignatureError("Chữ ký số không phủ toàn bộ gói tin.")
    # URI="" signs the whole document: the signed tree must be the package's root itself
    if etree.QName(result.signed_xml).localname != "edXML":
        raise SignatureError("Chữ ký số không phủ toàn bộ gói tin.")
    return result.signed_xml
