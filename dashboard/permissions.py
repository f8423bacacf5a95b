"""Who sees the bureau's overview: coordinators (市民政局) and viewers (市领导). Nobody writes."""

from rest_framework import permissions

from accounts.models import UserRole
from accounts.permissions import is_coordinator


def can_view_dashboard(user) -> bool:
    return is_coordinator(user) or bool(
        user is not None and user.is_authenticated and user.role == UserRole.VIEWER
    )


class DashboardPermission(permissions.BasePermission):
    message = "总览只对市民政局协调员和市领导开放。"

    def has_permission(self, request, view):
        return (
            bool(request.user and request.user.is_authenticated)
            and can_view_dashboard(request.user)
            and request.method in permissions.SAFE_METHODS
        )
