"""Reform pages of the officer desk (under /desk/reform/). Thin: forms → services,
queries → templates. A service's refusal becomes a Vietnamese message beside its field."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import dateparams
from motcua.desk.access import officer_required
from motcua.dossiers.uploads import attachment_response
from motcua.reform import excel, forms, permissions, queries, services
from motcua.reform.models import Evidence, Remedy
from motcua.reform.rules import (
    AREA_REFERENCES,
    OVERDUE,
    InspectionKind,
    InspectionStatus,
    ReformError,
    TaskStatus,
    remedy_overdue,
    status_label,
)


def _fail(form, exc: ReformError) -> None:
    """Put a service's refusal on the form: beside its field when the form has it."""
    placed = False
    for name in exc.fields:
        if name in form.fields and not isinstance(
            form.fields[name].widget, forms.forms.HiddenInput
        ):
            form.add_error(name, exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
    if hasattr(exc, "problems"):
        for problem in exc.problems:
            form.add_error(None, str(problem))


def _plan_or_404(request: HttpRequest, pk: int):
    plan = queries.visible_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("Không tìm thấy kế hoạch."))
    return plan


# -- plans ----------------------------------------------------------------------------------


@officer_required
def plans(request: HttpRequest) -> HttpResponse:
    rows = [
        {"plan": p, "progress": queries.progress_of(p).total}
        for p in queries.visible_plans(request.user).order_by("-year", "agency__path")[:200]
    ]
    return render(
        request,
        "reform/plans.html",
        {"rows": rows, "office": permissions.is_reform_office(request.user)},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    importing = request.GET.get("import") == "1" or "file" in request.FILES
    form_class = forms.ImportForm if importing else forms.PlanForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if importing:
                plan = excel.import_plan(
                    by=request.user,
                    data=d["file"].read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1),
                    agency=d["agency"],
                    year=d["year"],
                    decision_number=d["decision_number"],
                    decision_date=d["decision_date"],
                    title=d["title"],
                )
            else:
                plan = services.create_plan(
                    by=request.user,
                    year_=d["year"],
                    agency=d["agency"],
                    decision_number=d["decision_number"],
                    decision_date=d["decision_date"],
                    title=d["title"],
                )
        except ReformError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch %(n)s.") % {"n": plan.decision_number})
            return redirect("reform:plan", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reform/plan_new.html", {"form": form, "importing": importing}, status=status
    )


@officer_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    today = timezone.localdate()
    manager = permissions.can_manage_plan(request.user, plan)
    objective_form = forms.ObjectiveForm(prefix="o")
    task_form = forms.TaskForm(plan=plan, prefix="t")
    if request.method == "POST":
        if not manager:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "objective":
                objective_form = forms.ObjectiveForm(request.POST, prefix="o")
                if objective_form.is_valid():
                    services.add_objective(
                        by=request.user, plan_id=plan.pk, **objective_form.cleaned_data
                    )
                    return redirect("reform:plan", pk=plan.pk)
            elif action == "task":
                task_form = forms.TaskForm(request.POST, plan=plan, prefix="t")
                if task_form.is_valid():
                    d = dict(task_form.cleaned_data)
                    if not plan.objectives.filter(pk=d["objective"]).exists():
                        raise Http404
                    services.add_task(by=request.user, objective_id=d.pop("objective"), **d)
                    messages.success(request, _("Đã thêm nhiệm vụ."))
                    return redirect("reform:plan", pk=plan.pk)
            elif action == "actual":
                form = forms.ActualForm(request.POST)
                raw = request.POST.get("target", "")
                target = (
                    plan.targets.filter(pk=int(raw)).first()
                    if raw.isdigit() and len(raw) < 10
                    else None
                )
                if form.is_valid() and target is not None:
                    services.record_actual(
                        by=request.user, target_id=target.pk, actual=form.cleaned_data["actual"]
                    )
                    messages.success(request, _("Đã cập nhật giá trị đạt được."))
                    return redirect("reform:plan", pk=plan.pk)
        except ReformError as exc:
            messages.error(request, exc.message)
            if action == "task":
                _fail(task_form, exc)
            elif action == "objective":
                _fail(objective_form, exc)
    figure = queries.progress_of(plan, today)
    rows = queries.task_rows(plan, queries.visible_tasks(request.user), today)
    for row in rows:
        row["label"] = status_label(row["status"])
    return render(
        request,
        "reform/plan.html",
        {
            "plan": plan,
            "figure": figure,
            "rows": rows,
            "overdue": OVERDUE,
            "manager": manager,
            "objective_form": objective_form,
            "task_form": task_form,
            "references": AREA_REFERENCES,
            "objectives": {o.pk: o for o in plan.objectives.all()},
        },
        status=400 if request.method == "POST" else 200,
    )


