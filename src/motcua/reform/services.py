"""The only code that changes reform plans, tasks, targets and inspections.

Each public function is one use case and one transaction: validate, lock the row (a stale
``expected_version`` is a conflict, never a silent overwrite), check the caller's permission,
change, and append a ``core.audit`` event with who, why, before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import dateparams, media
from motcua.core.audit import record_change
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.dossiers.uploads import read_checked, safe_name
from motcua.reform import permissions as perm
from motcua.reform.models import (
    Evidence,
    Inspection,
    InspectionMember,
    InspectionTarget,
    Objective,
    ProgressNote,
    ReformPlan,
    Remedy,
    Target,
    Task,
)
from motcua.reform.models.plans import MAX_TEXT
from motcua.reform.rules import (
    Area,
    Comparator,
    Conflict,
    InspectionKind,
    InspectionStatus,
    InvalidInput,
    RemedyStatus,
    TaskStatus,
    check_cancellation,
    check_closure,
    check_period,
    check_report,
)

MAX_FILES = 5
MAX_VALUE = Decimal("9999999.99")  # what a DecimalField(9, 2) holds


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# -- input checks (Vietnamese messages, never a database error) ------------------------------


def text(value: object, field: str, *, max_length: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if "\x00" in value:
        raise InvalidInput(_("Nội dung chứa ký tự không hợp lệ."), {field: "invalid"})
    if required and not value:
        raise InvalidInput(_("Vui lòng nhập đủ thông tin bắt buộc."), {field: "required"})
    if len(value) > max_length:
        raise InvalidInput(
            _("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, {field: "too_long"}
        )
    return value


def bounded_date(value: dt.date | None, field: str, *, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise InvalidInput(_("Vui lòng nhập ngày."), {field: "required"})
        return None
    try:
        return dateparams.check_date(value)
    except dateparams.DateParamError as exc:
        raise InvalidInput(exc.message, {field: exc.code}) from None


def number(value: object, field: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise InvalidInput(_("Vui lòng nhập giá trị."), {field: "required"})
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Giá trị phải là một số."), {field: "invalid"}) from None
    if not result.is_finite() or abs(result) > MAX_VALUE:
        raise InvalidInput(
            _("Giá trị phải nằm trong khoảng ±%(max)s.") % {"max": MAX_VALUE}, {field: "range"}
        )
    return result.quantize(Decimal("0.01"))


def year(value: object) -> int:
    try:
        result = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(_("Năm không hợp lệ."), {"year": "invalid"}) from None
    if not dateparams.MIN_YEAR <= result <= dateparams.MAX_YEAR:
        raise InvalidInput(
            _("Năm phải nằm trong khoảng %(a)d–%(b)d.")
            % {"a": dateparams.MIN_YEAR, "b": dateparams.MAX_YEAR},
            {"year": "range"},
        )
    return result


def _audit(action: str, obj, summary: str, *, by: User, why: str = "", before=None, after=None):
    record_change(
        action,
        obj,
        summary,
        actor=by,
        data={"why": why, "before": before or {}, "after": after or {}},
    )


def _task_state(task: Task) -> dict:
    return {
        "status": task.status,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "lead_agency": task.lead_agency.code if task.lead_agency_id else None,
        "completed_on": task.completed_on.isoformat() if task.completed_on else None,
        "cancel_reference": task.cancel_reference,
        "cancel_reason": task.cancel_reason,
    }


def _locked_task(task_id: int, expected_version: int | None) -> Task:
    task = (
        Task.objects.select_for_update()
        .select_related("plan", "lead_agency", "objective")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise InvalidInput(_("Không tìm thấy nhiệm vụ."), {"task": "not_found"})
    if expected_version is not None and task.version != expected_version:
        raise Conflict(
            _("Nhiệm vụ vừa được người khác cập nhật. Vui lòng tải lại trang và thử lại.")
        )
    return task


# -- plans ----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    by: User,
    year_: int,
    agency: Agency,
    decision_number: str,
    decision_date: dt.date,
    title: str,
) -> ReformPlan:
    plan = ReformPlan(
        year=year(year_),
        agency=agency,
        decision_number=text(decision_number, "decision_number", max_length=50),
        decision_date=bounded_date(decision_date, "decision_date"),
        title=text(title, "title", max_length=500),
    )
    perm.require(perm.can_manage_plan(by, plan))
    if ReformPlan.objects.filter(year=plan.year, agency=agency).exists():
        raise InvalidInput(
            _("%(agency)s đã có kế hoạch CCHC năm %(year)d.")
            % {"agency": agency.name_vi, "year": plan.year},
            {"year": "duplicate"},
        )
    plan.save()
    _audit(
        "reform.plan.create",
        plan,
        f"Kế hoạch {plan.decision_number}",
        by=by,
        after={"year": plan.year, "agency": agency.code, "decision": plan.decision_number},
    )
    return plan


def _plan_for_manager(by: User, plan_id: int) -> ReformPlan:
    plan = ReformPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise InvalidInput(_("Không tìm thấy kế hoạch."), {"plan": "not_found"})
    perm.require(perm.can_manage_plan(by, plan))
    return plan


@transaction.atomic
def add_objective(*, by: User, plan_id: int, area: str, title: str, number_: int | None = None):
    plan = _plan_for_manager(by, plan_id)
    if area not in Area.values:
        raise InvalidInput(_("Lĩnh vực cải cách không hợp lệ."), {"area": "invalid"})
    if number_ is None:
        number_ = (
            plan.objectives.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    if not 1 <= int(number_) <= 999:
        raise InvalidInput(_("Số thứ tự phải từ 1 đến 999."), {"number": "range"})
    if plan.objectives.filter(number=number_).exists():
        raise InvalidInput(_("Số thứ tự mục tiêu đã có."), {"number": "duplicate"})
    objective = Objective.objects.create(
        plan=plan, area=area, number=number_, title=text(title, "title", max_length=MAX_TEXT)
    )
    _audit(
        "reform.objective.create",
        objective,
        f"Mục tiêu {objective.number} — {plan.decision_number}",
        by=by,
        after={"area": area, "number": objective.number, "title": objective.title},
    )
    return objective


@transaction.atomic
def add_task(
    *,
    by: User,
    objective_id: int,
    content: str,
    lead_agency: Agency,
    output: str = "",
    partners: Sequence[Agency] = (),
    deadline: dt.date | None = None,
    is_propaganda: bool = False,
    status: str = TaskStatus.NOT_STARTED,
    completed_on: dt.date | None = None,
    cancel_reference: str = "",
    cancel_reason: str = "",
    number_: int | None = None,
) -> Task:
    objective = Objective.objects.filter(pk=objective_id).select_related("plan").first()
    if objective is None:
        raise InvalidInput(_("Không tìm thấy mục tiêu."), {"objective": "not_found"})
    plan = _plan_for_manager(by, objective.plan_id)
    if number_ is None:
        number_ = (
            objective.tasks.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    if not 1 <= int(number_) <= 999:
        raise InvalidInput(_("Số thứ tự phải từ 1 đến 999."), {"number": "range"})
    if objective.tasks.filter(number=number_).exists():
        raise InvalidInput(_("Số thứ tự nhiệm vụ đã có."), {"number": "duplicate"})
    if status not in TaskStatus.values:
        raise InvalidInput(_("Trạng thái không hợp lệ."), {"status": "invalid"})
    if status == TaskStatus.CANCELLED:
        check_cancellation(TaskStatus.NOT_STARTED, cancel_reference, cancel_reason)
    task = Task(
        plan=plan,
        objective=objective,
        number=number_,
        content=text(content, "content", max_length=MAX_TEXT),
        output=text(output, "output", max_length=MAX_TEXT, required=False),
        lead_agency=lead_agency,
        deadline=bounded_date(deadline, "deadline", required=False),
        is_propaganda=is_propaganda,
        status=status,
        completed_on=bounded_date(completed_on, "completed_on", required=False),
        cancel_reference=text(cancel_reference, "reference", max_length=100, required=False),
        cancel_reason=text(cancel_reason, "reason", max_length=MAX_TEXT, required=False),
    )
    if task.status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = task.deadline or timezone.localdate()
    task.save()
    if partners:
        task.partners.set([a for a in partners if a.pk != lead_agency.pk])
    _audit(
        "reform.task.create",
        task,
        f"Nhiệm vụ {task.stt} — {plan.decision_number}",
        by=by,
        after={**_task_state(task), "content": task.content[:200]},
    )
    return task


def _check_files(files: Sequence[Upload]) -> list[tuple[Upload, str]]:
    if len(files) > MAX_FILES:
        raise InvalidInput(_("Tối đa %(n)d tệp kiểm chứng.") % {"n": MAX_FILES}, {"files": "count"})
    checked = []
    for upload in files:
        try:  # the project's one upload check (content, size), shared with dossiers
            data, mime = read_checked(io.BytesIO(upload.data))
        except UploadRefused as exc:
            raise InvalidInput(
                f"{safe_name(upload.name)}: {exc.message}", {"files": "bad"}
            ) from None
        checked.append((Upload(upload.name, data), mime))
    return checked


def report_progress(
    *,
    by: User,
    task_id: int,
    status: str,
    note: str,
    files: Sequence[Upload] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Task:
    """An agency reports on a task it leads: the new status, what was done, evidence files."""
    note = text(note, "note", max_length=MAX_TEXT)
    checked = _check_files(files)
    # blobs before rows (core/media.py): a rolled-back report leaves orphans for media check
    blobs = [media.store(upload.data) for upload, _mime in checked]
    try:
        return _report(by, task_id, status, note, checked, blobs, expected_version, now)
    except BaseException:
        for blob in blobs:
            media.discard(blob)
        raise


@transaction.atomic
def _report(by, task_id, status, note, checked, blobs, expected_version, now) -> Task:
    now = now or timezone.now()
    task = _locked_task(task_id, expected_version)
    perm.require(
        perm.can_report(by, task),
        _("Chỉ cơ quan chủ trì nhiệm vụ được báo cáo tiến độ."),
    )
    check_report(task.status, status)
    before = _task_state(task)
    entry = ProgressNote.objects.create(
        task=task, at=now, by=by, status_before=task.status, status_after=status, text=note
    )
    for (upload, mime), blob in zip(checked, blobs, strict=True):
        evidence = Evidence(
            note=entry,
            original_name=safe_name(upload.name, mime),
            content_type=mime,
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
        )
        evidence.file.name = blob
        evidence.save()
    task.status = status
    task.completed_on = timezone.localdate(now) if status == TaskStatus.DONE else None
    task.version += 1
    task.save()
    _audit(
        "reform.task.progress",
        task,
        f"Báo cáo tiến độ nhiệm vụ {task.stt}",
        by=by,
        why=note,
        before=before,
        after={**_task_state(task), "evidence": len(checked)},
    )
    return task


@transaction.atomic
def cancel_task(
    *, by: User, task_id: int, reference: str, reason: str, expected_version: int | None = None
) -> Task:
    """Cancel a task: only the plan's managers, only with the approving document and a reason."""
    task = _locked_task(task_id, expected_version)
    perm.require(perm.can_manage_plan(by, task.plan))
    reference = text(reference, "reference", max_length=100, required=False)
    reason = text(reason, "reason", max_length=MAX_TEXT, required=False)
    check_cancellation(task.status, reference, reason)
    before = _task_state(task)
    task.status = TaskStatus.CANCELLED
    task.cancel_reference, task.cancel_reason = reference, reason
    task.completed_on = None
    task.version += 1
    task.save()
    _audit(
        "reform.task.cancel",
        task,
        f"Hủy nhiệm vụ {task.stt} theo {reference}",
        by=by,
        why=reason,
        before=before,
        after=_task_state(task),
    )
    return task


