from django.urls import path

from motcua.reform import index_views as v

app_name = "reform_index"
urlpatterns = [
    path("", v.schemes, name="schemes"),
    path("<int:pk>/", v.results, name="results"),
    path("<int:pk>/office/<str:name>/", v.office, name="office"),
    path("assessments/<int:pk>/", v.assessment, name="assessment"),
    path("assessments/<int:pk>/score/", v.score, name="score"),
    path("assessments/<int:pk>/evidence/<str:code>/", v.evidence, name="evidence"),
    path("assessments/<int:pk>/<str:name>/", v.step, name="step"),
]
