"""Who gets into the desk, and the one way desk views fetch a dossier (always scoped)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.accounts.models import Role, User
from motcua.accounts.scope import is_officer
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import DESK
from motcua.dossiers.queries import visible_dossiers


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the desk login; signed-in citizens get a Vietnamese 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("desk:login"))
        if not is_officer(request.user):
            return render(request, "desk/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def dossier_or_404(user: User, code: str) -> Dossier:
    """A dossier the user may see, or 404: out-of-scope dossiers do not exist for them."""
    dossier = (
        visible_dossiers(user)
        .select_related("procedure", "receiving_agency", "deciding_agency", "current_agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def desk_agencies(user: User) -> list[Agency]:
    """Agencies where the user may receive dossiers at the counter (direct memberships)."""
    if user.is_superuser:
        return list(Agency.objects.order_by("code"))
    roles: set[Role] = set(DESK)
    return list(
        Agency.objects.filter(memberships__user=user, memberships__role__in=roles)
        .distinct()
        .order_by("code")
    )
