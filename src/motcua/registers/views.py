"""Register pages of the officer desk (under /desk/registers/). Thin: forms → services,
queries → templates; a service's refusal becomes a Vietnamese message beside its field."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.agencies.models import Agency
from motcua.core import dateparams
from motcua.core.figures import FigureQuery
from motcua.desk.access import officer_required
from motcua.registers import excel, figures, forms, permissions, queries, services
from motcua.registers.registry import AGENCY, BOOL, CHOICE, PROCEDURES, REGISTERS, Register
from motcua.registers.rules import RegisterError

LIST_LIMIT = 500


def _register(slug: str) -> Register:
    register = REGISTERS.get(slug)
    if register is None:
        raise Http404(_("Không có sổ theo dõi này."))
    return register


def _fail(form, exc: RegisterError) -> None:
    """Put a service's refusal on the form: beside its field when the form has it."""
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message if exc.code != "forbidden" else exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
    for problem in getattr(exc, "problems", ()):
        form.add_error(None, str(problem))


def _status(exc: RegisterError) -> int:
    return 403 if exc.code == "forbidden" else 400


def _date_param(request: HttpRequest, name: str, errors: list[str]) -> dt.date | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return dateparams.parse_date(raw)
    except dateparams.DateParamError as exc:
        errors.append(exc.message)
        return None


def _filter(request: HttpRequest, register: Register) -> tuple[queries.ListFilter, list[str]]:
    errors: list[str] = []
    start = _date_param(request, "from", errors)
    end = _date_param(request, "to", errors)
    active_on = _date_param(request, "active_on", errors) if register.slug == "autonomy" else None
    if start and end:
        try:
            dateparams.check_range(start, end)
        except dateparams.DateParamError as exc:
            errors.append(exc.message)
            start = end = None
    agency = None
    code = request.GET.get("agency", "")
    if code:
        agency = Agency.objects.filter(code=code[:35]).first()
        if agency is None:
            errors.append(_("Không tìm thấy cơ quan có mã %(c)s.") % {"c": code[:35]})
    exact, bad = queries.parse_exact(register, request.GET)
    errors.extend(bad)
    return queries.ListFilter(start, end, active_on, agency, exact), errors


def _display(register: Register, obj, *, every: bool = False) -> list[object]:
    """The record's values as shown: the list's columns, or ``every`` field."""
    cells = []
    for field in register.fields:
        if not every and (not field.listed or field.type == PROCEDURES):
            continue
        if field.type == PROCEDURES:
            cells.append(", ".join(p.code for p in obj.procedures.all()))
        elif field.type == AGENCY:
            cells.append(obj.agency.name_vi)
        elif field.type == CHOICE:
            cells.append(field.choices(getattr(obj, field.name)).label)
        elif field.type == BOOL:
            cells.append("✓" if getattr(obj, field.name) else "")
        else:
            value = getattr(obj, field.name)
            cells.append(value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value)
    return cells


# -- pages ----------------------------------------------------------------------------------


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    """Every register with its figures for the period (the current year by default)."""
    today = timezone.localdate()
    errors: list[str] = []
    start = _date_param(request, "from", errors) or dt.date(today.year, 1, 1)
    end = _date_param(request, "to", errors) or dt.date(today.year, 12, 31)
    try:
        dateparams.check_range(start, end)
    except dateparams.DateParamError as exc:
        errors.append(exc.message)
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    query = FigureQuery(start, end)
    by_register: dict[str, list] = {slug: [] for slug in REGISTERS}
    specs = {s.key: s for s in figures.FIGURES}
    if permissions.sees_all(request.user):  # the city's figures are the reform office's
        for figure in figures.provide(query):
            by_register[specs[figure.key].register].append(figure)
    rows = [{"register": r, "figures": by_register[r.slug]} for r in REGISTERS.values()]
    return render(
        request,
        "registers/home.html",
        {"rows": rows, "start": start, "end": end, "errors": errors},
        status=400 if errors else 200,
    )


@officer_required
def entry_list(request: HttpRequest, register: str) -> HttpResponse:
    reg = _register(register)
    flt, errors = _filter(request, reg)
    items = queries.entries(request.user, reg, flt)
    total = items.count()
    rows = [
        {
            "obj": o,
            "cells": _display(reg, o),
            "editable": permissions.can_edit(request.user, o.agency_id),
        }
        for o in items[:LIST_LIMIT]
    ]
    headers = [f.label for f in reg.fields if f.listed and f.type != PROCEDURES]
    filters = [
        {
            "name": f.name,
            "label": f.label,
            "choices": f.choices.choices
            if f.type == CHOICE
            else [("1", _("Có")), ("0", _("Không"))],
            "value": (
                ("1" if flt.exact[f.name] else "0")
                if f.type == BOOL and f.name in flt.exact
                else flt.exact.get(f.name, "")
            ),
        }
        for f in reg.filters
        if f.type in (CHOICE, BOOL)
    ]
    return render(
        request,
        "registers/list.html",
        {
            "register": reg,
            "rows": rows,
            "total": total,
            "limit": LIST_LIMIT,
            "headers": headers,
            "filters": filters,
            "flt": flt,
            "query": urlencode(flt.as_query()),
            "errors": errors,
            "can_create": permissions.editable_agencies(request.user).exists(),
        },
        status=400 if errors else 200,
    )


