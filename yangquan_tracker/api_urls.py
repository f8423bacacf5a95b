from django.urls import include, path

urlpatterns = [
    path("", include("departments.api.urls")),
    path("", include("tasks.api.urls")),
    path("", include("milestones.api.urls")),
    path("", include("reports.api.urls")),
]
