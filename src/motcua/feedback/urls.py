from django.urls import path

from motcua.feedback import views, webhooks

app_name = "feedback"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("answers/", views.answers, name="answers"),
    path("track/", views.track, name="track"),
    path("desk/", views.worklist, name="worklist"),
    path("desk/new/", views.operator_new, name="operator_new"),
    path("desk/stats/", views.statistics, name="stats"),
    path("desk/<str:code>/", views.item, name="item"),
    path("desk/<str:code>/act/", views.act, name="act"),
    path("desk/<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("webhooks/zalo/", webhooks.zalo, name="zalo"),
    path("webhooks/facebook/", webhooks.facebook, name="facebook"),
]