@transaction.atomic
def change_deadline(
    *,
    by: User,
    task_id: int,
    deadline: dt.date | None,
    reason: str,
    expected_version: int | None = None,
) -> Task:
    task = _locked_task(task_id, expected_version)
    perm.require(perm.can_manage_plan(by, task.plan))
    reason = text(reason, "reason", max_length=MAX_TEXT)
    before = _task_state(task)
    task.deadline = bounded_date(deadline, "deadline", required=False)
    task.version += 1
    task.save()
    _audit(
        "reform.task.deadline",
        task,
        f"Điều chỉnh thời hạn nhiệm vụ {task.stt}",
        by=by,
        why=reason,
        before=before,
        after=_task_state(task),
    )
    return task


@transaction.atomic
def set_target(
    *,
    by: User,
    plan_id: int,
    code: str,
    name: str,
    value: object,
    comparator: str = Comparator.AT_LEAST,
    unit: str = "",
    actual: object = None,
) -> Target:
    plan = _plan_for_manager(by, plan_id)
    if comparator not in Comparator.values:
        raise InvalidInput(_("Phép so sánh không hợp lệ."), {"comparator": "invalid"})
    code = text(code, "code", max_length=30).lower()
    target, created = Target.objects.select_for_update().get_or_create(
        plan=plan, code=code, defaults={"name": "", "value": 0}
    )
    before = {} if created else {"value": str(target.value), "actual": str(target.actual)}
    target.name = text(name, "name", max_length=255)
    target.value = number(value, "value")
    target.comparator = comparator
    target.unit = text(unit, "unit", max_length=20, required=False)
    target.actual = number(actual, "actual", allow_none=True)
    target.save()
    _audit(
        "reform.target.set",
        target,
        f"Chỉ tiêu {target.name}",
        by=by,
        before=before,
        after={"value": str(target.value), "actual": str(target.actual)},
    )
    return target


