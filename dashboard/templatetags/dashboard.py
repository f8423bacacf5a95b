from urllib.parse import parse_qsl, urlencode, urlsplit

from django import template

register = template.Library()


@register.simple_tag
def drill(base: str, **params) -> str:
    """`base` (a path with a query) with some parameters set: the list behind one figure."""
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query))
    for key, value in params.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = urlencode(query)
    return parts.path + (f"?{encoded}" if encoded else "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


LIGHT_CLASSES = {"red": "danger", "yellow": "warning", "green": "success", "done": "primary"}
STEP_LABELS = {"done": "已完成", "late": "逾期", "open": "未到期", "none": "—"}


@register.filter
def step_label(state: str) -> str:
    return STEP_LABELS.get(state, state)


@register.filter
def step_for(steps, milestone_id):
    return next((s for s in steps if s["milestone"] == milestone_id), None)
