from django.urls import path

from . import views

urlpatterns = [
    path("summaries/", views.summary_list, name="summary_list"),
    path(
        "summaries/periods/<int:period_id>/generate/",
        views.summary_generate,
        name="summary_generate",
    ),
    path("summaries/<int:summary_id>/", views.summary_detail, name="summary_detail"),
    path(
        "summaries/versions/<int:version_id>/progress/",
        views.version_progress,
        name="summary_version_progress",
    ),
    path(
        "summaries/versions/<int:version_id>/narrative/",
        views.version_narrative,
        name="summary_version_narrative",
    ),
    path(
        "summaries/versions/<int:version_id>/submit/",
        views.version_submit,
        name="summary_version_submit",
    ),
    path(
        "summaries/versions/<int:version_id>/<str:kind>/",
        views.version_download,
        name="summary_version_download",
    ),
]
