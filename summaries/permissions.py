"""Who sees and who makes the semi-annual summaries.

The bureau's coordinators generate, edit and submit them; city leaders (viewers)
read them. Bodies' staff and reviewers do not: a summary is the bureau's report
to 市委、市政府, drafts included.
"""

from rest_framework import permissions

from accounts.models import UserRole
from accounts.permissions import is_coordinator


def can_view_summaries(user) -> bool:
    return is_coordinator(user) or (
        user is not None and user.is_authenticated and user.role == UserRole.VIEWER
    )


def can_manage_summaries(user) -> bool:
    return is_coordinator(user)


class SummaryPermission(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return can_view_summaries(request.user)
        return can_manage_summaries(request.user)
