from django.urls import path

from motcua.bulletin import views

app_name = "bulletin"
urlpatterns = [
    path("", views.issues, name="issues"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.issue, name="issue"),
    path("<int:pk>/section/<str:section>/", views.edit_section, name="section"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/download.<str:fmt>", views.download, name="download"),
]
