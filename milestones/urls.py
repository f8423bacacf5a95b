from django.urls import path

from . import views

urlpatterns = [
    path("checklists/", views.checklist_lines, name="checklist_lines"),
    path("checklists/confirm/", views.confirmation_queue, name="checklist_confirmation_queue"),
    path(
        "checklists/lines/<int:line_id>/report-done/",
        views.line_report_done,
        name="checklist_line_report_done",
    ),
    path(
        "checklists/lines/<int:line_id>/confirm/",
        views.line_confirm,
        name="checklist_line_confirm",
    ),
    path("checklists/lines/<int:line_id>/return/", views.line_return, name="checklist_line_return"),
    path(
        "checklists/evidence/<int:evidence_id>/",
        views.line_evidence_download,
        name="checklist_evidence_download",
    ),
]
