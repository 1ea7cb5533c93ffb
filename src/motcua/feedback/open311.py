"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the feedback hub.

Plain Django views because every resource comes as ``.json`` and ``.xml``. Internal states map
to ``open``/``closed`` (rules.open311_status); service codes are category codes; the request id
is the item's public code. Private items show no description, address or coordinates; the
reporter's contact is never shown.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from motcua.core import dateparams
from motcua.core.dateparams import MAX_YEAR, MIN_YEAR
from motcua.feedback import services
from motcua.feedback.models import ApiClient, Category, FeedbackItem
from motcua.feedback.queries import redact
from motcua.feedback.rules import OPEN311_CLOSED, FeedbackError, State, open311_status

MAX_RESULTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def jurisdiction() -> str:
    return str(getattr(settings, "MOTCUA_OPEN311_JURISDICTION", "cantho.gov.vn"))


# -- rendering ------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root: str, child: str, rows: Iterable[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, child)
        for key, value in row.items():
            if isinstance(value, list):  # service definition attributes
                sub = ET.SubElement(el, key)
                for entry in value:
                    item = ET.SubElement(sub, "attribute")
                    for k, v in entry.items():
                        ET.SubElement(item, k).text = _text(v)
            else:
                ET.SubElement(el, key).text = _text(value)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, child: str, rows: list[dict], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root, child, rows), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def render_one(fmt: str, root: str, row: dict) -> HttpResponse:
    """A single top-level object (the service definition)."""
    if fmt == "xml":
        top = ET.Element(root)
        for key, value in row.items():
            if isinstance(value, list):
                sub = ET.SubElement(top, key)
                for entry in value:
                    item = ET.SubElement(sub, "attribute")
                    for k, v in entry.items():
                        ET.SubElement(item, k).text = _text(v)
            else:
                ET.SubElement(top, key).text = _text(value)
        return HttpResponse(
            ET.tostring(top, encoding="utf-8", xml_declaration=True),
            content_type="text/xml; charset=utf-8",
        )
    return JsonResponse(row, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status)


def _w3c(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _check_jurisdiction(request: HttpRequest, params) -> None:
    given = params.get("jurisdiction_id")
    if given and given != jurisdiction():
        raise Open311Error(404, f"jurisdiction_id not found: {given}")


def endpoint(methods: tuple[str, ...]):
    def wrap(view):
        @csrf_exempt
        def run(request: HttpRequest, *args, fmt: str = "json", **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = error(fmt, 405, f"method {request.method} not allowed")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                params = request.POST if request.method == "POST" else request.GET
                _check_jurisdiction(request, params)
                return view(request, *args, fmt=fmt, params=params, **kwargs)
            except Open311Error as exc:
                return error(fmt, exc.status, exc.description)

        return run

    return wrap


# -- services ---------------------------------------------------------------------------------


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name_vi,
        "description": category.description or category.name_vi,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.parent.name_vi if category.parent_id else "",
    }


@endpoint(("GET",))
def services_list(request: HttpRequest, *, fmt: str, params) -> HttpResponse:
    rows = [_service(c) for c in Category.objects.filter(active=True).select_related("parent")]
    return render(fmt, "services", "service", rows)


@endpoint(("GET",))
def service_definition(request: HttpRequest, code: str, *, fmt: str, params) -> HttpResponse:
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, f"service_code not found: {code}")
    return render_one(fmt, "service_definition", {"service_code": code, "attributes": []})


# -- requests ---------------------------------------------------------------------------------


def request_row(item: FeedbackItem) -> dict:
    public = item.is_public
    answered = item.state in OPEN311_CLOSED and item.state != State.REFUSED
    notes = item.refusal_reason if item.state == State.REFUSED else ""
    if answered and public:
        notes = item.answer
    return {
        "service_request_id": item.code,
        "status": open311_status(item.state),
        "status_notes": notes,
        "service_name": item.category.name_vi,
        "service_code": item.category.code,
        "description": redact(item.description) if public else "",
        "agency_responsible": item.agency.name_vi if item.agency else item.centre.name_vi,
        "service_notice": "",
        "requested_datetime": _w3c(item.received_at),
        "updated_datetime": _w3c(item.updated_at),
        "expected_datetime": _w3c(item.handle_due),
        "address": item.address if public else "",
        "address_id": "",
        "zipcode": "",
        "lat": float(item.latitude) if public and item.latitude is not None else None,
        "long": float(item.longitude) if public and item.longitude is not None else None,
        "media_url": item.media_url if public else "",
    }


