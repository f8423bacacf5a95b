"""Who may report a checklist line done, and who confirms it.

The county government named on a line (its staff and reviewers) reports it
done; the bureau (coordinators) confirms or sends it back.
"""

from accounts.permissions import acts_for, is_coordinator


def reports_for_line(user, line) -> bool:
    """The county named on the line (whatever the line's state)."""
    return acts_for(user, line.department_id)


def can_report_line(user, line) -> bool:
    return acts_for(user, line.department_id) and not line.is_confirmed


def can_confirm_line(user, line) -> bool:
    return is_coordinator(user) and line.is_reported


def can_see_line_evidence(user, line) -> bool:
    """Files are for the county that sent them and the bureau that checks them."""
    return is_coordinator(user) or acts_for(user, line.department_id)


def acts_for_county(user) -> bool:
    """Staff and reviewers of a county government: they report their county's lines."""
    department = getattr(user, "department", None)
    return bool(
        department is not None
        and department.kind == department.Kind.COUNTY_GOVERNMENT
        and acts_for(user, department.pk)
    )
