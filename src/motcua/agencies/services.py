"""State changes of the agency tree: mergers, renames, re-parenting. One transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.agencies.signals import agencies_merged
from motcua.core.audit import record_change


@dataclass(frozen=True)
class MergeResult:
    sources: list[Agency]
    into: Agency
    effective: date


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _locked(pks: list[int]) -> dict[int, Agency]:
    # re-read under a row lock so a concurrent merger of the same units waits, then sees ours
    rows = Agency.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {a.pk: a for a in rows}


@transaction.atomic
def merge_agencies(
    sources: list[Agency], into: Agency, effective: date, *, actor: Any = None
) -> MergeResult:
    """Close ``sources`` on ``effective`` with ``into`` as their successor.

    ``into`` must exist on ``effective``: its ``valid_from`` is None (existed before our
    records) or ≤ ``effective`` — create a brand-new unit with ``valid_from=effective`` first.
    Sources must be open, and have no children still in existence on ``effective``.
    """
    if not sources:
        raise ValidationError("Cần ít nhất một đơn vị bị sáp nhập.")
    source_pks = list(dict.fromkeys(s.pk for s in sources))
    rows = _locked([*source_pks, into.pk])
    into = rows[into.pk]
    locked_sources = [rows[pk] for pk in source_pks]
    errors: list[str] = []
    if into.pk in source_pks:
        errors.append(f"Đơn vị nhận {into.code} không thể đồng thời là đơn vị bị sáp nhập.")
    if not into.is_valid_on(effective):
        errors.append(f"Đơn vị nhận {into.code} không có hiệu lực vào ngày {_fmt(effective)}.")
    for source in locked_sources:
        if source.pk == into.pk:
            continue
        if into.path.startswith(source.path):
            errors.append(f"Đơn vị nhận sáp nhập {into.code} là đơn vị cấp dưới của {source.code}.")
        if source.valid_to is not None:
            errors.append(f"Đơn vị {source.code} đã hết hiệu lực từ ngày {_fmt(source.valid_to)}.")
        if source.valid_from is not None and source.valid_from >= effective:
            errors.append(
                f"Đơn vị {source.code} chỉ có hiệu lực từ ngày {_fmt(source.valid_from)}, "
                f"không thể sáp nhập vào ngày {_fmt(effective)}."
            )
        open_children = source.children.exclude(valid_to__lte=effective).order_by("code")
        if open_children:
            listed = ", ".join(f"{c.name_vi} ({c.code})" for c in open_children)
            errors.append(
                f"Đơn vị {source.code} còn đơn vị cấp dưới có hiệu lực vào ngày "
                f"{_fmt(effective)}, cần sáp nhập, giải thể hoặc chuyển trước: {listed}."
            )
    if errors:
        raise ValidationError(errors)
    for source in locked_sources:
        source.valid_to = effective
        source.successor = into
        source.save(update_fields=["valid_to", "successor"])
    agencies_merged.send(
        sender=Agency, sources=locked_sources, into=into, effective=effective, actor=actor
    )
    record_change(
        "merge",
        into,
        f"Sáp nhập {', '.join(s.code for s in locked_sources)} vào {into.code} "
        f"từ ngày {_fmt(effective)}",
        actor=actor,
        data={"sources": source_pks, "effective": effective.isoformat()},
    )
    return MergeResult(sources=locked_sources, into=into, effective=effective)


@transaction.atomic
def rename_agency(
    agency: Agency,
    new_name_vi: str,
    new_name_en: str,
    effective: date,
    new_code: str | None = None,
    *,
    actor: Any = None,
) -> Agency:
    """Close ``agency`` on ``effective`` and create its renamed successor.

    Without ``new_code`` the successor keeps the code (the identifier follows the living unit)
    and the closed record is archived as ``<code>.Ryyyymmdd``. Open children move under the
    successor. The GSO code carries over; ``local_ref`` stays with the historical record.
    """
    old = _locked([agency.pk])[agency.pk]
    if old.valid_to is not None:
        raise ValidationError(f"Đơn vị {old.code} đã hết hiệu lực từ ngày {_fmt(old.valid_to)}.")
    if old.valid_from is not None and old.valid_from >= effective:
        raise ValidationError(
            f"Ngày đổi tên phải sau ngày có hiệu lực của đơn vị ({_fmt(old.valid_from)})."
        )
    code = new_code or old.code
    if not new_code:
        old.code = f"{old.code}.R{effective:%Y%m%d}"
    elif Agency.objects.filter(code=new_code).exists():
        raise ValidationError(f"Mã định danh {new_code} đã được dùng.")
    old.valid_to = effective
    old.full_clean(exclude=["parent", "successor"])  # the archived code must still be valid
    old.save(update_fields=["code", "valid_to"])
    new = Agency(
        code=code,
        is_demo_code=old.is_demo_code if not new_code else False,
        gso_code=old.gso_code,
        name_vi=new_name_vi,
        name_en=new_name_en,
        level=old.level,
        parent=old.parent,
        valid_from=effective,
        office_hours=old.office_hours,
    )
    new.full_clean(exclude=["parent", "successor"])
    new.save()
    old.successor = new
    old.save(update_fields=["successor"])
    for child in old.children.exclude(valid_to__lte=effective):
        child.parent = new
        child.save()  # save() moves the child's subtree paths
    record_change(
        "rename",
        new,
        f"Đổi tên {old.code} thành “{new_name_vi}” từ ngày {_fmt(effective)}",
        actor=actor,
        data={"predecessor": old.pk, "effective": effective.isoformat()},
    )
    return new


@transaction.atomic
def reparent_agency(agency: Agency, new_parent: Agency | None, *, actor: Any = None) -> Agency:
    """Move ``agency`` (and its whole subtree) under ``new_parent``."""
    pks = [agency.pk] + ([new_parent.pk] if new_parent else [])
    rows = _locked(pks)
    agency = rows[agency.pk]
    new_parent = rows[new_parent.pk] if new_parent else None
    if new_parent and new_parent.path.startswith(agency.path):
        raise ValidationError(
            f"Không thể chuyển {agency.code} vào {new_parent.code}: đó là chính nó hoặc "
            "đơn vị cấp dưới của nó."
        )
    old_parent = agency.parent_id
    agency.parent = new_parent
    agency.save()
    record_change(
        "reparent",
        agency,
        f"Chuyển {agency.code} sang {new_parent.code if new_parent else '(gốc)'}",
        actor=actor,
        data={"from": old_parent, "to": new_parent.pk if new_parent else None},
    )
    return agency
