from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from motcua.accounts.backends import locked_on
from motcua.accounts.forms import AdminLoginForm
from motcua.accounts.models import User

admin.site.register(User, UserAdmin)

# the admin's sign-in goes through the same lockout and says so when locked
admin.site.login_form = AdminLoginForm
_admin_login = admin.site.login


def _login_with_lock_status(request, extra_context=None):
    """The admin's login view; a locked attempt answers 429 with Retry-After, as elsewhere."""
    response = _admin_login(request, extra_context)
    locked = locked_on(request)
    if locked is not None and response.status_code == 200:
        response.status_code = 429
        response["Retry-After"] = str(locked.retry_after)
    return response


admin.site.login = _login_with_lock_status  # get_urls() routes admin/login/ to site.login
