from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from motcua.accounts.forms import AdminLoginForm
from motcua.accounts.models import User

admin.site.register(User, UserAdmin)

# the admin's sign-in goes through the same lockout and says so when locked
admin.site.login_form = AdminLoginForm
