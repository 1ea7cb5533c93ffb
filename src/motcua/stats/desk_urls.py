"""/desk/thong-ke/ (the desk's statistics: officers only, scoped)."""

from django.urls import path

from .web import desk

app_name = "deskstats"
urlpatterns = [
    path("", desk.dashboard_page, name="dashboard"),
    path("chi-so-766/", desk.index_page, name="index766"),
    path("chi-so-766/<str:code>/", desk.drilldown_page, name="drilldown"),
    path("xuat/<str:report>.<str:fmt>", desk.export, name="export"),
]
