"""/thong-ke/ (public statistics)."""

from django.urls import path

from .web import public

app_name = "stats"
urlpatterns = [
    path("", public.public, name="public"),
    path("xuat/<str:report>.<str:fmt>", public.export, name="public_export"),
]
