from django import template
from django.utils import timezone

from milestones import permissions
from milestones.models import LineState

register = template.Library()

BADGES = {
    LineState.OPEN: "",
    LineState.REPORTED: "primary",
    LineState.CONFIRMED: "success",
    LineState.RETURNED: "danger",
}


@register.inclusion_tag("milestones/_line_state.html", takes_context=True)
def line_state(context, line):
    """A checklist line's state as it stood on the page's day; overdue lines say by how much."""
    day = context.get("as_of") or timezone.localdate()
    state = getattr(line, "shown_state", line.state)
    overdue_days = (day - line.milestone.due_date).days if getattr(line, "overdue", False) else 0
    return {
        "state": state,
        "label": LineState(state).label,
        "css": BADGES[state],
        "completed_on": line.completed_on if state != LineState.OPEN else None,
        "overdue_days": overdue_days,
    }


@register.filter
def may_report_line(line, user) -> bool:
    """`{% if line|may_report_line:user %}`: this person may report the line done (or again)."""
    return permissions.can_report_line(user, line)