def _date(params, name: str) -> dt.datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    try:  # one parser and one set of bounds for every date a client sends (core.dateparams)
        return dateparams.parse_datetime(raw)
    except dateparams.DateParamError as exc:
        raise Open311Error(
            400, f"{name} must be a w3c datetime with a time zone, {MIN_YEAR}-{MAX_YEAR}"
        ) from exc


def _items():
    return FeedbackItem.objects.select_related("category", "agency", "centre")


def _list(request: HttpRequest, fmt: str, params) -> HttpResponse:
    qs = _items()
    ids = [s for s in params.get("service_request_id", "").split(",") if s]
    if ids:  # the spec: other parameters are ignored when ids are given
        qs = qs.filter(code__in=ids)
    else:
        codes = [s for s in params.get("service_code", "").split(",") if s]
        if codes:
            qs = qs.filter(category__code__in=codes)
        start, end = _date(params, "start_date"), _date(params, "end_date")
        if start and end and start > end:
            raise Open311Error(400, "start_date is after end_date")
        if start and end and end - start > dt.timedelta(days=dateparams.MAX_SPAN_DAYS):
            raise Open311Error(400, "start_date and end_date are more than 5 years apart")
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        elif start is None:
            start = end - DEFAULT_WINDOW
        qs = qs.filter(received_at__gte=start)
        if end is not None:
            qs = qs.filter(received_at__lte=end)
        statuses = {s for s in params.get("status", "").split(",") if s}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed")
        if statuses == {"open"}:
            qs = qs.exclude(state__in=list(OPEN311_CLOSED))
        elif statuses == {"closed"}:
            qs = qs.filter(state__in=list(OPEN311_CLOSED))
    rows = [request_row(i) for i in qs.order_by("-received_at", "-pk")[:MAX_RESULTS]]
    return render(fmt, "service_requests", "request", rows)


def _client(params) -> ApiClient:
    key = params.get("api_key", "")
    client = ApiClient.objects.filter(key=key, active=True).first() if key else None
    if client is None or not secrets.compare_digest(client.key, key):
        raise Open311Error(403, "api_key is missing or invalid")
    return client


def _create(request: HttpRequest, fmt: str, params) -> HttpResponse:
    client = _client(params)
    code = params.get("service_code", "")
    if not code:
        raise Open311Error(400, "service_code was not provided")
    if not Category.objects.filter(code=code, active=True).exists():
        raise Open311Error(404, f"service_code not found: {code}")
    lat, lon = params.get("lat"), params.get("long")
    address = params.get("address_string", "")
    if not ((lat and lon) or address or params.get("address_id")):
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    try:
        lat_f = float(lat) if lat else None
        lon_f = float(lon) if lon else None
    except ValueError:
        raise Open311Error(400, "lat and long must be numbers") from None
    name = " ".join(p for p in (params.get("first_name", ""), params.get("last_name", "")) if p)
    device = params.get("device_id", "") or params.get("account_id", "")
    data = services.NewItem(
        channel=client.channel,
        category=code,
        description=params.get("description", ""),
        address=address,
        latitude=lat_f,
        longitude=lon_f,
        reporter_name=name,
        reporter_phone=params.get("phone", ""),
        reporter_email=params.get("email", ""),
        media_url=params.get("media_url", ""),
        external_sender=f"open311:{client.pk}:{device}"[:100],
    )
    try:
        item = services.submit(data)
    except FeedbackError as exc:
        detail = "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message
        raise Open311Error(exc.status if exc.status != 422 else 400, detail) from None
    row = {
        "service_request_id": item.code,
        "service_notice": f"Hạn xử lý: {timezone.localtime(item.handle_due):%d/%m/%Y}",
        "account_id": None,
    }
    return render(fmt, "service_requests", "request", [row], status=201)


@endpoint(("GET", "POST"))
def requests(request: HttpRequest, *, fmt: str, params) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt, params)
    return _list(request, fmt, params)


@endpoint(("GET",))
def request_detail(request: HttpRequest, code: str, *, fmt: str, params) -> HttpResponse:
    item = _items().filter(code=code).first()
    if item is None:
        raise Open311Error(404, f"service_request_id not found: {code}")
    return render(fmt, "service_requests", "request", [request_row(item)])


@endpoint(("GET",))
def token(request: HttpRequest, token_id: str, *, fmt: str, params) -> HttpResponse:
    item = FeedbackItem.objects.filter(token=token_id).first() if _is_uuid(token_id) else None
    if item is None:
        raise Open311Error(404, f"token not found: {token_id}")
    row = {"service_request_id": item.code, "token": str(item.token)}
    return render(fmt, "service_requests", "request", [row])


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
