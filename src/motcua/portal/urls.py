from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from motcua.portal.views import account, dossiers, public, submission

app_name = "portal"

_reset = {
    "password_reset": account.RateLimitedPasswordResetView.as_view(
        template_name="portal/password_reset.html",
        email_template_name="portal/email/password_reset.txt",
        subject_template_name="portal/email/password_reset_subject.txt",
        success_url=reverse_lazy("portal:password_reset_done"),
    ),
    "password_reset_done": auth_views.PasswordResetDoneView.as_view(
        template_name="portal/password_reset_done.html"
    ),
    "password_reset_confirm": auth_views.PasswordResetConfirmView.as_view(
        template_name="portal/password_reset_confirm.html",
        success_url=reverse_lazy("portal:password_reset_complete"),
    ),
    "password_reset_complete": auth_views.PasswordResetCompleteView.as_view(
        template_name="portal/password_reset_complete.html"
    ),
}

urlpatterns = [
    path("", public.home, name="home"),
    path("thu-tuc/<str:ref>/", public.procedure_detail, name="procedure"),
    path("thu-tuc/<str:ref>/mau/<int:order>/", public.template_download, name="template"),
    path("thu-tuc/<str:ref>/nop/", submission.start, name="submit_start"),
    path("tra-cuu/", public.track, name="track"),
    # accounts
    path("dang-nhap/", account.login_view, name="login"),
    path("dang-nhap/sso/", account.sso_start, name="sso_start"),
    path("dang-nhap/sso/callback/", account.sso_callback, name="sso_callback"),
    path("dang-xuat/", account.logout_view, name="logout"),
    path("dang-ky/", account.register, name="register"),
    path("tai-khoan/", account.profile, name="profile"),
    path("quen-mat-khau/", _reset["password_reset"], name="password_reset"),
    path("quen-mat-khau/da-gui/", _reset["password_reset_done"], name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        _reset["password_reset_confirm"],
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/", _reset["password_reset_complete"], name="password_reset_complete"
    ),
    # online submission
    path("nop-ho-so/", submission.my_drafts, name="drafts"),
    path("nop-ho-so/<str:key>/", submission.edit, name="draft"),
    path("nop-ho-so/<str:key>/tep/", submission.upload, name="draft_upload"),
    path(
        "nop-ho-so/<str:key>/tep/<int:file_id>/xoa/",
        submission.remove_file,
        name="draft_file_delete",
    ),
    path("nop-ho-so/<str:key>/xoa/", submission.delete, name="draft_delete"),
    path("nop-ho-so/<str:key>/xem-lai/", submission.review, name="draft_review"),
    path("nop-ho-so/<str:key>/nop/", submission.submit, name="draft_submit"),
    # my dossiers
    path("ho-so/", dossiers.my_dossiers, name="my_dossiers"),
    path("ho-so/<str:code>/", dossiers.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/bieu-mau/<str:form>/<int:n>/", dossiers.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/tep/<str:digest>/", dossiers.attachment, name="attachment"),
    path("ho-so/<str:code>/bo-sung/", dossiers.supplement, name="supplement"),
    path("ho-so/<str:code>/rut/", dossiers.withdraw, name="withdraw"),
    path("ho-so/<str:code>/danh-gia/", dossiers.rate, name="rate"),
]
