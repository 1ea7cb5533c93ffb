"""Every write to the catalog. Each public function is one transaction.

Workflow versions that have been active are immutable: dossiers keep a foreign key to the
version they started with. A change is ``new_workflow_version`` (a draft) followed by
``activate_workflow``, which retires the previous active version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog import rules
from motcua.catalog.models import (
    FeeLine,
    Field,
    Procedure,
    RequiredDocument,
    Workflow,
    WorkflowStatus,
    WorkflowStep,
)
from motcua.catalog.records import (
    CatalogImportError,
    ImportResult,
    ProcedureRecord,
    WorkflowRecord,
)
from motcua.core import pagecache
from motcua.core.audit import record_change
from motcua.workcalendar.officehours import parse_office_hours


def hours_per_day() -> Decimal:
    """Working hours in a day of the deployment's default office hours (8 for 07:00–17:00)."""
    return rules.working_hours_per_day(parse_office_hours(settings.MOTCUA_OFFICE_HOURS))


def _check_steps(steps: Sequence[rules.StepSpec], amount: int | None, unit: str) -> None:
    try:
        rules.check_step_hours([s.allotted_hours for s in steps], amount, unit, hours_per_day())
    except rules.WorkflowRuleError as exc:
        raise ValidationError(str(exc), code="workflow_time") from exc


def _require_draft(workflow: Workflow) -> None:
    if workflow.status != WorkflowStatus.DRAFT:
        raise ValidationError(
            f"Quy trình phiên bản {workflow.version} đã {workflow.get_status_display().lower()}, "
            "không thể sửa hoặc xóa; hãy tạo phiên bản mới.",
            code="workflow_locked",
        )


def _write_steps(workflow: Workflow, steps: Sequence[rules.StepSpec]) -> None:
    pagecache.bump()  # bulk_create sends no signal; procedure pages show the steps
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            workflow=workflow,
            order=index,
            name=s.name,
            role=s.role,
            performer=s.performer,
            agency_id=s.agency_id if s.performer == rules.SPECIFIC else None,
            allotted_hours=s.allotted_hours,
        )
        for index, s in enumerate(steps, start=1)
    )


def _lock_procedure(procedure: Procedure) -> Procedure:
    # Serialises version numbering and activation per procedure
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


@transaction.atomic
def new_workflow_version(
    procedure: Procedure,
    steps: Sequence[rules.StepSpec],
    *,
    approved_ref: str = "",
    valid_from: date | None = None,
    actor: Any = None,
) -> Workflow:
    """Create version n+1 as a draft, sized to the procedure's current legal time."""
    procedure = _lock_procedure(procedure)
    _check_steps(steps, procedure.processing_amount, procedure.processing_unit)
    last = procedure.workflows.aggregate(v=Max("version"))["v"] or 0
    workflow = Workflow.objects.create(
        procedure=procedure,
        version=last + 1,
        status=WorkflowStatus.DRAFT,
        legal_amount=procedure.processing_amount,
        legal_unit=procedure.processing_unit,
        approved_ref=approved_ref,
        valid_from=valid_from,
    )
    _write_steps(workflow, steps)
    record_change(
        "new_version",
        workflow,
        f"Lập dự thảo quy trình phiên bản {workflow.version} cho thủ tục {procedure.code}",
        actor=actor,
    )
    return workflow


@transaction.atomic
def replace_draft_steps(
    workflow: Workflow, steps: Sequence[rules.StepSpec], *, actor: Any = None
) -> Workflow:
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
    _require_draft(workflow)
    _check_steps(steps, workflow.legal_amount, workflow.legal_unit)
    workflow.steps.all().delete()
    _write_steps(workflow, steps)
    record_change(
        "edit_draft", workflow, f"Sửa các bước của dự thảo quy trình {workflow}", actor=actor
    )
    return workflow


