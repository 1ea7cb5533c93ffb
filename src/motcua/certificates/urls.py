from django.urls import path

from motcua.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.register, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_list, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
]
