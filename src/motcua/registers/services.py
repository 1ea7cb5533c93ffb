"""The only code that changes register records.

Each public function is one use case and one transaction: check every value against the
register's declared fields (``registry``) and cross-field rules (``rules.check_entry``), check
the caller may file records for the agency, write, and append a ``core.audit`` event with who,
before and after. Bad input is an ``InvalidInput`` naming its fields, never a database error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.audit import change_event, record_change, record_changes
from motcua.registers import permissions as perm
from motcua.registers.registry import AGENCY, PROCEDURES, Register
from motcua.registers.registry import get as get_register
from motcua.registers.rules import InvalidInput, NotAllowed, check_entry
from motcua.registers.values import coerce, is_blank


def register_or_error(slug: str) -> Register:
    register = get_register(slug)
    if register is None:
        raise InvalidInput(_("Không có sổ theo dõi này."), {"register": "not_found"})
    return register


# -- values ---------------------------------------------------------------------------------


def _agency(raw: object) -> Agency | None:
    if isinstance(raw, Agency):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31:
        return Agency.objects.filter(pk=raw).first()
    return None


def _procedures(raw: object) -> list[Procedure]:
    """Procedures by their codes ("1.001234, 2.000123") or as objects; unknown codes refused."""
    if is_blank(raw):
        return []
    if isinstance(raw, list | tuple) and all(isinstance(p, Procedure) for p in raw):
        return list(dict.fromkeys(raw))
    codes = [c.strip() for c in str(raw).replace(";", ",").split(",") if c.strip()]
    if len(codes) > 500:
        raise ValueError(_("tối đa 500 thủ tục"))
    found: dict[str, Procedure] = {}
    for procedure in Procedure.objects.filter(code__in=codes).order_by("pk"):
        found.setdefault(procedure.code, procedure)
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValueError(
            _("không tìm thấy thủ tục có mã %(codes)s") % {"codes": ", ".join(missing[:5])[:200]}
        )
    return list(dict.fromkeys(found[c] for c in codes))


def clean(register: Register, raw: Mapping[str, object]) -> dict[str, object]:
    """Every field's typed value, or ``InvalidInput`` listing every bad field."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for field in register.fields:
        try:
            if field.type == AGENCY:
                agency = _agency(raw.get(field.name))
                if agency is None:
                    raise ValueError(_("chọn cơ quan"))
                values[field.name] = agency
            elif field.type == PROCEDURES:
                values[field.name] = _procedures(raw.get(field.name))
            else:
                value = coerce(field, raw.get(field.name))
                column = register.model._meta.get_field(field.name)
                if value is None and not column.null:  # an optional count left blank: 0
                    value = column.get_default()
                values[field.name] = value
        except ValueError as exc:
            problems[field.name] = str(exc)
    if not problems:
        problems = check_entry(register.slug, values)
    if problems:
        labels = "; ".join(
            f"{register.field(name).label}: {message}" for name, message in problems.items()
        )
        raise InvalidInput(_("Dữ liệu chưa hợp lệ — %(p)s") % {"p": labels}, problems)
    return values


def state(register: Register, obj: models.Model) -> dict[str, object]:
    """A record's values as JSON for the audit trail."""
    out: dict[str, object] = {}
    for field in register.fields:
        if field.type == PROCEDURES:
            out[field.name] = (
                sorted(p.code for p in obj.procedures.all()) if obj.pk else []  # type: ignore[attr-defined]
            )
            continue
        value = getattr(obj, field.name if field.type != AGENCY else "agency")
        if isinstance(value, Agency):
            value = value.code
        elif isinstance(value, dt.date | Decimal):
            value = str(value)
        out[field.name] = value
    return out


def _require_edit(by: User, agency: Agency) -> None:
    if not perm.can_edit(by, agency.pk):
        raise NotAllowed(
            _("Bạn không có quyền cập nhật sổ theo dõi của %(agency)s.")
            % {"agency": agency.name_vi},
            {"agency": "forbidden"},
        )


