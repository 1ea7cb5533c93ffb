"""Sign in (e-mail or phone), register, profile, single sign-on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.accounts.auth_services import (
    RegistrationError,
    identifier_errors,
    normalise_phone,
    register_citizen,
)
from motcua.accounts.oidc import oidc_enabled
from motcua.portal.forms import LoginForm, ProfileForm, RegisterForm
from motcua.portal.login import LoginLocked, sign_in


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(request, form.cleaned_data["identifier"], form.cleaned_data["password"])
        except LoginLocked as exc:
            form.add_error(
                None,
                _(
                    "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau "
                    "%(minutes)s phút."
                )
                % {"minutes": exc.minutes},
            )
            status = 429
        else:
            if user is not None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(_next(request))
            form.add_error(None, _("Thư điện tử/số điện thoại hoặc mật khẩu không đúng."))
            status = 401
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": _next(request), "sso": oidc_enabled()},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = register_citizen(
                full_name=d["full_name"],
                email=d["email"],
                phone=d["phone"],
                password=d["password1"],
            )
        except RegistrationError as exc:
            for field, message in exc.fields.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký tài khoản thành công."))
            return redirect(_next(request))
    return render(request, "portal/register.html", {"form": form, "next": _next(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "email": user.email, "phone": user.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        errors = identifier_errors(d["email"], d["phone"], exclude_pk=user.pk)
        for field, message in errors.items():
            form.add_error(field, message)
        if not errors:
            user.full_name, user.email = d["full_name"].strip(), d["email"].lower()
            user.phone = normalise_phone(d["phone"])
            user.save(update_fields=["full_name", "email", "phone"])
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form})


def _oidc_setting(attr: str, *args):
    defaults = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "portal:sso_callback",
        "LOGIN_REDIRECT_URL_FAILURE": "/dang-nhap/?sso=failed",
        "OIDC_RP_SCOPES": "openid email profile phone",
    }
    if attr in defaults:
        return getattr(settings, attr, defaults[attr])
    return import_from_settings(attr, *args)


class _SSOStart(OIDCAuthenticationRequestView):
    get_settings = staticmethod(_oidc_setting)


class _SSOCallback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_oidc_setting)


def sso_start(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404("Chưa cấu hình đăng nhập một lần.")
    return _SSOStart.as_view()(request)


def sso_callback(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404("Chưa cấu hình đăng nhập một lần.")
    return _SSOCallback.as_view()(request)