@transaction.atomic
def record_actual(*, by: User, target_id: int, actual: object, why: str = "") -> Target:
    target = Target.objects.select_for_update().select_related("plan").filter(pk=target_id).first()
    if target is None:
        raise InvalidInput(_("Không tìm thấy chỉ tiêu."), {"target": "not_found"})
    perm.require(perm.can_manage_plan(by, target.plan))
    before = {"actual": str(target.actual)}
    target.actual = number(actual, "actual", allow_none=True)
    target.save(update_fields=["actual"])
    _audit(
        "reform.target.actual",
        target,
        f"Kết quả chỉ tiêu {target.name}",
        by=by,
        why=text(why, "why", max_length=500, required=False),
        before=before,
        after={"actual": str(target.actual)},
    )
    return target


# -- inspections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    position: str
    agency: Agency | None = None


@transaction.atomic
def create_inspection(
    *,
    by: User,
    kind: str,
    topic: str,
    organiser: Agency,
    start_date: dt.date,
    end_date: dt.date,
    targets: Iterable[Agency],
    team: Iterable[Member] = (),
    decision_reference: str = "",
) -> Inspection:
    perm.require_office(by)
    if kind not in InspectionKind.values:
        raise InvalidInput(_("Loại kiểm tra không hợp lệ."), {"kind": "invalid"})
    start = bounded_date(start_date, "start_date")
    end = bounded_date(end_date, "end_date")
    check_period(start, end)
    targets = list(dict.fromkeys(targets))
    if not targets:
        raise InvalidInput(_("Chọn ít nhất một cơ quan được kiểm tra."), {"targets": "required"})
    inspection = Inspection.objects.create(
        year=start.year,
        kind=kind,
        topic=text(topic, "topic", max_length=500),
        decision_reference=text(
            decision_reference, "decision_reference", max_length=100, required=False
        ),
        organiser=organiser,
        start_date=start,
        end_date=end,
    )
    InspectionTarget.objects.bulk_create(
        [InspectionTarget(inspection=inspection, agency=a) for a in targets]
    )
    members = [
        InspectionMember(
            inspection=inspection,
            name=text(m.name, "team", max_length=255),
            position=text(m.position, "team", max_length=100),
            agency=m.agency,
        )
        for m in team
    ]
    InspectionMember.objects.bulk_create(members)
    _audit(
        "reform.inspection.create",
        inspection,
        f"Kiểm tra: {inspection.topic[:200]}",
        by=by,
        after={
            "kind": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "targets": [a.code for a in targets],
            "team": len(members),
        },
    )
    return inspection


