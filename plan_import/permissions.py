"""Who may import plans: the bureau's coordinators (see accounts.permissions)."""

from accounts.permissions import is_coordinator


def may_import(user) -> bool:
    """Import, review, correct, publish and discard plans."""
    return is_coordinator(user)
