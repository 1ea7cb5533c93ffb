#!/usr/bin/env python3
"""Render one sample PDF per legal form (Mẫu 01–07) into docs/forms-samples/.

    .venv/bin/python scripts/render_form_samples.py [output-dir]

The samples come from ``motcua.dossiers.legalforms.samples`` (Cần Thơ data); the renderers are
pure, so no database or Django settings are needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from motcua.dossiers.legalforms import FORM_TITLES, render_pdf
from motcua.dossiers.legalforms.samples import sample_snapshot


def main(argv: list[str]) -> int:
    out = (
        Path(argv[1])
        if len(argv) > 1
        else Path(__file__).resolve().parent.parent / "docs/forms-samples"
    )
    out.mkdir(parents=True, exist_ok=True)
    for form in sorted(FORM_TITLES):
        target = out / f"mau-{form}.pdf"
        target.write_bytes(render_pdf(sample_snapshot(form)))
        print(f"{target}  ({target.stat().st_size // 1024} KB)  {FORM_TITLES[form]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
