from django.urls import path

from . import views

app_name = "signatures"
urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
    path("ho-so/<str:code>/ket-qua-dien-tu/", views.citizen_download, name="citizen_download"),
    path("desk/dossiers/<str:code>/ky-so/", views.sign, name="sign"),
    path("desk/dossiers/<str:code>/ket-qua-dien-tu/", views.desk_download, name="desk_download"),
    path("desk/dossiers/<str:code>/bieu-mau/<int:pk>/ky-so/", views.sign_form, name="sign_form"),
    path(
        "desk/dossiers/<str:code>/bieu-mau/<int:pk>/ban-ky-so/",
        views.desk_signed_form,
        name="desk_signed_form",
    ),
]
