"""Who may chase, acknowledge, sign off and inspect. Built from accounts.permissions.

- The bureau (coordinators) sends reminders, signs work items off (and reopens
  them), records inspections and their findings.
- A body's staff and reviewers see the reminders sent to their body,
  acknowledge them (签收) and reply; reviewers also hear of those left
  unacknowledged too long (escalation).
- Viewers (city leadership) read everything here; they write nothing.
- Sign-offs and inspections are read by everyone logged in, like the plan.
"""

from rest_framework import permissions

from accounts.models import UserRole
from accounts.permissions import acts_for, is_coordinator, may_write


def sees_every_reminder(user) -> bool:
    return is_coordinator(user) or (
        user is not None and user.is_authenticated and user.role == UserRole.VIEWER
    )


def can_see_reminder(user, reminder) -> bool:
    return sees_every_reminder(user) or acts_for(user, reminder.department_id)


def can_send_reminder(user) -> bool:
    return is_coordinator(user)


def can_acknowledge(user, reminder) -> bool:
    return reminder.is_sent and acts_for(user, reminder.department_id)


def can_reply(user, reminder) -> bool:
    return not reminder.is_replied and acts_for(user, reminder.department_id)


def can_sign_off(user) -> bool:
    """Only the bureau marks a work item finished or reopens it."""
    return is_coordinator(user)


def can_record_inspection(user) -> bool:
    return is_coordinator(user)


class SupervisionPermission(permissions.IsAuthenticated):
    """Reads for anyone logged in (rows filtered by selectors); writes for roles that write.

    Object-level decisions are the services' (403 with a reason), so the pages
    and the API refuse the same things.
    """

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or may_write(request.user)