@transaction.atomic
def delete_draft_workflow(workflow: Workflow, *, actor: Any = None) -> None:
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
    _require_draft(workflow)
    record_change("delete_draft", workflow, f"Xóa dự thảo quy trình {workflow}", actor=actor)
    workflow.steps.all().delete()
    workflow.delete()


def _activate(workflow: Workflow, now: datetime) -> None:
    procedure = workflow.procedure
    if (workflow.legal_amount, workflow.legal_unit) != (
        procedure.processing_amount,
        procedure.processing_unit,
    ):
        raise ValidationError(
            f"Quy trình được lập cho thời hạn {workflow.legal_time_display}, nhưng thời hạn "
            f"hiện hành của thủ tục là {procedure.legal_time_display}.",
            code="workflow_time",
        )
    steps = [
        rules.StepSpec(s.name, s.role, s.allotted_hours, s.performer, s.agency_id)
        for s in workflow.steps.all()
    ]
    _check_steps(steps, workflow.legal_amount, workflow.legal_unit)
    procedure.workflows.filter(status=WorkflowStatus.ACTIVE).update(
        status=WorkflowStatus.RETIRED, retired_at=now
    )
    pagecache.bump()  # QuerySet.update sends no signal
    workflow.status, workflow.activated_at = WorkflowStatus.ACTIVE, now
    workflow.save(update_fields=["status", "activated_at"])


@transaction.atomic
def activate_workflow(workflow: Workflow, *, actor: Any = None) -> Workflow:
    """Put a draft in force and retire the version that was active (one transaction)."""
    _lock_procedure(workflow.procedure)
    workflow = Workflow.objects.select_related("procedure").get(pk=workflow.pk)
    _require_draft(workflow)
    _activate(workflow, timezone.now())
    record_change("activate", workflow, f"Áp dụng quy trình {workflow}", actor=actor)
    return workflow


@transaction.atomic
def create_default_workflow(procedure: Procedure, *, activate: bool = True) -> Workflow:
    """Reception → specialist → leader → return, sized to the procedure's legal time."""
    try:
        steps = rules.default_workflow_steps(
            procedure.processing_amount, procedure.processing_unit, hours_per_day()
        )
    except rules.WorkflowRuleError as exc:
        raise ValidationError(str(exc), code="workflow_time") from exc
    workflow = new_workflow_version(procedure, steps)
    return activate_workflow(workflow) if activate else workflow


@transaction.atomic
def set_processing_time(
    procedure: Procedure,
    amount: int | None,
    unit: str = rules.DAYS,
    *,
    unconfirmed: bool = False,
    actor: Any = None,
) -> Procedure:
    """Set the legal time. A procedure without any workflow then gets the default one; an
    existing active workflow is left alone (``procedures_needing_attention`` lists the
    mismatch until an administrator activates a new version)."""
    procedure = _lock_procedure(procedure)
    procedure.processing_amount, procedure.processing_unit = amount, unit
    procedure.processing_unconfirmed = unconfirmed or amount is None
    procedure.save()
    record_change(
        "set_time",
        procedure,
        f"Thời hạn giải quyết của {procedure.code}: {rules.describe_legal_time(amount, unit)}",
        actor=actor,
        data={"amount": amount, "unit": unit, "unconfirmed": unconfirmed},
    )
    if amount is not None and not procedure.workflows.exists():
        create_default_workflow(procedure)
    return procedure


@transaction.atomic
def link_agencies_by_level(level: str, agencies: Iterable[Agency], *, actor: Any = None) -> int:
    """Add ``agencies`` as implementing agencies of every procedure of ``level``."""
    if level not in rules.LEVELS:
        raise ValidationError(f"Cấp không hợp lệ: {level!r}.")
    agencies = list(agencies)
    procedures = Procedure.objects.filter(**{f"at_{level}": True})
    for procedure in procedures:
        procedure.implementing_agencies.add(*agencies)
    record_change(
        "link_agencies",
        None,
        f"Gán {len(agencies)} cơ quan thực hiện cho thủ tục cấp {level}",
        actor=actor,
        object_type="catalog.procedure",
        data={"level": level},
    )
    return procedures.count()


