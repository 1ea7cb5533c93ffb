"""Pages of the PAR index: the schemes, a tier's results (table and an SVG bar chart drawn on
the server, no external asset), and a unit's assessment sheet where the unit self-assesses
and explains and the council appraises — each action through index_services."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency
from motcua.core import dateparams
from motcua.desk.access import officer_required
from motcua.dossiers.uploads import attachment_response
from motcua.reform import index_excel, index_queries, index_services
from motcua.reform import index_permissions as perm
from motcua.reform.excel import ImportFailed
from motcua.reform.index_rules import EDITABLE, Actor, Method, Status, parse_decimal
from motcua.reform.index_services import Upload
from motcua.reform.models import Assessment, Scheme, Score
from motcua.reform.rules import InvalidInput, NotAllowed, ReformError

CHART_WIDTH = 640
BAR_HEIGHT = 22


def _sees_provisional(user, scheme: Scheme) -> bool:
    return perm.is_reform_office(user) or perm.is_council(user, scheme)


@officer_required
def schemes(request: HttpRequest) -> HttpResponse:
    rows = index_queries.schemes().order_by("-year", "tier", "-version")
    problems: list[str] = []
    status = 200
    if request.method == "POST":  # the reform office imports a scheme workbook
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(_("Vui lòng chọn tệp Excel (.xlsx)."))
            scheme = index_excel.import_scheme(by=request.user, data=upload.read())
            messages.success(request, _("Đã nhập bộ chỉ số."))
            return redirect("reform_index:results", pk=scheme.pk)
        except ImportFailed as exc:
            messages.error(request, exc.message)
            problems = [str(p) for p in exc.problems]
            status = 400
        except ReformError as exc:
            messages.error(request, exc.message)
            status = 403 if isinstance(exc, NotAllowed) else 400
    return render(
        request,
        "reform/parindex/schemes.html",
        {"schemes": rows, "problems": problems, "is_office": perm.is_reform_office(request.user)},
        status=status,
    )


def chart(rows: list[index_queries.UnitResult]) -> dict:
    """Geometry of a horizontal bar chart of the indexes (0–100 %), with cut-off lines."""
    label_w, plot_w = 260, CHART_WIDTH - 260 - 50
    bars = [
        {
            "y": i * BAR_HEIGHT,
            "text_y": i * BAR_HEIGHT + BAR_HEIGHT * 0.7,
            "width": float(r.total.index) * plot_w / 100,
            "value_x": label_w + float(r.total.index) * plot_w / 100 + 4,
            "label": r.agency.name_vi,
            "index": r.total.index,
            "band_no": 0,
        }
        for i, r in enumerate(rows)
    ]
    return {
        "bars": bars,
        "label_w": label_w,
        "plot_w": plot_w,
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * BAR_HEIGHT + 20,
        "axis_y": max(len(rows), 1) * BAR_HEIGHT + 14,
    }


@officer_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    provisional = _sees_provisional(request.user, scheme)
    rows = index_queries.results(scheme, published_only=not provisional)
    bands = list(scheme.bands.all())
    geometry = chart(rows)
    labels = [b.label for b in bands]
    for bar, row in zip(geometry["bars"], rows, strict=True):
        bar["band_no"] = labels.index(row.band) if row.band in labels else len(labels)
    cutoffs = [
        {
            "label": b.label,
            "cutoff": b.cutoff,
            "x": geometry["label_w"] + float(b.cutoff) * geometry["plot_w"] / 100,
        }
        for b in bands
        if b.cutoff > 0
    ]
    counts = index_queries.band_counts(scheme, published_only=not provisional)
    areas = list(scheme.areas.order_by("number"))
    return render(
        request,
        "reform/parindex/results.html",
        {
            "scheme": scheme,
            "rows": rows,
            "areas": areas,
            "chart": geometry,
            "cutoffs": cutoffs,
            "counts": counts,
            "provisional": provisional,
            "is_office": perm.is_reform_office(request.user),
            "problems": request.session.pop("parindex_problems", []),
        },
    )


TIER_LEVELS = {"department": "department", "district": "district", "commune": "commune"}


@officer_required
@require_POST
def office(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The reform office's actions on a scheme: open the assessments of every unit of the tier,
    import survey results, compute the automatic criteria, publish."""
    scheme = get_object_or_404(Scheme, pk=pk)
    try:
        if name == "open":
            units = Agency.objects.filter(level=TIER_LEVELS[scheme.tier])
            n = index_services.open_assessments(
                by=request.user, scheme_id=scheme.pk, agencies=units
            )
            messages.success(request, _("Đã mở %(n)d bản đánh giá.") % {"n": n})
        elif name == "survey":
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput(_("Vui lòng chọn tệp Excel (.xlsx)."))
            source = request.POST.get("source", "").strip()[:200] or upload.name[:200]
            n = index_excel.import_survey(
                by=request.user, scheme=scheme, data=upload.read(), source=source
            )
            messages.success(request, _("Đã nhập %(n)d kết quả điều tra.") % {"n": n})
        elif name == "auto":
            try:
                start = dateparams.parse_date(request.POST.get("start", ""))
                end = dateparams.parse_date(request.POST.get("end", ""))
                dateparams.check_range(start, end)
            except dateparams.DateParamError as exc:
                raise InvalidInput(exc.message) from None
            n = index_services.compute_automatic(
                by=request.user, scheme_id=scheme.pk, start=start, end=end
            )
            messages.success(request, _("Đã tính điểm tự động: %(n)d thay đổi.") % {"n": n})
        elif name == "publish":
            n = index_services.publish(by=request.user, scheme_id=scheme.pk)
            messages.success(request, _("Đã công bố kết quả của %(n)d đơn vị.") % {"n": n})
        else:
            raise Http404
    except ImportFailed as exc:
        messages.error(request, exc.message)
        request.session["parindex_problems"] = [str(p) for p in exc.problems][:200]
    except ReformError as exc:
        messages.error(request, exc.message)
    return redirect("reform_index:results", pk=scheme.pk)