def _values(register: Register, cleaned: dict) -> dict:
    return {f.name: cleaned.get(f.name) for f in register.fields}


@officer_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, register: str) -> HttpResponse:
    reg = _register(register)
    agencies = permissions.editable_agencies(request.user)
    if not agencies.exists():
        return render(request, "desk/forbidden.html", status=403)
    initial = {"date": timezone.localdate()}
    if agencies.count() == 1:
        initial["agency"] = agencies.first().pk
    form = forms.entry_form(reg, agencies, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.create_entry(
                    by=request.user, register=reg.slug, values=_values(reg, form.cleaned_data)
                )
            except RegisterError as exc:
                _fail(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Đã thêm bản ghi vào sổ %(r)s.") % {"r": reg.title})
                return redirect("registers:list", register=reg.slug)
    return render(
        request, "registers/form.html", {"register": reg, "form": form, "obj": None}, status=status
    )


def _visible_or_404(request: HttpRequest, reg: Register, pk: int):
    obj = permissions.visible(request.user, reg.model.objects.select_related("agency"))
    obj = obj.filter(pk=pk).first() if pk < 2**63 else None
    if obj is None:
        raise Http404(_("Không tìm thấy bản ghi."))
    return obj


@officer_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    reg = _register(register)
    obj = _visible_or_404(request, reg, pk)
    if not permissions.can_edit(request.user, obj.agency_id):
        if request.method == "POST":
            return render(request, "desk/forbidden.html", status=403)
        facts = zip([f.label for f in reg.fields], _display(reg, obj, every=True), strict=True)
        return render(
            request,
            "registers/form.html",
            {"register": reg, "obj": obj, "readonly": True, "facts": list(facts)},
        )
    agencies = permissions.editable_agencies(request.user)
    form = forms.entry_form(reg, agencies, request.POST or None, initial=forms.initial_of(reg, obj))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_entry(
                    by=request.user,
                    register=reg.slug,
                    pk=obj.pk,
                    values=_values(reg, form.cleaned_data),
                )
            except RegisterError as exc:
                _fail(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Đã cập nhật bản ghi."))
                return redirect("registers:list", register=reg.slug)
    return render(
        request, "registers/form.html", {"register": reg, "form": form, "obj": obj}, status=status
    )


@officer_required
@require_POST
def entry_delete(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    reg = _register(register)
    obj = _visible_or_404(request, reg, pk)
    try:
        services.delete_entry(by=request.user, register=reg.slug, pk=obj.pk)
    except RegisterError as exc:
        if exc.code == "forbidden":
            return render(request, "desk/forbidden.html", status=403)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa bản ghi."))
    return redirect("registers:list", register=reg.slug)


@officer_required
@require_http_methods(["GET", "POST"])
def entry_import(request: HttpRequest, register: str) -> HttpResponse:
    reg = _register(register)
    if not permissions.editable_agencies(request.user).exists():
        return render(request, "desk/forbidden.html", status=403)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    status, checked = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data["file"].read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1)
            dry_run = form.cleaned_data["dry_run"]
            try:
                count = excel.import_file(by=request.user, register=reg, data=data, dry_run=dry_run)
            except RegisterError as exc:
                _fail(form, exc)
                status = _status(exc)
            else:
                if not dry_run:
                    messages.success(request, _("Đã nhập %(n)d bản ghi từ Excel.") % {"n": count})
                    return redirect("registers:list", register=reg.slug)
                checked, status = count, 200
    return render(
        request,
        "registers/import.html",
        {"register": reg, "form": form, "checked": checked, "columns": reg.fields},
        status=status,
    )


@officer_required
def entry_export(request: HttpRequest, register: str) -> HttpResponse:
    reg = _register(register)
    flt, errors = _filter(request, reg)
    if errors:  # the list page says what is wrong with the filter (400)
        return entry_list(request, register)
    items = queries.entries(request.user, reg, flt)
    if any(f.type == PROCEDURES for f in reg.fields):
        items = items.prefetch_related("procedures")
    response = HttpResponse(
        excel.export(reg, items[: excel.MAX_ROWS]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{reg.slug}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
