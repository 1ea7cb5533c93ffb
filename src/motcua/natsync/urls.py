from django.urls import path

from motcua.natsync import views

app_name = "natsync"
urlpatterns = [
    path("", views.status, name="status"),
    path("tthc/", views.catalog, name="catalog"),
    path("tthc/<str:action>/", views.catalog_action, name="catalog_action"),
    path("<str:code>/gui-lai/", views.requeue, name="requeue"),
]
