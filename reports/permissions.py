"""Who may do what with assignments and progress reports.

One set of rules, used by the services (which enforce them), the browser views
(which also use them to decide which buttons to show) and the API.

- staff and reviewers of a body write that body's reports; everyone logged in
  reads the whole plan;
- the body's reviewer, or the bureau's coordinator, approves or returns;
- viewers (city leadership) only read.
"""

from rest_framework import permissions

from accounts.models import Role as UserRole


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_coordinator)


def acts_for(user, department_id: int) -> bool:
    return (
        user.is_authenticated
        and user.role in (UserRole.STAFF, UserRole.REVIEWER)
        and user.department_id == department_id
    )


def can_report_on(user, assignment) -> bool:
    """Create a report on, or edit the open report of, this assignment."""
    return assignment.is_active and acts_for(user, assignment.department_id)


def can_edit_report(user, report) -> bool:
    return report.is_editable and can_report_on(user, report.assignment)


def can_review_report(user, report) -> bool:
    if report.state != report.State.SUBMITTED:
        return False
    if is_coordinator(user):
        return True
    return user.role == UserRole.REVIEWER and user.department_id == report.assignment.department_id


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
        return request.user.role in (UserRole.STAFF, UserRole.REVIEWER) or is_coordinator(
            request.user
        )
