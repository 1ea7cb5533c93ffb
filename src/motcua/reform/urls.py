from django.urls import path

from motcua.reform import views

app_name = "reform"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("late/", views.late, name="late"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("remedies/<int:pk>/", views.remedy_follow_up, name="remedy"),
]
