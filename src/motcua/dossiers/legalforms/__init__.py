"""Legal forms of the one-stop mechanism (Mẫu 01–07, Appendix I of Circular 03/2025/TT-VPCP).

Pure renderers: each form is rendered from a JSON-serialisable *snapshot* taken when the form is
issued (see ``schema.py`` and ``docs/legal-forms.md``). Nothing here touches the database, so a
form can be rendered again at any time, after the transaction that issued it has committed.
"""

from motcua.dossiers.legalforms.render import render_html, render_pdf
from motcua.dossiers.legalforms.schema import (
    CHANNEL_LABELS,
    FORM_TITLES,
    RESULT_DELIVERY_LABELS,
    STEP_RESULTS,
    TEMPLATE_VERSION,
    Snapshot,
    validate_snapshot,
)

__all__ = [
    "CHANNEL_LABELS",
    "FORM_TITLES",
    "RESULT_DELIVERY_LABELS",
    "STEP_RESULTS",
    "TEMPLATE_VERSION",
    "Snapshot",
    "render_html",
    "render_pdf",
    "validate_snapshot",
]
