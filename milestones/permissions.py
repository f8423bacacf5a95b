"""Who may report a checklist line done, and who confirms it.

The county government named on a line (its staff and reviewers) reports it
done; the bureau (coordinators) confirms or sends it back.
"""

from accounts.permissions import acts_for, is_coordinator


def can_report_line(user, line) -> bool:
    return acts_for(user, line.department_id) and not line.is_confirmed


def can_confirm_line(user, line) -> bool:
    return is_coordinator(user) and line.is_reported
