"""Desk sign-in: Django's LoginView with the desk's template; only officers get in (a citizen's
right password is refused, no session is opened), with the platform's account lockout."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import reverse_lazy

from motcua.accounts.forms import DeskAuthenticationForm


class DeskLoginView(LoginView):
    template_name = "desk/login.html"
    authentication_form = DeskAuthenticationForm
    redirect_authenticated_user = False
    next_page = reverse_lazy("desk:queue")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        locked = form.locked
        if locked is not None:
            response.status_code = 429
            response["Retry-After"] = str(locked.retry_after)
        return response


class DeskLogoutView(LogoutView):
    next_page = reverse_lazy("desk:login")
