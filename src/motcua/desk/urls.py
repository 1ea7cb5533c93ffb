from django.urls import path

from .views import auth, dossier, fees, kiosk, kiosks, log, reception, worklist

app_name = "desk"
urlpatterns = [
    path("login/", auth.DeskLoginView.as_view(), name="login"),
    path("logout/", auth.DeskLogoutView.as_view(), name="logout"),
    path("", worklist.queue, name="queue"),
    path("search/", worklist.search, name="search"),
    path("reception/", reception.reception, name="reception"),
    path("reception/procedures/", reception.procedures, name="reception_procedures"),
    path("reception/lookup/", reception.lookup, name="reception_lookup"),
    path("log/", log.log, name="log"),
    path("log/<int:pk>/", log.log_form, name="log_form"),
    path("log/<int:pk>/pdf/", log.log_form, {"fmt": "pdf"}, name="log_form_pdf"),
    path("dossiers/<str:code>/", dossier.detail, name="dossier"),
    path("dossiers/<str:code>/actions/<str:action>/", dossier.act, name="act"),
    path("dossiers/<str:code>/files/", dossier.upload, name="upload"),
    path("dossiers/<str:code>/fees/<int:pk>/", fees.adjust, name="fee_adjust"),
    path("dossiers/<str:code>/files/<int:pk>/", dossier.attachment, name="attachment"),
    path("dossiers/<str:code>/forms/<int:pk>/", dossier.issued_form, name="form"),
    path(
        "dossiers/<str:code>/forms/<int:pk>/pdf/",
        dossier.issued_form,
        {"fmt": "pdf"},
        name="form_pdf",
    ),
    path("dossiers/<str:code>/control-slip/", dossier.control_slip, name="control_slip"),
    path("kiosks/", kiosks.kiosks, name="kiosks"),
    path("kiosk/", kiosk.kiosk, name="kiosk"),
    path("kiosk/setup/<str:token>/", kiosk.setup, name="kiosk_setup"),
    path("kiosk/<str:token>/", kiosk.kiosk, name="kiosk_token"),
]
