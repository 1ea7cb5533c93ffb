from django.urls import path

from motcua.notifications import views

app_name = "notify_portal"
urlpatterns = [path("", views.citizen_preferences, name="preferences")]