# --- bulk import ------------------------------------------------------------------------------


def _procedure_values(rec: ProcedureRecord, field: Field) -> dict[str, object]:
    optional = {
        k: getattr(rec, k)
        for k in ("origin", "on_national_portal")
        if getattr(rec, k) is not None  # a file without the column leaves the value alone
    }
    return optional | {
        "code": rec.code,
        "code_unconfirmed": rec.code_unconfirmed,
        "name_vi": rec.name_vi,
        "name_en": rec.name_en,
        "field": field,
        "at_commune": rules.COMMUNE in rec.levels,
        "at_district": rules.DISTRICT in rec.levels,
        "at_province": rules.PROVINCE in rec.levels,
        "processing_amount": rec.processing_amount,
        "processing_unit": rec.processing_unit,
        "processing_unconfirmed": rec.processing_unconfirmed or rec.processing_amount is None,
        "result_type": rec.result_type,
        "legal_basis": rec.legal_basis,
        "online_mode": rec.online_mode,
        "historical_online_level": rec.historical_online_level,
        "online_mode_unconfirmed": rec.online_mode_unconfirmed,
        "is_active": rec.is_active,
    }


def _find_procedure(code: str, name_vi: str) -> Procedure | None:
    if code:
        return Procedure.objects.filter(code=code).first()
    return Procedure.objects.filter(code="", name_vi=name_vi).first()


def _sync_rows(manager, model, wanted: list[dict[str, object]], procedure: Procedure) -> bool:
    """Make the ordered child rows equal ``wanted``, keeping rows (and uploaded files) whose
    content is unchanged. Returns whether anything changed."""
    existing = {row.order: row for row in manager.all()}
    changed = False
    for order, values in enumerate(wanted, start=1):
        row = existing.pop(order, None)
        if row is None:
            model.objects.create(procedure=procedure, order=order, **values)
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            changed = True
    if existing:
        model.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
        changed = True
    return changed


def _field_for(rec: ProcedureRecord, cache: dict[str, Field]) -> Field:
    field = cache.get(rec.field_vi)
    if field is None:
        field, _ = Field.objects.get_or_create(name_vi=rec.field_vi)
        cache[rec.field_vi] = field
    if rec.field_en and field.name_en != rec.field_en:
        field.name_en = rec.field_en
        field.save()
    return field


def _existing_procedures(procedures: list[ProcedureRecord]) -> dict[tuple[str, str], Procedure]:
    """The procedures an import may update, read at once (one query, not one per record), by
    the key ``_find_procedure`` matches on: ``(code, "")``, or ``("", name)`` when the code is
    blank. The first in the model's order wins, as ``_find_procedure``'s ``first()``."""
    codes = {r.code for r in procedures if r.code}
    names = {r.name_vi for r in procedures if not r.code}
    found: dict[tuple[str, str], Procedure] = {}
    # with its field: comparing a record's values reads ``procedure.field`` (a query each)
    rows = Procedure.objects.select_related("field")
    matching = [rows.filter(code__in=codes).order_by("code", "name_vi", "pk")]
    if names:
        matching.append(rows.filter(code="", name_vi__in=names).order_by("name_vi", "pk"))
    for query in matching:
        for procedure in query:
            found.setdefault(_procedure_key(procedure.code, procedure.name_vi), procedure)
    return found


def _existing_links(procedures: Iterable[Procedure]) -> dict[int, set[int]]:
    """The implementing agencies' ids of ``procedures`` by procedure id, read at once."""
    through = Procedure.implementing_agencies.through
    ids = list({p.pk for p in procedures})
    linked: dict[int, set[int]] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on a query's parameters
        rows = through.objects.filter(procedure_id__in=ids[start : start + 500])
        for procedure_id, agency_id in rows.values_list("procedure_id", "agency_id"):
            linked.setdefault(procedure_id, set()).add(agency_id)
    return linked


