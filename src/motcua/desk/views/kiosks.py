"""Counter tablets (kiosk devices) of the officer's agencies; an agency administrator registers
a new one here and sees its token once (``ratings.services.register_kiosk_by``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts.scope import scope_agency_ids
from motcua.dossiers.errors import DossierError, NotAllowed
from motcua.ratings.models import KioskDevice
from motcua.ratings.services import kiosk_agencies, register_kiosk_by

from ..access import officer_required

CREATED = "motcua_kiosk_created"


def _devices(user) -> list[KioskDevice]:
    qs = KioskDevice.objects.select_related("agency").order_by("agency__code", "name")
    if not user.is_superuser:
        qs = qs.filter(agency_id__in=scope_agency_ids(user))
    return list(qs)


@never_cache  # the page that shows a new token must never be kept by a cache
@officer_required
def kiosks(request: HttpRequest) -> HttpResponse:
    agencies = list(kiosk_agencies(request.user))
    context = {"agencies": agencies, "errors": {}, "values": request.POST, "created": None}
    status = 200
    if request.method == "POST":
        agency = next((a for a in agencies if str(a.pk) == request.POST.get("agency")), None)
        try:
            if agency is None:
                raise NotAllowed(_("Bạn không quản trị cơ quan này."))
            device, token = register_kiosk_by(request.user, agency, request.POST.get("name", ""))
        except DossierError as exc:
            status = 403 if isinstance(exc, NotAllowed) else 400
            context["errors"][next(iter(exc.fields), "agency")] = exc.message
        else:
            # post/redirect/get: a reload must not register a second device; the token
            # waits in the session for the one page that shows it
            request.session[CREATED] = {"device": device.pk, "token": token}
            return redirect("desk:kiosks")
    elif created := request.session.pop(CREATED, None):
        setup = reverse("desk:kiosk_setup", kwargs={"token": created["token"]})
        context["created"] = {
            "device": KioskDevice.objects.filter(pk=created["device"]).first(),
            "token": created["token"],
            "setup_url": request.build_absolute_uri(setup),
        }
    context["devices"] = _devices(request.user)
    return render(request, "desk/kiosks.html", context, status=status)
