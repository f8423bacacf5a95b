from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment_detail"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
    path(
        "reports/<int:report_id>/problems-public/",
        views.report_problems_public,
        name="report_problems_public",
    ),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<int:period_id>/close/", views.period_close, name="period_close"),
    path("periods/<int:period_id>/reopen/", views.period_reopen, name="period_reopen"),
]