def _assessment_or_404(user, pk: int) -> Assessment:
    assessment = Assessment.objects.select_related("scheme", "agency").filter(pk=pk).first()
    if assessment is None:
        raise Http404
    published = assessment.status == Status.PUBLISHED
    if not (perm.can_view(user, assessment) or published):
        raise Http404  # another unit's assessment in progress does not exist for this user
    return assessment


def _actor(user, assessment: Assessment) -> str | None:
    """Who the user acts as at this stage, if anyone."""
    stage = EDITABLE.get(assessment.status)
    if stage == Actor.UNIT and perm.can_self_assess(user, assessment):
        return Actor.UNIT
    if stage == Actor.COUNCIL and perm.is_council(user, assessment.scheme):
        return Actor.COUNCIL
    return None


@officer_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment_or_404(request.user, pk)
    return render(
        request,
        "reform/parindex/assessment.html",
        {
            "a": a,
            "sheet": index_queries.sheet(a),
            "actor": _actor(request.user, a),
            "can_submit": perm.can_submit(request.user, a),
            "is_council": perm.is_council(request.user, a.scheme),
            "self_method": Method.SELF,
            "Status": Status,
        },
    )


def _points(request: HttpRequest) -> Decimal:
    return parse_decimal(request.POST.get("points", ""))


@officer_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment_or_404(request.user, pk)
    code = request.POST.get("code", "")[:20]
    try:
        if a.status == Status.APPRAISED:
            index_services.explain(
                by=request.user, assessment_id=a.pk, code=code, text=request.POST.get("text", "")
            )
        elif a.status == Status.SELF_ASSESSING:
            upload = request.FILES.get("evidence")
            page = request.POST.get("page", "").strip()
            if page and not page.isdigit():
                raise InvalidInput(_("Số trang phải là số nguyên."))
            index_services.self_assess(
                by=request.user,
                assessment_id=a.pk,
                code=code,
                points=_points(request),
                note=request.POST.get("note", ""),
                evidence=Upload(upload.name, upload.read()) if upload else None,
                page=int(page) if page else None,
            )
        else:
            index_services.appraise(
                by=request.user,
                assessment_id=a.pk,
                code=code,
                points=_points(request),
                note=request.POST.get("note", ""),
            )
        messages.success(request, _("Đã lưu tiêu chí %(c)s.") % {"c": code})
    except ReformError as exc:
        messages.error(request, f"{code}: {exc.message}")
    return redirect("reform_index:assessment", pk=a.pk)


@officer_required
def evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A self-assessment's evidence, only to those who may see the assessment (never from
    MEDIA_URL): the unit, the council, the office; anyone once published."""
    a = _assessment_or_404(request.user, pk)
    score = Score.objects.filter(assessment=a, sub__code=code).exclude(evidence="").first()
    if score is None:
        raise Http404
    return attachment_response(
        score.evidence.open("rb"), content_type=score.evidence_type, name=score.evidence_name
    )


STEPS = {
    "submit": index_services.submit,
    "return": index_services.return_to_unit,
    "appraised": index_services.finish_appraisal,
    "explained": index_services.submit_explanation,
    "final": index_services.finalise,
}


@officer_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    a = _assessment_or_404(request.user, pk)
    action = STEPS.get(name)
    if action is None:
        raise Http404
    kwargs = {"reason": request.POST.get("reason", "")} if name == "return" else {}
    try:
        action(by=request.user, assessment_id=a.pk, **kwargs)
        messages.success(request, _("Đã chuyển bước."))
    except ReformError as exc:
        messages.error(request, exc.message)
    return redirect("reform_index:assessment", pk=a.pk)
