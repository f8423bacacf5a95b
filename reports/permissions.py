"""Who may do what with assignments and progress reports.

One set of rules, used by the services (which enforce them), the browser views
(which also use them to decide which buttons to show) and the API. Built from
the role rules of accounts.permissions.

- staff and reviewers of a body write that body's reports; everyone logged in
  reads the whole plan;
- the body's reviewer, or the bureau's coordinator, approves or returns — but
  not a report they wrote or last changed (separation of duties);
- viewers (city leadership) only read.
"""

from django.conf import settings
from rest_framework import permissions

from accounts.permissions import acts_for, is_coordinator, is_reviewer_of, may_write


def can_report_on(user, assignment) -> bool:
    """Create a report on, or edit the open report of, this assignment."""
    return assignment.is_active and acts_for(user, assignment.department_id)


def can_edit_report(user, report) -> bool:
    return report.is_editable and can_report_on(user, report.assignment)


def can_withdraw_report(user, report) -> bool:
    """Take a submitted report back to draft before anyone reviewed it."""
    return report.is_submitted and can_report_on(user, report.assignment)


def wrote_report(user, report) -> bool:
    return user.pk in (report.created_by_id, report.updated_by_id)


def may_review_body(user, department_id: int) -> bool:
    return is_coordinator(user) or is_reviewer_of(user, department_id)


def can_review_report(user, report) -> bool:
    if not report.is_submitted:
        return False
    if not may_review_body(user, report.assignment.department_id):
        return False
    return not (settings.REPORTS_SEPARATION_OF_DUTIES and wrote_report(user, report))


def can_see_unapproved(user, department_id: int) -> bool:
    """Drafts and reports under review are seen by their own body and the bureau."""
    return is_coordinator(user) or acts_for(user, department_id)


class ProgressReportPermission(permissions.IsAuthenticated):
    """Reads for any logged-in user (rows filtered by selectors); writes by the rules above.

    Object-level decisions are taken by the services, which raise a 403 error,
    so the browser views and the API refuse the same things.
    """

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return may_write(request.user)
