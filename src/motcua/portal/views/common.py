"""Small helpers shared by the portal views."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from motcua.catalog.models import Procedure


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def procedure_ref(procedure: Procedure) -> str:
    """The procedure's public reference: its national code, or "n<id>" when it has none."""
    return procedure.code or f"n{procedure.pk}"


def procedure_by_ref(ref: str) -> Procedure:
    qs = Procedure.objects.select_related("field").filter(is_active=True)
    if ref.startswith("n") and ref[1:].isdigit():
        procedure = qs.filter(pk=int(ref[1:]), code="").first()
    else:
        procedure = qs.filter(code=ref).first()
    if procedure is None:
        raise Http404("Không tìm thấy thủ tục.")
    return procedure
