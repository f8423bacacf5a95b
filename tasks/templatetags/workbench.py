from django import template

from reports.models import ProgressReport
from reports.selectors import Light

register = template.Library()

STATUS_LABELS = dict(ProgressReport.Status.choices)
STATE_LABELS = dict(ProgressReport.State.choices)
STATE_BADGES = {
    "draft": "secondary",
    "submitted": "primary",
    "approved": "success",
    "returned": "danger",
}


@register.inclusion_tag("includes/light.html")
def light(value):
    return {"light": value, "label": Light(value).label if value in Light.values else ""}


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
