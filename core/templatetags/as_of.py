from django import template

from core.as_of import PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def keep_as_of(context, url: str) -> str:
    """The URL with the page's `as_of` date kept, so a whole visit stays on that date."""
    as_of = context.get("as_of")
    if not as_of:
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{PARAM}={as_of.isoformat()}"
