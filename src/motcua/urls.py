from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from motcua.api import api
from motcua.core import language

admin.site.site_header = "motcua — Quản trị hệ thống một cửa"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị"


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that link no icon (the admin, files)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("api/v1/", api.urls),
    # the language menu without a CSRF token (cached public pages): core/language.py
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/reform/", include("motcua.reform.urls")),
    path("desk/registers/", include("motcua.registers.urls")),
    path("desk/bulletin/", include("motcua.bulletin.urls")),  # the reform bulletin
    path("desk/van-ban/", include("motcua.edoc.urls")),  # document registers (edoc app)
    path("desk/thong-ke/", include("motcua.stats.desk_urls")),  # statistics (stats app)
    path("desk/certificates/", include("motcua.certificates.urls")),  # certificate register
    path("desk/dong-bo/", include("motcua.natsync.urls")),  # national portal outbox
    path("desk/tac-vu/", include("motcua.jobs.urls")),  # background jobs (administrators)
    path("desk/thong-bao/", include("motcua.notifications.desk_urls")),
    path("tai-khoan/thong-bao/", include("motcua.notifications.portal_urls")),
    path("desk/", include("motcua.desk.urls")),
    path("feedback/", include("motcua.feedback.urls")),
    path("open311/v2/", include("motcua.feedback.open311_urls")),
    path("payments/", include("motcua.payments.urls")),
    path("desk/reform/index/", include("motcua.reform.index_urls")),
    path("thong-ke/", include("motcua.stats.urls")),  # public statistics (stats app)
    path("", include("motcua.signatures.urls")),  # signing, e-results, /xac-thuc/
    path("", include("motcua.portal.urls")),
]

# error pages in the site's layout, problem details under /api/ (core.errors)
handler400 = "motcua.core.errors.bad_request"
handler403 = "motcua.core.errors.permission_denied"
handler404 = "motcua.core.errors.page_not_found"
handler500 = "motcua.core.errors.server_error"
