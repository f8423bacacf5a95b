"""Role rules: who a person is in the system. The one place they are written.

Every app's own permissions (reports, milestones, …) are built from these.
"""

from .models import UserRole

REPORTING_ROLES = (UserRole.STAFF, UserRole.REVIEWER)


def is_coordinator(user) -> bool:
    """The bureau's coordinators (市民政局), and superusers."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.role == UserRole.COORDINATOR)
    )


def acts_for(user, department_id: int | None) -> bool:
    """Staff and reviewers write for their own body only."""
    return bool(
        department_id is not None
        and user is not None
        and user.is_authenticated
        and user.role in REPORTING_ROLES
        and user.department_id == department_id
    )


def is_reviewer_of(user, department_id: int | None) -> bool:
    """The body's own reviewer (审核人, 分管领导)."""
    return acts_for(user, department_id) and user.role == UserRole.REVIEWER


def may_write(user) -> bool:
    """Any role that writes something (viewers only read)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.role in REPORTING_ROLES or is_coordinator(user))
    )
