"""The counter tablet: a satisfaction rating without login, authenticated by a device token.

The token comes from the URL once (``/desk/kiosk/setup/<token>/``) and is then kept in a cookie,
or stays in the URL (``/desk/kiosk/<token>/``) for devices that cannot keep cookies.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts.models import User
from motcua.accounts.scope import is_officer
from motcua.dossiers.errors import DossierError
from motcua.ratings.models import Level
from motcua.ratings.services import kiosk_for_token, rate_at_kiosk

COOKIE = "motcua_kiosk"
COOKIE_AGE = 3600 * 24 * 365
LEVELS = (
    (Level.VERY_SATISFIED, "☺☺"),
    (Level.SATISFIED, "☺"),
    (Level.NOT_SATISFIED, "☹"),
)


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/kiosk_refused.html", status=403)


def _officers(device) -> list[User]:
    return list(
        User.objects.filter(memberships__agency=device.agency, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


@never_cache
def setup(request: HttpRequest, token: str) -> HttpResponse:
    if kiosk_for_token(token) is None:
        return _refused(request)
    response = redirect("desk:kiosk")
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Strict")
    return response


@never_cache
def kiosk(request: HttpRequest, token: str = "") -> HttpResponse:
    token = token or request.COOKIES.get(COOKIE, "")
    device = kiosk_for_token(token)
    if device is None:
        if not token and is_officer(request.user):
            # an officer setting a tablet up lands on the devices page, not on a 403
            return redirect("desk:kiosks")
        return _refused(request)
    here = request.path
    if request.GET.get("thanks"):
        return render(request, "desk/kiosk_thanks.html", {"back": here})
    officers = _officers(device)
    context = {
        "device": device,
        "officers": officers,
        "levels": [(level.value, _(level.label), face) for level, face in LEVELS],
        "values": request.POST,
        "errors": {},
    }
    if request.method == "POST":
        officer = request.POST.get("officer", "")
        try:
            rate_at_kiosk(
                token,
                level=request.POST.get("level", ""),
                officer_id=int(officer) if officer.isdigit() else None,
                dossier_code=request.POST.get("dossier_code", "").strip()[:60],
                comment=request.POST.get("comment", "")[:2000],
            )
        except DossierError as exc:
            field = next(iter(exc.fields), "level")
            context["errors"][field] = exc.message
            return render(request, "desk/kiosk.html", context, status=400)
        return redirect(f"{here}?thanks=1")
    return render(request, "desk/kiosk.html", context)


def kiosk_url(token: str) -> str:
    return reverse("desk:kiosk_token", kwargs={"token": token})
