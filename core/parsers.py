"""Request parsers of the API: DRF's, with a size limit and (JSON) a nesting limit.

Kept apart from core.api: DRF imports the parsers named in its settings while
`rest_framework.views` is still loading.
"""

import io
import json

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers, status


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("请求内容过大。")
    default_code = "too_large"


def read_limited(stream) -> bytes:
    """A request body, refused (413) past DATA_UPLOAD_MAX_MEMORY_SIZE before it is read in full."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    data = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(data) > limit:
        raise PayloadTooLarge(_("请求内容过大，不能超过%(kb)d KB。") % {"kb": limit // 1024})
    return data


class FormParser(parsers.FormParser):
    """DRF's form parser, with the size limit of the JSON parser."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = read_limited(stream)
        return super().parse(io.BytesIO(data), media_type, parser_context)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a size and a nesting limit.

    A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 before it is read in
    full; one nested deeper than JSON_MAX_DEPTH is a 400 before the JSON decoder
    sees it (deep nesting made the decoder raise RecursionError: a 500).
    """

    max_depth = 32

    def parse(self, stream, media_type=None, parser_context=None):
        data = read_limited(stream)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(_("请求内容不是有效的 UTF-8 文本。")) from error
        if json_depth(text) > self.max_depth:
            raise exceptions.ParseError(
                _("JSON 嵌套层数过多（最多%(n)d层）。") % {"n": self.max_depth}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(_("JSON 格式错误：%(e)s") % {"e": error}) from error


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays/objects in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in "]}":
            depth -= 1
    return deepest