def _locked_inspection(inspection_id: int, expected_version: int | None = None) -> Inspection:
    found = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if found is None:
        raise InvalidInput(_("Không tìm thấy đợt kiểm tra."), {"inspection": "not_found"})
    if expected_version is not None and found.version != expected_version:
        raise Conflict(_("Đợt kiểm tra vừa được người khác cập nhật. Vui lòng tải lại trang."))
    return found


@dataclass(frozen=True)
class RequiredRemedy:
    agency: Agency
    description: str
    deadline: dt.date


@transaction.atomic
def record_findings(
    *,
    by: User,
    inspection_id: int,
    findings: str,
    remedies: Iterable[RequiredRemedy] = (),
    expected_version: int | None = None,
) -> Inspection:
    """The team's findings and the remedies required of the inspected agencies."""
    perm.require_office(by)
    inspection = _locked_inspection(inspection_id, expected_version)
    if inspection.status == InspectionStatus.CLOSED:
        raise InvalidInput(_("Đợt kiểm tra đã kết thúc."), {"status": "closed"})
    before = {"status": inspection.status, "findings": inspection.findings[:200]}
    inspection.findings = text(findings, "findings", max_length=4000)
    targets = set(inspection.targets.values_list("agency_id", flat=True))
    created = []
    for r in remedies:
        if r.agency.pk not in targets:
            raise InvalidInput(
                _("Chỉ yêu cầu khắc phục đối với cơ quan được kiểm tra."), {"agency": "not_target"}
            )
        deadline = bounded_date(r.deadline, "deadline")
        if deadline < inspection.start_date:
            raise InvalidInput(
                _("Thời hạn khắc phục phải sau ngày kiểm tra."), {"deadline": "before_start"}
            )
        created.append(
            Remedy(
                inspection=inspection,
                agency=r.agency,
                description=text(r.description, "description", max_length=4000),
                deadline=deadline,
            )
        )
    Remedy.objects.bulk_create(created)
    inspection.status = InspectionStatus.CONDUCTED
    inspection.version += 1
    inspection.save()
    _audit(
        "reform.inspection.findings",
        inspection,
        f"Kết quả kiểm tra: {inspection.topic[:200]}",
        by=by,
        before=before,
        after={"status": inspection.status, "remedies_added": len(created)},
    )
    return inspection


