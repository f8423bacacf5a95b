from .models import UserRole
from .permissions import REPORTING_ROLES, is_coordinator


def roles(request):
    """What the navigation needs to know about the person (no query: the user is loaded)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    coordinator = is_coordinator(user)
    return {
        "is_coordinator": coordinator,
        "is_leader": coordinator or user.role == UserRole.VIEWER,
        "is_reporter": user.role in REPORTING_ROLES,
    }
