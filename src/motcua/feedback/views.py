"""Feedback web pages: portal form, public answers, tracking by code, and the operator /
officer worklist with the lifecycle actions. Thin: forms → services, queries → templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.scope import is_officer
from motcua.agencies.models import Agency
from motcua.core import dateparams
from motcua.feedback import queries, routing, services, stats, throttle
from motcua.feedback.forms import ItemForm, OperatorItemForm, TrackForm, reporter_initial
from motcua.feedback.models import Category, FeedbackAttachment, FeedbackItem, localized_name
from motcua.feedback.rules import (
    ACTION_LABELS_VI,
    CHANNEL_LABELS_VI,
    STATE_LABELS_VI,
    Action,
    Channel,
    FeedbackError,
    InvalidInput,
    allowed_actions,
)


def _new_item(form, channel: str, files) -> services.NewItem:
    d = form.cleaned_data
    return services.NewItem(
        channel=channel,
        category=d["category"],
        title=d["title"],
        description=d["description"],
        address=d["address"],
        latitude=d["latitude"],
        longitude=d["longitude"],
        dossier_code=d["dossier_code"],
        dossier_digits=d["dossier_digits"],
        reporter_name=d["reporter_name"],
        reporter_phone=d["reporter_phone"],
        reporter_email=d["reporter_email"],
        is_public=d["is_public"],
        # read one byte past the limit at most: the shared upload check refuses larger files
        files=[
            services.Upload(f.name, f.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1)) for f in files
        ],
    )


# service error keys that belong to a form field of another name
FIELD_OF_ERROR = {"contact": "reporter_phone", "location": "latitude"}


def _submit(request: HttpRequest, form, channel: str) -> FeedbackItem | None:
    try:
        return services.submit(
            _new_item(form, channel, form.cleaned_data["files"]), by=request.user
        )
    except FeedbackError as exc:
        form.add_error(None, exc.message)
        for name, message in exc.fields.items():
            name = FIELD_OF_ERROR.get(name, name)
            form.add_error(name if name in form.fields else None, message)
    return None


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES)
        wait = throttle.refused(request)
        if wait is not None:
            response = render(
                request,
                "feedback/new.html",
                {"form": form, "map": _map_options(), "limited_minutes": -(-wait // 60)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            item = _submit(request, form, Channel.PORTAL)
            if item is not None:
                messages.success(
                    request,
                    _("Đã tiếp nhận phản ánh %(code)s. Vui lòng ghi lại mã để theo dõi.")
                    % {"code": item.code},
                )
                return redirect(f"{reverse('feedback:track')}?code={item.code}")
    else:
        form = ItemForm(initial=reporter_initial(request.user))
    return render(request, "feedback/new.html", {"form": form, "map": _map_options()})


def _map_options() -> dict | None:
    """The map picker's settings, or None when no tile server is configured (then the form
    keeps the latitude/longitude boxes only and the page loads nothing from elsewhere)."""
    tiles = getattr(settings, "MOTCUA_FEEDBACK_MAP_TILES_URL", "")
    if not tiles:
        return None
    lat_min, lat_max, lon_min, lon_max = services.province_bounds()
    return {
        "tiles": tiles,
        "attribution": getattr(settings, "MOTCUA_FEEDBACK_MAP_ATTRIBUTION", ""),
        "bounds": f"{lat_min},{lat_max},{lon_min},{lon_max}",
    }


def answers(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(queries.public_answers(q, request.GET.get("category", "")), 20).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "item": i,
            "title": queries.redact(i.title),
            "description": queries.redact(i.description),
            "agency": localized_name(i.agency),
        }
        for i in page
    ]
    return render(request, "feedback/answers.html", {"page": page, "rows": rows, "q": q})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    form = TrackForm(data if data.get("code") else None)
    view = None
    reporter = False
    if form.is_valid():
        code, contact = form.cleaned_data["code"].strip().upper(), form.cleaned_data["contact"]
        if request.method == "POST":
            try:
                _reporter_action(request, code, contact)
            except FeedbackError as exc:
                messages.error(request, exc.message)
        item = queries.by_code(code)
        if item is None:
            form.add_error("code", _("Không tìm thấy phản ánh có mã này."))
        else:
            reporter = services.contact_matches(item, contact) or (
                request.user.is_authenticated and item.reporter_user_id == request.user.pk
            )
            view = queries.public_view(item, reporter=reporter)
    return render(
        request, "feedback/track.html", {"form": form, "view": view, "reporter": reporter}
    )


def _reporter_action(request: HttpRequest, code: str, contact: str) -> None:
    by = request.user if request.user.is_authenticated else None
    action = request.POST.get("action")
    if action == "rate":
        services.rate(code, value=request.POST.get("value", ""), by=by, contact=contact)
        messages.success(request, _("Cảm ơn bạn đã đánh giá câu trả lời."))
    elif action == Action.REOPEN:
        services.reopen(code, reason=request.POST.get("reason", ""), by=by, contact=contact)
        messages.success(request, _("Phản ánh đã được mở lại để xử lý tiếp."))
    elif action == Action.PROVIDE_INFO:
        services.provide_info(code, text=request.POST.get("text", ""), by=by, contact=contact)
        messages.success(request, _("Đã gửi thông tin bổ sung."))


# -- officers -----------------------------------------------------------------------------


def officer_required(view: Callable) -> Callable:
    @wraps(view)
    def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('desk:login')}?next={request.get_full_path()}")
        if not is_officer(request.user):
            return render(request, "feedback/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return run


@officer_required
def worklist(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    qs = queries.worklist(request.user, state=state, overdue=overdue, q=request.GET.get("q", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/worklist.html",
        {"page": page, "states": STATE_LABELS_VI.items(), "state": state, "overdue": overdue},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def operator_new(request: HttpRequest) -> HttpResponse:
    form = OperatorItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = _submit(request, form, form.cleaned_data["channel"])
        if item is not None:
            messages.success(request, _("Đã tiếp nhận phản ánh %(code)s.") % {"code": item.code})
            return redirect("feedback:item", code=item.code)
    return render(request, "feedback/operator_new.html", {"form": form, "map": _map_options()})


@officer_required
def item(request: HttpRequest, code: str) -> HttpResponse:
    found = queries.get_visible(request.user, code)
    if found is None:
        return render(request, "feedback/forbidden.html", status=404)
    actions = [(a.value, ACTION_LABELS_VI[a]) for a in allowed_actions(found.state)]
    return render(
        request,
        "feedback/item.html",
        {
            "item": found,
            "actions": actions,
            "events": found.events.select_related("actor").order_by("at", "pk"),
            "duplicates": queries.duplicate_hints(found),
            "suggested": routing.route(found.category, found.area),
            "attachments": found.attachments.order_by("pk"),
            "agencies": Agency.objects.filter(valid_to__isnull=True).order_by("path"),
            "categories": Category.objects.filter(active=True),
        },
    )


# shown in the browser; anything else is downloaded (never rendered by the browser)
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def download_name(name: str, content_type: str) -> str:
    """The client's name with the extension of the type the content really is."""
    ext = EXTENSIONS.get(content_type, "")
    return name if not ext or name.lower().endswith(ext) else f"{name}{ext}"


