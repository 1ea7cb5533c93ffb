"""Sign in (e-mail or phone), register, profile, single sign-on."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.accounts import lockout
from motcua.accounts.auth_services import (
    RegistrationError,
    identifier_errors,
    normalise_phone,
    register_citizen,
)
from motcua.accounts.forms import locked_message
from motcua.accounts.oidc import SESSION_VNEID, oidc_enabled, oidc_setting, vneid_profile
from motcua.core import ratelimit
from motcua.portal.forms import LoginForm, ProfileForm, RegisterForm
from motcua.portal.login import LoginLocked, sign_in


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _too_many(response: HttpResponse, retry_after: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _wait_message(retry_after: int) -> str:
    return _("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": max(1, -(-retry_after // 60))
    }


def _rate(name: str, default: str) -> ratelimit.Rate:
    return ratelimit.Rate.parse(getattr(settings, name, default), default)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(request, form.cleaned_data["identifier"], form.cleaned_data["password"])
        except LoginLocked as exc:
            form.add_error(None, locked_message(exc.minutes))
            status, retry_after = 429, exc.retry_after
        else:
            if user is not None:
                login(request, user)  # the backend that checked the password
                return redirect(_next(request))
            form.add_error(None, _("Thư điện tử/số điện thoại hoặc mật khẩu không đúng."))
            status = 401
    response = render(
        request,
        "portal/login.html",
        {
            "form": form,
            "next": _next(request),
            "sso": oidc_enabled(),
            "sso_vneid": vneid_profile(),
        },
        status=status,
    )
    return _too_many(response, retry_after) if status == 429 else response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Signing out of a single sign-on session also ends it at the identity provider (its
    end-session endpoint, when configured), so the next citizen on a shared computer does
    not get signed straight back in."""
    id_token = request.session.get("oidc_id_token")
    logout(request)
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if id_token and endpoint and oidc_enabled():
        params = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("portal:home")),
            }
        )
        return redirect(f"{endpoint}?{params}")
    return redirect("portal:home")


def register(request: HttpRequest) -> HttpResponse:
    """A new account and an e-mail or phone already in use get the same answer (the owner is
    told by e-mail), so the form cannot tell who has an account; either way the citizen then
    signs in. Registrations are rate-limited per IP address."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = ratelimit.allow(
            f"register:ip:{ratelimit.client_ip(request)}",
            _rate("MOTCUA_REGISTRATION_RATE", "10/3600"),
        )
        if refused is not None:
            form.add_error(None, _wait_message(refused.retry_after))
            response = render(
                request, "portal/register.html", {"form": form, "next": _next(request)}
            )
            return _too_many(response, refused.retry_after)
        d = form.cleaned_data
        try:
            register_citizen(
                full_name=d["full_name"],
                email=d["email"],
                phone=d["phone"],
                password=d["password1"],
                reset_url=request.build_absolute_uri(reverse("portal:password_reset")),
            )
        except RegistrationError as exc:
            for field, message in exc.fields.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _(
                    "Đã nhận đăng ký. Nếu thư điện tử và số điện thoại chưa có tài khoản, tài "
                    "khoản của bạn đã được tạo: vui lòng đăng nhập. Nếu đã có tài khoản, chúng "
                    "tôi đã gửi thông báo tới chủ tài khoản."
                ),
            )
            target = reverse("portal:login")
            nxt = _next(request)
            return redirect(f"{target}?next={quote(nxt)}" if nxt != "/" else target)
    return render(request, "portal/register.html", {"form": form, "next": _next(request)})


class RateLimitedPasswordResetView(PasswordResetView):
    """Django's password reset, at most ``PASSWORD_RESET_RATE`` requests per IP address and per
    e-mail address (whether or not an account has it, so the limit reveals nothing)."""

    def form_valid(self, form):
        rate = _rate("MOTCUA_PASSWORD_RESET_RATE", "5/3600")
        email = form.cleaned_data["email"].strip().lower()
        for key in (f"reset:ip:{ratelimit.client_ip(self.request)}", f"reset:email:{email}"):
            refused = ratelimit.allow(key, rate)
            if refused is not None:
                form.add_error(None, _wait_message(refused.retry_after))
                return _too_many(self.form_invalid(form), refused.retry_after)
        return super().form_valid(form)


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


_oidc_setting = oidc_setting  # the project's defaults (accounts.oidc)


class _SSOStart(OIDCAuthenticationRequestView):
    get_settings = staticmethod(_oidc_setting)


class _SSOCallback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_oidc_setting)


def sso_start(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404("Chưa cấu hình đăng nhập một lần.")
    return _SSOStart.as_view()(request)


def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer; a failed one counts against the address's login budget (the
    same as a wrong password), and a locked address is refused before the provider is asked."""
    if not oidc_enabled():
        raise Http404("Chưa cấu hình đăng nhập một lần.")
    ip = ratelimit.client_ip(request)
    locked = lockout.ip_locked(ip)
    if locked is not None:
        messages.error(request, locked_message(locked.minutes))
        response = render(
            request,
            "portal/login.html",
            {"form": LoginForm(), "next": "/", "sso": True, "sso_vneid": vneid_profile()},
            status=429,
        )
        return _too_many(response, locked.retry_after)
    response = _SSOCallback.as_view()(request)
    if not request.user.is_authenticated:
        lockout.ip_failed(ip)
    elif getattr(request, "vneid_login", False):
        request.session[SESSION_VNEID] = True  # dossiers submitted now are VNeID-authenticated
    return response
