from django.urls import path

from motcua.registers import views

app_name = "registers"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:register>/", views.entry_list, name="list"),
    path("<slug:register>/new/", views.entry_new, name="new"),
    path("<slug:register>/import/", views.entry_import, name="import"),
    path("<slug:register>/export.xlsx", views.entry_export, name="export"),
    path("<slug:register>/<int:pk>/", views.entry_edit, name="edit"),
    path("<slug:register>/<int:pk>/delete/", views.entry_delete, name="delete"),
]