@officer_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    response = HttpResponse(
        excel.export_plan(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-cchc-{plan.year}-{plan.pk}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
def late(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    # ASCII digits only: str.isdigit() accepts "²", which int() refuses
    year_value = int(year) if re.fullmatch(r"[0-9]{4}", year) else None
    groups = queries.late_tasks(request.user, year=year_value)
    return render(request, "reform/late.html", {"groups": groups, "year": year_value})


# -- tasks ----------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.visible_tasks(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    can_report = permissions.can_report(request.user, task)
    can_manage = permissions.can_manage_plan(request.user, task.plan)
    initial = {"version": task.version}
    report = forms.ReportForm(initial={**initial, "status": task.status}, prefix="r")
    cancel = forms.CancelForm(initial=initial, prefix="c")
    deadline = forms.DeadlineForm(initial={**initial, "deadline": task.deadline}, prefix="d")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "report":
                report = forms.ReportForm(request.POST, prefix="r")
                if report.is_valid():
                    files = request.FILES.getlist("r-files")
                    services.report_progress(
                        by=request.user,
                        task_id=task.pk,
                        status=report.cleaned_data["status"],
                        note=report.cleaned_data["note"],
                        files=[
                            services.Upload(f.name, f.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1))
                            for f in files[: services.MAX_FILES + 1]
                        ],
                        expected_version=report.cleaned_data["version"],
                    )
                    messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
                    return redirect("reform:task", pk=task.pk)
            elif action == "cancel":
                cancel = forms.CancelForm(request.POST, prefix="c")
                if cancel.is_valid():
                    services.cancel_task(
                        by=request.user,
                        task_id=task.pk,
                        reference=cancel.cleaned_data["reference"],
                        reason=cancel.cleaned_data["reason"],
                        expected_version=cancel.cleaned_data["version"],
                    )
                    messages.success(request, _("Đã hủy nhiệm vụ."))
                    return redirect("reform:task", pk=task.pk)
            elif action == "deadline":
                deadline = forms.DeadlineForm(request.POST, prefix="d")
                if deadline.is_valid():
                    services.change_deadline(
                        by=request.user,
                        task_id=task.pk,
                        deadline=deadline.cleaned_data["deadline"],
                        reason=deadline.cleaned_data["reason"],
                        expected_version=deadline.cleaned_data["version"],
                    )
                    messages.success(request, _("Đã điều chỉnh thời hạn."))
                    return redirect("reform:task", pk=task.pk)
        except ReformError as exc:
            form = {"report": report, "cancel": cancel, "deadline": deadline}.get(action)
            if form is not None:
                _fail(form, exc)
            status = 403 if exc.code == "forbidden" else 409 if exc.code == "conflict" else 400
        else:
            status = 400
    today = timezone.localdate()
    effective = queries.effective_status(task.status, task.deadline, today)
    return render(
        request,
        "reform/task.html",
        {
            "task": task,
            "status_label": status_label(effective),
            "is_overdue": effective == OVERDUE,
            "notes": task.notes.select_related("by").prefetch_related("evidence"),
            "history": queries.task_history(task),
            "can_report": can_report and task.status != TaskStatus.CANCELLED,
            "can_manage": can_manage and task.status not in (TaskStatus.CANCELLED, TaskStatus.DONE),
            "report": report,
            "cancel": cancel,
            "deadline_form": deadline,
        },
        status=status,
    )


@officer_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence files are served only through here, to officers who see the task."""
    item = get_object_or_404(Evidence.objects.select_related("note"), pk=pk)
    if not queries.visible_tasks(request.user).filter(pk=item.note.task_id).exists():
        raise Http404
    return attachment_response(
        item.file.open("rb"), content_type=item.content_type, name=item.original_name
    )


# -- inspections ----------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    error = ""
    try:
        if request.GET.get("from"):
            start = dateparams.parse_date(request.GET["from"])
        if request.GET.get("to"):
            end = dateparams.parse_date(request.GET["to"])
        dateparams.check_range(start, end)
    except dateparams.DateParamError as exc:
        error = exc.message
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    return start, end, error


@officer_required
def inspections(request: HttpRequest) -> HttpResponse:
    start, end, error = _period(request)
    items = (
        queries.visible_inspections(request.user)
        .filter(start_date__gte=start, start_date__lte=end)
        .prefetch_related("targets__agency")
        .order_by("start_date", "pk")
    )
    kind = request.GET.get("kind", "")
    if kind in InspectionKind.values:
        items = items.filter(kind=kind)
    counts = queries.inspection_counts(start, end)
    return render(
        request,
        "reform/inspections.html",
        {
            "items": items[:500],
            "counts": counts if permissions.is_reform_office(request.user) else None,
            "start": start,
            "end": end,
            "error": error,
            "kinds": InspectionKind.choices,
            "kind": kind,
            "office": permissions.is_reform_office(request.user),
        },
        status=400 if error else 200,
    )


def _team(raw: str) -> list[services.Member]:
    members = []
    for line in raw.splitlines():
        if line.strip():
            name, _sep, position = line.partition(";")
            members.append(services.Member(name.strip(), position.strip() or _("Thành viên")))
    return members


@officer_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    if not permissions.is_reform_office(request.user):
        return render(request, "desk/forbidden.html", status=403)
    form = forms.InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inspection = services.create_inspection(
                by=request.user,
                kind=d["kind"],
                topic=d["topic"],
                organiser=d["organiser"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                targets=list(d["targets"]),
                team=_team(d["team"]),
                decision_reference=d["decision_reference"],
            )
        except ReformError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt kiểm tra."))
            return redirect("reform:inspection", pk=inspection.pk)
    return render(
        request,
        "reform/inspection_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = queries.visible_inspections(request.user).filter(pk=pk).first()
    if inspection is None:
        raise Http404(_("Không tìm thấy đợt kiểm tra."))
    office = permissions.is_reform_office(request.user)
    initial = {"version": inspection.version}
    findings = forms.FindingsForm(initial=initial, inspection=inspection, prefix="f")
    close = forms.CloseForm(initial=initial, prefix="c")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "findings":
                findings = forms.FindingsForm(request.POST, inspection=inspection, prefix="f")
                if findings.is_valid():
                    d = findings.cleaned_data
                    remedies = []
                    if d["remedy"] or d["remedy_agency"]:
                        if not (d["remedy"] and d["remedy_agency"] and d["remedy_deadline"]):
                            raise services.InvalidInput(
                                _("Yêu cầu khắc phục cần cơ quan, nội dung và thời hạn."),
                                {"remedy": "required"},
                            )
                        agency = inspection.targets.get(agency_id=d["remedy_agency"]).agency
                        remedies.append(
                            services.RequiredRemedy(agency, d["remedy"], d["remedy_deadline"])
                        )
                    services.record_findings(
                        by=request.user,
                        inspection_id=inspection.pk,
                        findings=d["findings"],
                        remedies=remedies,
                        expected_version=d["version"],
                    )
                    messages.success(request, _("Đã ghi nhận kết quả kiểm tra."))
                    return redirect("reform:inspection", pk=inspection.pk)
            elif action == "close":
                close = forms.CloseForm(request.POST, prefix="c")
                if close.is_valid():
                    services.close_inspection(
                        by=request.user,
                        inspection_id=inspection.pk,
                        note=close.cleaned_data["note"],
                        closed_on=close.cleaned_data["closed_on"],
                        expected_version=close.cleaned_data["version"],
                    )
                    messages.success(request, _("Đã kết thúc đợt kiểm tra."))
                    return redirect("reform:inspection", pk=inspection.pk)
        except ReformError as exc:
            form = {"findings": findings, "close": close}.get(action)
            if form is not None:
                _fail(form, exc)
            else:
                messages.error(request, exc.message)
            status = 403 if exc.code == "forbidden" else 400
        else:
            status = 400
    today = timezone.localdate()
    remedies = [
        {
            "remedy": r,
            "overdue": remedy_overdue(r.status, r.deadline, today),
            "can_follow": permissions.can_follow_up(request.user, r)
            and inspection.status != InspectionStatus.CLOSED,
        }
        for r in inspection.remedies.select_related("agency")
    ]
    return render(
        request,
        "reform/inspection.html",
        {
            "inspection": inspection,
            "targets": inspection.targets.select_related("agency"),
            "team": inspection.team.select_related("agency"),
            "remedies": remedies,
            "office": office and inspection.status != InspectionStatus.CLOSED,
            "findings": findings,
            "close": close,
            "follow_form": forms.FollowUpForm(),
        },
        status=status,
    )


@officer_required
@require_POST
def remedy_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    remedy = get_object_or_404(Remedy, pk=pk)
    if not queries.visible_inspections(request.user).filter(pk=remedy.inspection_id).exists():
        raise Http404
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập kết quả khắc phục và chọn tình trạng."))
    else:
        try:
            services.follow_up_remedy(by=request.user, remedy_id=remedy.pk, **form.cleaned_data)
        except ReformError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã cập nhật kết quả khắc phục."))
    return redirect("reform:inspection", pk=remedy.inspection_id)