def _apply(register: Register, obj: models.Model, values: Mapping[str, object]) -> None:
    for field in register.fields:
        if field.type != PROCEDURES:
            setattr(obj, field.name, values[field.name])
    obj.save()
    if any(f.type == PROCEDURES for f in register.fields):
        obj.procedures.set(values["procedures"])  # type: ignore[attr-defined]


def _summary(register: Register, obj: models.Model) -> str:
    return f"{register.title}: #{obj.pk} ({obj.agency.name_vi}, {obj.date:%d/%m/%Y})"


# -- use cases ------------------------------------------------------------------------------


def create_entry(*, by: User, register: str, values: Mapping[str, object]) -> models.Model:
    return create_entries(by=by, register=register, entries=[values])[0]


@transaction.atomic
def create_entries(
    *, by: User, register: str, entries: Sequence[Mapping[str, object]]
) -> list[models.Model]:
    """``create_entry`` for several records of one register (an Excel import, the demo), all
    or none: each record checked as one alone, the permission asked once per agency, one audit
    event per record, in order. Records without procedures are written in one INSERT (the
    others one by one: their links need the row). An ``InvalidInput`` names the index of the
    record it is about in ``entry``."""
    reg = register_or_error(register)
    allowed: set[int] = set()
    objs: list[models.Model] = []
    checked: list[dict[str, object]] = []
    for index, values in enumerate(entries):
        try:
            cleaned = clean(reg, values)
        except InvalidInput as exc:
            exc.entry = index  # type: ignore[attr-defined]
            raise
        agency = cleaned["agency"]
        if agency.pk not in allowed:
            _require_edit(by, agency)
            allowed.add(agency.pk)
        obj = reg.model()
        for field in reg.fields:
            if field.type != PROCEDURES:
                setattr(obj, field.name, cleaned[field.name])
        objs.append(obj)
        checked.append(cleaned)
    linked = any(f.type == PROCEDURES for f in reg.fields)
    if len(objs) > 1 and not linked and connection.features.can_return_rows_from_bulk_insert:
        reg.model.objects.bulk_create(objs)
    else:
        for obj, cleaned in zip(objs, checked, strict=True):
            _apply(reg, obj, cleaned)
    record_changes(
        [
            change_event(
                f"registers.{reg.slug}.create",
                obj,
                _summary(reg, obj),
                actor=by,
                data={"before": {}, "after": state(reg, obj)},
            )
            for obj in objs
        ]
    )
    return objs


def _locked(reg: Register, by: User, pk: int) -> models.Model:
    obj = (
        perm.visible(by, reg.model.objects.select_for_update().select_related("agency"))
        .filter(pk=pk)
        .first()
        if isinstance(pk, int) and 0 < pk < 2**63
        else None
    )
    if obj is None:
        raise InvalidInput(_("Không tìm thấy bản ghi."), {"entry": "not_found"})
    _require_edit(by, obj.agency)
    return obj


@transaction.atomic
def update_entry(*, by: User, register: str, pk: int, values: Mapping[str, object]) -> models.Model:
    reg = register_or_error(register)
    obj = _locked(reg, by, pk)
    before = state(reg, obj)
    cleaned = clean(reg, values)
    _require_edit(by, cleaned["agency"])  # moving a record needs the right on both agencies
    _apply(reg, obj, cleaned)
    after = state(reg, obj)
    record_change(
        f"registers.{reg.slug}.update",
        obj,
        _summary(reg, obj),
        actor=by,
        data={"before": before, "after": after},
    )
    return obj


@transaction.atomic
def delete_entry(*, by: User, register: str, pk: int) -> None:
    reg = register_or_error(register)
    obj = _locked(reg, by, pk)
    before = state(reg, obj)
    summary = _summary(reg, obj)
    record_change(
        f"registers.{reg.slug}.delete",
        obj,
        summary,
        actor=by,
        data={"before": before, "after": {}},
    )
    obj.delete()
