from django import template

from reports.lights import Light
from reports.models import ProgressReport

register = template.Library()

STATUS_LABELS = dict(ProgressReport.Status.choices)
STATE_LABELS = dict(ProgressReport.State.choices)
STATE_BADGES = {
    ProgressReport.State.DRAFT: "secondary",
    ProgressReport.State.SUBMITTED: "primary",
    ProgressReport.State.APPROVED: "success",
    ProgressReport.State.RETURNED: "danger",
    ProgressReport.State.CARRIED: "light",
}


@register.inclusion_tag("includes/light.html")
def light(value):
    return {"light": value, "label": Light(value).label if value in Light.values else "—"}


@register.filter
def status_label(value):
    return STATUS_LABELS.get(value, "—") if value else "—"


@register.inclusion_tag("includes/state_badge.html")
def state_badge(value):
    return {
        "state": value,
        "label": STATE_LABELS.get(value, ""),
        "css": STATE_BADGES.get(value, "light"),
    }


@register.filter
def person(user):
    """A person as people call them: full name, else the account name."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
