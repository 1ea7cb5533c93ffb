"""Where citizens (portal) and officers (desk) choose their notification channels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.desk.access import officer_required
from motcua.notifications.forms import PreferenceForm
from motcua.notifications.models import Preference
from motcua.notifications.services import set_preferences


def _page(request: HttpRequest, template: str, url_name: str) -> HttpResponse:
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            set_preferences(
                request.user,
                channels_on=form.cleaned_data["channels"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Đã lưu kênh nhận thông báo."))
            return redirect(url_name)
        status = 400
    else:
        form = PreferenceForm(initial={"channels": pref.channels(), "language": pref.language})
        status = 200
    return render(request, template, {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def citizen_preferences(request: HttpRequest) -> HttpResponse:
    return _page(request, "notifications/preferences_portal.html", "notify_portal:preferences")


@officer_required
@require_http_methods(["GET", "POST"])
def officer_preferences(request: HttpRequest) -> HttpResponse:
    return _page(request, "notifications/preferences_desk.html", "notify_desk:preferences")
