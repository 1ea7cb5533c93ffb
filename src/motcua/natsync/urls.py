from django.urls import path

from motcua.natsync import views

app_name = "natsync"
urlpatterns = [
    path("", views.status, name="status"),
    path("<str:code>/gui-lai/", views.requeue, name="requeue"),
]
