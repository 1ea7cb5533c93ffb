#!/usr/bin/env python3
"""Write the signed sample result and the test CA's root certificate into docs/signed-samples/.

    .venv/bin/python scripts/make_signed_sample.py [output-dir]

A fresh test CA (motcua.signatures.testca) with its local TSA and OCSP responder signs the
sample (PAdES B-LT: timestamp and revocation data embedded, so it verifies offline); the keys
are new on every run, so the files differ from run to run but always verify:

    .venv/bin/motcua sign verify --trust docs/signed-samples/test-ca-root.pem \\
        docs/signed-samples/ket-qua-mau.pdf
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("DEBUG", "1")  # no secret key is needed to render a template
    import django

    django.setup()
    from motcua.signatures.sample import make_sample

    out = (
        Path(argv[1])
        if len(argv) > 1
        else Path(__file__).resolve().parent.parent / "docs/signed-samples"
    )
    pdf, root = make_sample(out)
    print(f"{pdf}  ({pdf.stat().st_size // 1024} KB)\n{root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