@transaction.atomic
def follow_up_remedy(
    *, by: User, remedy_id: int, note: str, status: str, on: dt.date | None = None
) -> Remedy:
    """The inspected agency (or the office) records what was done; done/waived resolves it."""
    remedy = Remedy.objects.select_for_update().filter(pk=remedy_id).first()
    if remedy is None:
        raise InvalidInput(_("Không tìm thấy yêu cầu khắc phục."), {"remedy": "not_found"})
    perm.require(
        perm.can_follow_up(by, remedy),
        _("Chỉ cơ quan được yêu cầu khắc phục được cập nhật kết quả."),
    )
    if status not in RemedyStatus.values:
        raise InvalidInput(_("Trạng thái không hợp lệ."), {"status": "invalid"})
    if status == RemedyStatus.WAIVED:
        perm.require_office(by)
    if Inspection.objects.filter(pk=remedy.inspection_id, status=InspectionStatus.CLOSED).exists():
        raise InvalidInput(_("Đợt kiểm tra đã kết thúc."), {"status": "closed"})
    note = text(note, "note", max_length=2000)
    on = bounded_date(on, "on", required=False) or timezone.localdate()
    before = {"status": remedy.status}
    line = f"{on:%d/%m/%Y} — {by.display_name() if hasattr(by, 'display_name') else by}: {note}"
    remedy.follow_up = f"{remedy.follow_up}\n{line}".strip()[:20000]
    remedy.status = status
    remedy.resolved_on = None if status == RemedyStatus.OPEN else on
    remedy.save()
    _audit(
        "reform.remedy.follow_up",
        remedy,
        f"Theo dõi khắc phục #{remedy.pk}",
        by=by,
        why=note,
        before=before,
        after={"status": status},
    )
    return remedy


@transaction.atomic
def close_inspection(
    *,
    by: User,
    inspection_id: int,
    note: str,
    closed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Inspection:
    perm.require_office(by)
    inspection = _locked_inspection(inspection_id, expected_version)
    check_closure(inspection.status, inspection.remedies.values_list("status", flat=True))
    closed = bounded_date(closed_on, "closed_on", required=False) or timezone.localdate()
    if closed < inspection.start_date:
        raise InvalidInput(
            _("Ngày kết thúc phải sau ngày bắt đầu kiểm tra."), {"closed_on": "before_start"}
        )
    before = {"status": inspection.status}
    inspection.status = InspectionStatus.CLOSED
    inspection.closed_on = closed
    inspection.closure_note = text(note, "note", max_length=4000)
    inspection.version += 1
    inspection.save()
    _audit(
        "reform.inspection.close",
        inspection,
        f"Kết thúc kiểm tra: {inspection.topic[:200]}",
        by=by,
        why=inspection.closure_note,
        before=before,
        after={"status": inspection.status, "closed_on": closed.isoformat()},
    )
    return inspection