@officer_required
def attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """Files are served only through here, to officers who see the item (never MEDIA_URL)."""
    found = queries.get_visible(request.user, code)
    if found is None:
        raise Http404
    att = get_object_or_404(FeedbackAttachment, pk=pk, item=found)
    response = FileResponse(
        att.file.open("rb"),
        content_type=att.content_type,
        as_attachment=att.content_type not in INLINE_TYPES,
        filename=download_name(att.original_name, att.content_type),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first() if code else None


ACTIONS: dict[str, Callable[[HttpRequest, str, int], FeedbackItem]] = {
    Action.REFUSE: lambda r, c, v: services.refuse(
        c, by=r.user, reason=r.POST.get("reason", ""), expected_version=v
    ),
    Action.REQUEST_INFO: lambda r, c, v: services.request_info(
        c, by=r.user, request=r.POST.get("reason", ""), expected_version=v
    ),
    Action.PROVIDE_INFO: lambda r, c, v: services.provide_info(
        c, by=r.user, text=r.POST.get("reason", ""), expected_version=v
    ),
    Action.ASSIGN: lambda r, c, v: services.assign(
        c,
        by=r.user,
        agency=_agency(r.POST.get("agency", "")),
        category=r.POST.get("category", ""),
        expected_version=v,
    ),
    Action.TRANSFER: lambda r, c, v: services.transfer(
        c,
        by=r.user,
        agency=_agency(r.POST.get("agency", "")) or _missing_agency(),
        reason=r.POST.get("reason", ""),
        expected_version=v,
    ),
    Action.START: lambda r, c, v: services.start(c, by=r.user, expected_version=v),
    Action.DRAFT_ANSWER: lambda r, c, v: services.draft_answer(
        c, by=r.user, answer=r.POST.get("answer", ""), expected_version=v
    ),
    Action.RETURN_DRAFT: lambda r, c, v: services.return_draft(
        c, by=r.user, reason=r.POST.get("reason", ""), expected_version=v
    ),
    Action.APPROVE: lambda r, c, v: services.approve(c, by=r.user, expected_version=v),
    Action.PUBLISH: lambda r, c, v: services.publish(c, by=r.user, expected_version=v),
    Action.CLOSE: lambda r, c, v: services.close(c, by=r.user, expected_version=v),
    Action.REOPEN: lambda r, c, v: services.reopen(
        c, by=r.user, reason=r.POST.get("reason", ""), expected_version=v
    ),
}


def _missing_agency() -> Agency:
    raise InvalidInput(_("Chọn cơ quan xử lý."), fields={"agency": "required"})


@officer_required
@require_http_methods(["POST"])
def act(request: HttpRequest, code: str) -> HttpResponse:
    handler = ACTIONS.get(request.POST.get("action", ""))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    if handler is None or version is None:
        messages.error(request, _("Thao tác không hợp lệ."))
    else:
        try:
            handler(request, code, version)
            messages.success(request, _("Đã cập nhật phản ánh."))
        except FeedbackError as exc:
            messages.error(request, exc.message)
    return redirect("feedback:item", code=code)


def _period(params) -> tuple[dt.date, dt.date]:
    """The statistics period (this year so far by default), checked by core.dateparams."""
    today = timezone.localdate()
    raw_start, raw_end = params.get("start", ""), params.get("end", "")
    start = dateparams.parse_date(raw_start) if raw_start else today.replace(month=1, day=1)
    end = dateparams.parse_date(raw_end) if raw_end else today
    dateparams.check_range(start, end)
    return start, end


@officer_required
def statistics(request: HttpRequest) -> HttpResponse:
    status = 200
    try:
        start, end = _period(request.GET)
    except dateparams.DateParamError as exc:
        # shown through the messages block of the layout; the default period is displayed
        messages.error(request, exc.message)
        status = 400
        today = timezone.localdate()
        start, end = today.replace(month=1, day=1), today
    by = request.GET.get("by", "channel")
    if by not in stats.GROUPS:
        by = "channel"
    # only what this officer may see (issue 10 §4): the same scope as the worklist
    mine = queries.visible_items(request.user).select_related(None)
    return render(
        request,
        "feedback/stats.html",
        {
            "start": start,
            "end": end,
            "by": by,
            "total": stats.summary(start, end, base=mine),
            "groups": _labelled(by, stats.breakdown(start, end, by, base=mine)),
        },
        status=status,
    )


def _labelled(by: str, groups: dict) -> list[tuple[str, object]]:
    """The breakdown's rows named for people (channel, category, agency names in the active
    language) instead of the stored codes."""
    if by == "channel":
        names = {c.value: str(label) for c, label in CHANNEL_LABELS_VI.items()}
    elif by == "category":
        names = {c.code: c.name for c in Category.objects.filter(code__in=list(groups))}
    else:
        names = {a.code: localized_name(a) for a in Agency.objects.filter(code__in=list(groups))}
    unassigned = _("(chưa chuyển xử lý)")
    return [(names.get(key, key) if key else unassigned, f) for key, f in groups.items()]
