"""The committed signed sample (docs/signed-samples/): a result of the Cần Thơ demo signed by
the test CA's leader and sealed by its agency, PAdES B-LT, and the test CA's root certificate to
verify it with. ``scripts/make_signed_sample.py`` runs this; nothing touches the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.urls import reverse

from motcua.signatures import keystores, pdfsign, testca
from motcua.signatures.resultpdf import render_with_slots

AGENCY = "Sở Tư pháp thành phố Cần Thơ"
SIGNER = "Nguyễn Văn Lãnh Đạo"
CODE = "KQMAU2021CT"


def make_sample(out: Path) -> tuple[Path, Path]:
    services = testca.start(signer_name=SIGNER, agency_name=AGENCY)
    try:
        ca = services.ca
        roots = tuple(keystores.load_certs(ca.root.cert_pem))
        options = pdfsign.SignOptions(tsa_url=services.tsa_url, trust_roots=roots)
        now = dt.datetime.now(dt.UTC)
        pdf, slots = render_with_slots(
            "signatures/result.html",
            {
                "code": CODE,
                "agency_name": AGENCY,
                "parent_name": "Ủy ban nhân dân thành phố Cần Thơ",
                "place": "Cần Thơ",
                "signed_day": f"{now.day:02d}",
                "signed_month": f"{now.month:02d}",
                "signed_year": now.year,
                "procedure": "Thủ tục đăng ký lại khai sinh (MẪU — dữ liệu thử nghiệm)",
                "dossier_code": "000.00.22.H13-210315-0001",
                "applicant": "Nguyễn Thị Hồng Nhung",
                "outcome": "Giải quyết",
                "documents": ["Giấy khai sinh (bản chính)"],
                "note": "",
                "sealed": True,
                "signer_position": "Giám đốc",
                "signer_name": SIGNER,
                "level": options.level,
                "verify_url": reverse("signatures:verify"),
            },
        )
        signed = pdfsign.sign_pdf(
            pdf,
            keystores.pkcs12_signer(ca.pkcs12(ca.signer, "sample"), "sample"),
            field_name="signer",
            appearance=pdfsign.Appearance(SIGNER, "Giám đốc", AGENCY),
            box=slots["signer"],
            options=options,
        )
        signed = pdfsign.sign_pdf(
            signed,
            keystores.pkcs12_signer(ca.pkcs12(ca.seal, "sample"), "sample"),
            field_name="seal",
            appearance=pdfsign.Appearance(AGENCY, "", AGENCY, kind="seal"),
            box=slots["seal"],
            options=options,
        )
    finally:
        services.stop()
    out.mkdir(parents=True, exist_ok=True)
    pdf_path = out / "ket-qua-mau.pdf"
    pdf_path.write_bytes(signed)
    root_path = ca.write_root(out / "test-ca-root.pem")
    return pdf_path, root_path
