"""PAdES signing with pyHanko: no Django here, so the CLI, the sample script and the tests can
use it directly.

With a time-stamping authority the signature is PAdES B-LT: an RFC 3161 signature timestamp and
the revocation data (OCSP responses, certificates) of the signer's chain embedded in the
document security store. Without one it is PAdES B-B, and the visible appearance says so: the
signing time is then only the signer's claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext

import motcua.core
from motcua.signatures.offloop import off_running_loop

FONT = Path(motcua.core.__file__).resolve().parent / "fonts" / "LiberationSerif-Regular.ttf"
LEVEL_LT = "PAdES B-LT"
LEVEL_B = "PAdES B-B"


@dataclass(frozen=True)
class Box:
    """Where the visible signature goes: a page (0-based) and a rectangle in PDF points,
    origin at the bottom left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Appearance:
    """What the visible signature says: the signer's name, position and agency."""

    name: str
    position: str
    agency: str
    kind: str = "signer"  # signer | seal


@dataclass(frozen=True)
class SignOptions:
    tsa_url: str = ""
    trust_roots: tuple[asn1_x509.Certificate, ...] = ()
    reason: str = "Phê duyệt kết quả giải quyết thủ tục hành chính"
    location: str = "Việt Nam"
    timeout: int = 10

    @property
    def level(self) -> str:
        return LEVEL_LT if self.tsa_url else LEVEL_B


@cache
def _font_factory():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    # Vietnamese diacritics need an embedded OpenType font (the standard 14 fonts lack them)
    return GlyphAccumulatorFactory(str(_font_1000_upem()), font_size=10)


def _font_1000_upem() -> Path:
    """The bundled font rescaled to 1000 units per em. pyHanko 0.38 writes the glyph widths
    (/W) in the font's own units, which PDF reads as thousandths of an em: with Liberation's
    2048 units every letter of the stamp came out twice as far apart. Written once per
    version to the temporary directory (an atomic rename: several workers may race)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    digest = hashlib.sha256(FONT.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"motcua-stamp-{digest}.ttf"
    if not target.exists():
        font = TTFont(str(FONT))
        scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        partial.replace(target)
    return target


def stamp_text(appearance: Appearance, level: str) -> str:
    """The visible words; ``%(ts)s`` is filled in by pyHanko with the signing time."""
    timestamped = "có dấu thời gian" if level == LEVEL_LT else "không có dấu thời gian"
    head = "Đóng dấu bởi" if appearance.kind == "seal" else "Ký bởi"
    # pyHanko fills the text with %-interpolation: a literal % in a name must be doubled
    name, position, agency = (
        s.replace("%", "%%") for s in (appearance.name, appearance.position, appearance.agency)
    )
    lines = [f"{head}: {name}"]
    if position:
        lines.append(position)
    if agency and agency != name:
        lines.append(agency)
    lines.append("Thời gian ký: %(ts)s")
    lines.append(f"Chữ ký số {level} ({timestamped})")
    return "\n".join(lines)


@off_running_loop
def sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    field_name: str,
    appearance: Appearance,
    box: Box,
    options: SignOptions,
    now: dt.datetime | None = None,
) -> bytes:
    """Add one signature (an incremental update) to ``pdf`` and return the new bytes."""
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=box.page,
            box=(int(box.x1), int(box.y1), int(box.x2), int(box.y2)),
        ),
    )
    timestamper = (
        HTTPTimeStamper(options.tsa_url, timeout=options.timeout) if options.tsa_url else None
    )
    validation_context = None
    if timestamper is not None:
        validation_context = ValidationContext(
            trust_roots=list(options.trust_roots) or None,
            allow_fetching=True,
            revocation_mode="soft-fail",
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason,
        location=options.location,
        name=appearance.name,
        embed_validation_info=timestamper is not None,
        validation_context=validation_context,
        use_pades_lta=False,
    )
    style = TextStampStyle(
        stamp_text=stamp_text(appearance, options.level),
        text_box_style=_text_box_style(),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
        border_width=1,
        background=None,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def _text_box_style():
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextBoxStyle(font=_font_factory(), font_size=7, leading=9)
