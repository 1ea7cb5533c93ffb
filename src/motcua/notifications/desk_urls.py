from django.urls import path

from motcua.notifications import views

app_name = "notify_desk"
urlpatterns = [path("", views.officer_preferences, name="preferences")]