def _procedure_key(code: str, name_vi: str) -> tuple[str, str]:
    return (code, "") if code else ("", name_vi)


# the import sets ``field`` to a saved row (``_field_for``): validating that foreign key would
# cost a query per procedure to find a row just read or created
_CLEAN_EXCLUDE = ["field"]


def _upsert_procedure(
    rec: ProcedureRecord,
    fields: dict[str, Field],
    agencies: dict[str, Agency],
    existing: dict[tuple[str, str], Procedure],
    links: dict[int, tuple[Procedure, set[int]]],
    linked: dict[int, set[int]],
) -> tuple[Procedure, str]:
    """Create or update one procedure. ``existing`` holds the procedures found so far by key
    (those created here are added); the implementing agencies of a procedure created here go
    to ``links`` by its id (written at once by ``_write_links``); ``linked`` holds those of the
    existing ones (``_existing_links``)."""
    values = _procedure_values(rec, _field_for(rec, fields))
    key = _procedure_key(rec.code, rec.name_vi)
    procedure = existing.get(key)
    status = "unchanged"
    if procedure is None:
        procedure = Procedure(**values)
        procedure.full_clean(
            exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
        procedure.save()
        existing[key] = procedure
        status = "created"
    elif any(getattr(procedure, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(procedure, k, v)
        procedure.full_clean(
            exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
        procedure.save()
        status = "updated"
    changed = False
    if rec.fees is not None:
        wanted = [vars(f) for f in rec.fees]
        changed |= _sync_rows(procedure.fee_lines, FeeLine, wanted, procedure)
    if rec.documents is not None:
        wanted = [vars(d) for d in rec.documents]
        changed |= _sync_rows(procedure.required_documents, RequiredDocument, wanted, procedure)
    if rec.agency_codes is not None:
        wanted_ids = {agencies[c].pk for c in rec.agency_codes}
        if status == "created":  # no links yet: written with the others' at the end
            links[procedure.pk] = (procedure, wanted_ids)
        elif procedure.pk in links:  # created earlier in this import (a repeated record)
            if links[procedure.pk][1] != wanted_ids:
                links[procedure.pk] = (procedure, wanted_ids)
                changed = True
        elif linked.get(procedure.pk, set()) != wanted_ids:
            procedure.implementing_agencies.set(wanted_ids)
            linked[procedure.pk] = wanted_ids
            changed = True
    if changed and status == "unchanged":
        status = "updated"
    return procedure, status


def _write_links(links: dict[int, tuple[Procedure, set[int]]]) -> None:
    """The implementing agencies of the procedures an import created, in one insert. (Adding
    them one procedure at a time cost three queries each; bulk_create sends no m2m_changed
    signal, so the catalogue version is bumped here.)"""
    through = Procedure.implementing_agencies.through
    rows = [
        through(procedure_id=procedure.pk, agency_id=agency_id)
        for procedure, ids in links.values()
        for agency_id in sorted(ids)
    ]
    if rows:
        through.objects.bulk_create(rows, batch_size=1000)
        pagecache.bump()


def _step_specs(rec: WorkflowRecord, agencies: dict[str, Agency]) -> list[rules.StepSpec]:
    return [
        rules.StepSpec(
            s.name,
            s.role,
            s.allotted_hours,
            s.performer,
            agencies[s.agency_code].pk if s.agency_code else None,
        )
        for s in rec.steps
    ]


def _same_workflow(wf: Workflow, rec: WorkflowRecord, specs: list[rules.StepSpec]) -> bool:
    current = [
        rules.StepSpec(s.name, s.role, s.allotted_hours, s.performer, s.agency_id)
        for s in wf.steps.all()
    ]
    return (wf.legal_amount, wf.legal_unit, wf.approved_ref, wf.valid_from, current) == (
        rec.legal_amount,
        rec.legal_unit,
        rec.approved_ref,
        rec.valid_from,
        specs,
    )


def _apply_workflows(
    procedure: Procedure,
    records: list[WorkflowRecord],
    agencies: dict[str, Agency],
    result: ImportResult,
    errors: list[str],
    now: datetime,
) -> None:
    to_activate: list[tuple[Workflow, WorkflowRecord]] = []
    for rec in sorted(records, key=lambda r: r.version):
        specs = _step_specs(rec, agencies)
        try:
            rules.check_step_hours(
                [s.allotted_hours for s in specs],
                rec.legal_amount,
                rec.legal_unit,
                hours_per_day(),
            )
        except rules.WorkflowRuleError as exc:
            errors.append(f"{rec.source}: {exc}")
            continue
        wf = procedure.workflows.filter(version=rec.version).first()
        if wf is None:
            wf = Workflow.objects.create(
                procedure=procedure,
                version=rec.version,
                status=WorkflowStatus.DRAFT,
                legal_amount=rec.legal_amount,
                legal_unit=rec.legal_unit,
                approved_ref=rec.approved_ref,
                valid_from=rec.valid_from,
            )
            _write_steps(wf, specs)
            result.workflows_created += 1
        elif not _same_workflow(wf, rec, specs):
            if not wf.is_editable:
                errors.append(
                    f"{rec.source}: quy trình phiên bản {rec.version} của thủ tục "
                    f"“{procedure.name_vi}” đã được áp dụng, không thể sửa; hãy tạo phiên bản mới."
                )
                continue
            pagecache.bump()  # QuerySet.update sends no signal
            Workflow.objects.filter(pk=wf.pk).update(
                legal_amount=rec.legal_amount,
                legal_unit=rec.legal_unit,
                approved_ref=rec.approved_ref,
                valid_from=rec.valid_from,
            )
            wf.steps.all().delete()
            _write_steps(wf, specs)
            result.workflows_updated += 1
        if wf.status == rec.status:
            continue
        if rec.status == WorkflowStatus.RETIRED:  # draft or active → retired
            Workflow.objects.filter(pk=wf.pk).update(status=rec.status, retired_at=now)
            pagecache.bump()  # QuerySet.update sends no signal
            result.workflows_updated += 1
        elif rec.status == WorkflowStatus.ACTIVE and wf.status == WorkflowStatus.DRAFT:
            to_activate.append((wf, rec))
        else:
            errors.append(
                f"{rec.source}: không thể chuyển quy trình phiên bản {rec.version} từ "
                f"“{wf.get_status_display()}” sang “{WorkflowStatus(rec.status).label}”."
            )
    if len(to_activate) > 1:
        errors.append(f"{to_activate[1][1].source}: mỗi thủ tục chỉ có một quy trình đang áp dụng.")
        return
    for wf, rec in to_activate:
        try:
            _activate(Workflow.objects.select_related("procedure").get(pk=wf.pk), now)
            result.workflows_updated += 1
        except ValidationError as exc:
            errors.extend(f"{rec.source}: {m}" for m in exc.messages)


@transaction.atomic
def apply_catalog(
    procedures: list[ProcedureRecord],
    workflows: Sequence[WorkflowRecord] = (),
    *,
    default_workflows: bool = False,
) -> ImportResult:
    """Create or update procedures (matched by code, or by name when the code is blank) and
    workflows (matched by procedure and version). All or nothing: any problem raises
    ``CatalogImportError`` listing every problem with its line, and nothing is written.

    With ``default_workflows``, a procedure with a known time and no workflow yet gets the
    default workflow, active, as version 1.
    """
    errors: list[str] = []
    result = ImportResult()
    wanted_codes = {c for r in procedures for c in (r.agency_codes or ())}
    wanted_codes |= {s.agency_code for w in workflows for s in w.steps if s.agency_code}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=wanted_codes)}
    for rec in procedures:
        missing = [c for c in rec.agency_codes or () if c not in agencies]
        if missing:
            errors.append(f"{rec.source}: không tìm thấy cơ quan có mã {', '.join(missing)}.")
    for wrec in workflows:
        missing = [
            s.agency_code for s in wrec.steps if s.agency_code and s.agency_code not in agencies
        ]
        if missing:
            errors.append(f"{wrec.source}: không tìm thấy cơ quan có mã {', '.join(missing)}.")
    if errors:
        raise CatalogImportError(errors)

    with pagecache.batched():  # one catalogue version bump for the whole import
        _apply_catalog(procedures, workflows, default_workflows, agencies, result, errors)
    if errors:
        raise CatalogImportError(errors)
    if result.changed:  # a re-import that changes nothing leaves no trace
        record_change(
            "import",
            None,
            f"Nhập danh mục thủ tục: {result.created} mới, {result.updated} cập nhật, "
            f"{result.workflows_created} quy trình mới",
            object_type="catalog.procedure",
            data={
                "created": result.created,
                "updated": result.updated,
                "workflows_created": result.workflows_created,
            },
        )
    return result


def _apply_catalog(
    procedures: list[ProcedureRecord],
    workflows: Sequence[WorkflowRecord],
    default_workflows: bool,
    agencies: dict[str, Agency],
    result: ImportResult,
    errors: list[str],
) -> None:
    fields: dict[str, Field] = {}
    by_key: dict[str, Procedure] = {}
    existing = _existing_procedures(procedures)
    links: dict[int, tuple[Procedure, set[int]]] = {}
    linked = _existing_links(existing.values())
    for rec in procedures:
        try:
            procedure, status = _upsert_procedure(rec, fields, agencies, existing, links, linked)
        except ValidationError as exc:
            errors.extend(f"{rec.source}: {m}" for m in exc.messages)
            continue
        by_key[rec.key] = procedure
        setattr(result, status, getattr(result, status) + 1)
    _write_links(links)

    grouped: dict[str, list[WorkflowRecord]] = {}
    for wrec in workflows:
        grouped.setdefault(wrec.procedure_key, []).append(wrec)
    now = timezone.now()
    for key, records in grouped.items():
        procedure = by_key.get(key)
        if procedure is None:
            kind, _, value = key.partition(":")
            procedure = _find_procedure(value, "") if kind == "code" else _find_procedure("", value)
        if procedure is None:
            errors.append(f"{records[0].source}: không tìm thấy thủ tục {key.partition(':')[2]!r}.")
            continue
        _apply_workflows(_lock_procedure(procedure), records, agencies, result, errors, now)

    if default_workflows and not errors:
        for procedure in by_key.values():
            active = procedure.workflows.filter(status=WorkflowStatus.ACTIVE).first()
            if active and (active.legal_amount, active.legal_unit) != (
                procedure.processing_amount,
                procedure.processing_unit,
            ):
                result.warnings.append(
                    f"{procedure}: quy trình đang áp dụng được lập cho thời hạn "
                    f"{active.legal_time_display}, thời hạn mới là "
                    f"{procedure.legal_time_display}; hãy kích hoạt phiên bản mới."
                )
            if procedure.processing_amount is not None and not procedure.workflows.exists():
                try:
                    create_default_workflow(procedure)
                    result.workflows_created += 1
                except ValidationError as exc:
                    result.warnings.extend(f"{procedure}: {m}" for m in exc.messages)


__all__ = [
    "activate_workflow",
    "apply_catalog",
    "create_default_workflow",
    "delete_draft_workflow",
    "hours_per_day",
    "link_agencies_by_level",
    "new_workflow_version",
    "replace_draft_steps",
    "set_processing_time",
]
