from django.urls import path

from . import views

urlpatterns = [
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment_detail"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
]
