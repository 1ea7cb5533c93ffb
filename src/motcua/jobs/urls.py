from django.urls import path

from motcua.jobs import views

app_name = "jobs"
urlpatterns = [path("", views.jobs_page, name="list")]
