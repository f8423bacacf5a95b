"""Middleware shared by every page and API call."""

import re
import uuid

from core.logging import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# What the reverse proxy may send: a uuid, a hex string, a trace id. Anything
# else (too long, spaces, control characters) is replaced by our own.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")


def request_id_from(request) -> str:
    candidate = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.match(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id: in every log line it causes, and in the `X-Request-ID` header.

    First in MIDDLEWARE, so that the log of an unhandled error (written by
    Django inside the layers below) carries it, and the 500 page can show it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
