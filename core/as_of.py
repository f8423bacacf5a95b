"""`as_of` (截至某日): any page or list as it stood on a date.

`?as_of=YYYY-MM-DD` on any URL. The middleware parses it once into
`request.as_of` (a date, or None for today); a bad value is ignored by pages
(with a message) and refused by the API (400, see core.api.AsOfFilter).
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

PARAM = "as_of"
EARLIEST = date(2000, 1, 1)


def parse_as_of(value: str | None) -> date | None:
    """A date from `?as_of=`; None when absent or today. ValueError with a message when bad."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as error:
        raise ValueError(_("日期格式应为 YYYY-MM-DD，如 2019-06-30。")) from error
    today = timezone.localdate()
    if day > today:
        raise ValueError(_("不能查看今天以后的情况。"))
    if day < EARLIEST:
        raise ValueError(_("日期过早。"))
    return None if day == today else day


class AsOfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.as_of, request.as_of_error = None, ""
        try:
            request.as_of = parse_as_of(request.GET.get(PARAM))
        except ValueError as error:
            request.as_of_error = str(error)
        return self.get_response(request)


def as_of_context(request):
    """For templates: the date shown, and the query string that keeps it on every link."""
    as_of = getattr(request, "as_of", None)
    return {
        "as_of": as_of,
        "as_of_error": getattr(request, "as_of_error", ""),
        "as_of_query": f"{PARAM}={as_of.isoformat()}" if as_of else "",
    }
