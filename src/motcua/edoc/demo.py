"""Demo data of the edoc app: the demo agencies' edXML organ ids (their electronic ids, which
have the QCVN 102 form), so the demo's agencies can exchange documents at once."""

from __future__ import annotations

import re

from motcua.agencies.models import Agency
from motcua.core.demo import DemoRun

ORGAN_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def load(run: DemoRun) -> None:
    filled = 0
    for pk, code in Agency.objects.filter(edxml_organ_id="").values_list("pk", "code"):
        if ORGAN_ID.match(code):
            filled += Agency.objects.filter(pk=pk).update(edxml_organ_id=code)
    if filled:
        run.log(f"Văn bản điện tử: {filled} cơ quan có mã định danh trao đổi văn bản")
