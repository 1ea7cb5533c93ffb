from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("start/<str:code>/", views.start, name="start"),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("return/", views.payment_return, name="return"),
    path("ipn/", views.ipn, name="ipn"),
]
