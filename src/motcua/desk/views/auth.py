"""Desk sign-in: Django's LoginView with the desk's template; only officers get in."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import reverse_lazy


class DeskLoginView(LoginView):
    template_name = "desk/login.html"
    redirect_authenticated_user = False
    next_page = reverse_lazy("desk:queue")


class DeskLogoutView(LogoutView):
    next_page = reverse_lazy("desk:login")
