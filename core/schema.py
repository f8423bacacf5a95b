"""The OpenAPI schema class of the API (drf-spectacular's, with every error documented).

Apart from core.api: drf-spectacular's AutoSchema imports DRF's generic views,
which import the pagination class in core.api.
"""

from drf_spectacular import openapi
from rest_framework import serializers

from core.api import ERRORS, READ_ERRORS, StrictInputMixin


class AutoSchema(openapi.AutoSchema):
    """Every operation documents the errors it can answer with, whether or not its view says so:
    READ_ERRORS for reads, ERRORS for writes (a view's own entries win)."""

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if not (isinstance(responses, dict) and all(_is_status(code) for code in responses)):
            if self.method == "DELETE":
                default = 204
            elif self._is_create_operation():
                default = 201
            else:
                default = 200
            responses = {default: responses}
        errors = READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else ERRORS
        return {**errors, **{int(code): value for code, value in responses.items()}}

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction != "request":
            return schema
        if isinstance(serializer, StrictInputMixin):
            # The serializer refuses any other field with a 400 naming it.
            schema["additionalProperties"] = False
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            text = properties.get(name)
            if (
                isinstance(field, serializers.CharField)
                and text is not None
                and text.get("type") == "string"
                and not {"format", "enum", "pattern"} & set(text)
            ):
                # DRF refuses NUL characters, and (unless blank is allowed) text that is
                # only whitespace once trimmed.
                text["pattern"] = NO_NUL if field.allow_blank else NOT_BLANK
        return schema


NO_NUL = r"^[^\u0000]*$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def _is_status(code) -> bool:
    return str(code).isdigit()


def query_strings_not_empty(result, generator, request, public):
    """A postprocessing hook: a text query parameter takes at least one character and no NUL,
    a list parameter at least one item (core.api.FilterSet answers `?name=` with a 400;
    Django refuses NUL characters)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "array":
                    # `?ordering=` (no item) is an empty value: a 400 like any other.
                    schema.setdefault("minItems", 1)
                if (
                    parameter.get("in") == "query"
                    and schema.get("type") == "string"
                    and "enum" not in schema
                    and "format" not in schema
                ):
                    schema.setdefault("minLength", 1)
                    schema.setdefault("pattern", "^[^\\u0000]+$")
    return result
