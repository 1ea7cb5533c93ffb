from django.urls import path

from . import views

app_name = "edoc"
urlpatterns = [
    path("", views.index, name="index"),
    path("den/", views.incoming, name="incoming"),
    path("di/", views.outgoing, name="outgoing"),
    path("moi/", views.compose, name="compose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/trang-thai/", views.update_status, name="status"),
    path("<int:pk>/phan-cong/", views.assign, name="assign"),
    path("<int:pk>/nghiep-vu/", views.business, name="business"),
    path("<int:pk>/tep/<int:att>/", views.attachment, name="attachment"),
    path("<int:pk>/edxml/", views.edxml, name="edxml"),
]
