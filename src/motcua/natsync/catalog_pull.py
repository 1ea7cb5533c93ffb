"""The reverse direction: procedures from the national catalog (``LayDanhSachTTHC`` then
``LayThuTuc`` per code) become a reviewed import. ``pull`` stores what was fetched with its
diff against the local catalog (nothing changes yet); ``apply`` writes the new and changed
procedures through the catalog's own import service (``catalog.services.apply_catalog``:
validation, all or nothing, the catalog's change log); ``discard`` drops it.

National record fields read (inferred from provincial clients, see docs/national-sync.md):
``MaTTHC``, ``TenTTHC``, ``TenLinhVuc``, ``CapThucHien`` (list of "Tỉnh"/"Huyện"/"Xã"),
``ThoiHanGiaiQuyet`` (working days), ``CanCuPhapLy``, ``KetQuaThucHien``,
``PhiLePhi`` [{``TenPhiLePhi``, ``MucPhi``}], ``ThanhPhanHoSo`` [{``TenGiayTo``,
``SoBanChinh``, ``SoBanSao``}].
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.catalog import rules as catalog_rules
from motcua.catalog.models import Procedure
from motcua.catalog.records import CatalogImportError, DocumentRecord, FeeRecord, ProcedureRecord
from motcua.catalog.services import apply_catalog
from motcua.natsync.client import PortalClient, default_client
from motcua.natsync.models import CatalogPull

LEVEL_WORDS = {
    "tỉnh": catalog_rules.PROVINCE,
    "huyện": catalog_rules.DISTRICT,
    "xã": catalog_rules.COMMUNE,
}
COMPARED = ("name_vi", "field_vi", "levels", "processing_amount", "legal_basis", "result_type")


class PullError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _levels(raw) -> list[str]:
    words = raw if isinstance(raw, list) else str(raw or "").split(",")
    out = []
    for word in words:
        low = str(word).strip().lower()
        for key, level in LEVEL_WORDS.items():
            if key in low and level not in out:
                out.append(level)
    return [lvl for lvl in catalog_rules.LEVELS if lvl in out]


def _int(raw) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def to_plain(national: dict) -> dict:
    """The national record in local terms (JSON-serialisable, stored in the pull)."""
    return {
        "code": str(national.get("MaTTHC", "")).strip(),
        "name_vi": str(national.get("TenTTHC", "")).strip(),
        "field_vi": str(national.get("TenLinhVuc", "")).strip() or "Chưa phân loại",
        "levels": _levels(national.get("CapThucHien")),
        "processing_amount": _int(national.get("ThoiHanGiaiQuyet")),
        "legal_basis": str(national.get("CanCuPhapLy", "")),
        "result_type": str(national.get("KetQuaThucHien", "")),
        "fees": [
            {"name": str(f.get("TenPhiLePhi", "Lệ phí")), "amount_vnd": _int(f.get("MucPhi"))}
            for f in national.get("PhiLePhi") or []
        ],
        "documents": [
            {
                "name": str(d.get("TenGiayTo", "")),
                "originals": _int(d.get("SoBanChinh")) or 0,
                "copies": _int(d.get("SoBanSao")) or 0,
            }
            for d in national.get("ThanhPhanHoSo") or []
            if d.get("TenGiayTo")
        ],
    }


def _local(procedure: Procedure) -> dict:
    return {
        "name_vi": procedure.name_vi,
        "field_vi": procedure.field.name_vi,
        "levels": procedure.levels,
        "processing_amount": procedure.processing_amount,
        "legal_basis": procedure.legal_basis,
        "result_type": procedure.result_type,
    }


def diff(records: list[dict]) -> list[dict]:
    """Per fetched procedure: "new", or "changed" with the fields that differ (with the
    local and national values); unchanged ones are left out."""
    codes = [r["code"] for r in records]
    local = {p.code: p for p in Procedure.objects.select_related("field").filter(code__in=codes)}
    out = []
    for rec in records:
        proc = local.get(rec["code"])
        if proc is None:
            out.append({"code": rec["code"], "change": "new", "fields": [], "name": rec["name_vi"]})
            continue
        mine = _local(proc)
        fields = [k for k in COMPARED if mine[k] != rec[k]]
        if fields:
            out.append(
                {
                    "code": rec["code"],
                    "change": "changed",
                    "fields": fields,
                    "name": rec["name_vi"],
                    "before": {k: mine[k] for k in fields},
                    "after": {k: rec[k] for k in fields},
                }
            )
    return out


def pull(*, client: PortalClient | None = None, by=None) -> CatalogPull:
    client = client or default_client()
    records = []
    for brief in client.list_procedures():
        code = str(brief.get("MaTTHC", "")).strip()
        full = client.procedure(code) if code else None
        if full:
            records.append(to_plain(full))
    return CatalogPull.objects.create(
        created_at=timezone.now(), created_by=by, records=records, diff=diff(records)
    )


def get(pk: int | None) -> CatalogPull | None:
    qs = CatalogPull.objects.all()
    return qs.filter(pk=pk).first() if pk else qs.first()


def _record(rec: dict) -> ProcedureRecord:
    return ProcedureRecord(
        code=rec["code"],
        name_vi=rec["name_vi"],
        field_vi=rec["field_vi"],
        levels=tuple(rec["levels"]),
        processing_amount=rec["processing_amount"],
        processing_unconfirmed=rec["processing_amount"] is None,
        legal_basis=rec["legal_basis"],
        result_type=rec["result_type"],
        fees=[FeeRecord(name=f["name"], amount_vnd=f["amount_vnd"]) for f in rec["fees"]] or None,
        documents=[DocumentRecord(**d) for d in rec["documents"]] or None,
        source=f"CSDL quốc gia {rec['code']}",
    )


@transaction.atomic
def apply(pull_: CatalogPull, *, by=None) -> int:
    """Write the pull's new and changed procedures; returns how many."""
    pull_ = CatalogPull.objects.select_for_update().get(pk=pull_.pk)
    if pull_.status != CatalogPull.Status.DRAFT:
        raise PullError("Đợt lấy TTHC này đã được xử lý.")
    wanted = {d["code"] for d in pull_.diff}
    records = [_record(r) for r in pull_.records if r["code"] in wanted]
    try:
        apply_catalog(records, default_workflows=True)
    except CatalogImportError as exc:
        raise PullError("Không áp dụng được: " + "; ".join(exc.errors)) from None
    pull_.status = CatalogPull.Status.APPLIED
    pull_.decided_at, pull_.decided_by = timezone.now(), by
    pull_.save()
    return len(records)


def discard(pull_: CatalogPull, *, by=None) -> None:
    if pull_.status != CatalogPull.Status.DRAFT:
        raise PullError("Đợt lấy TTHC này đã được xử lý.")
    pull_.status = CatalogPull.Status.DISCARDED
    pull_.decided_at, pull_.decided_by = timezone.now(), by
    pull_.save()
