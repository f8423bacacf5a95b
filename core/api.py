"""API plumbing shared by every app: pagination, one error shape, `as_of`, the API root.

The error shape (one place: `error_body`):

- field errors: `{"field": ["message", …]}` (what DRF renders; `non_field_errors`
  for errors of the whole input);
- every other error: `{"detail": "message", "code": "not_found", …}` (extra
  keys such as `current_version` on a 409).

Field errors carry no `code` key on purpose: several resources have a field
named `code`, which the key would shadow. Adding a key to every error body is a
change to `error_body` alone; Django's own 404/500/413 pages for `/api/` paths
(core.views) use it too.
"""

from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, date

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from core.as_of import parse_as_of
from core.errors import ApplicationError
from core.parsers import PayloadTooLarge
from core.security import log_refused_write

API_PREFIX = "/api/"

# A short machine-readable name for each status, for clients that branch on it.
ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    428: "precondition_required",
    429: "throttled",
    500: "server_error",
}


def error_body(
    *, status_code: int, detail=None, fields: Mapping | None = None, code=None, extra=None
):
    """The body of every API error (see the module docstring)."""
    if fields:
        return {name: _as_messages(messages) for name, messages in fields.items()}
    body = {
        "detail": str(detail if detail is not None else _("操作无法完成。")),
        "code": str(code or ERROR_CODES.get(status_code, "error")),
    }
    body.update(extra or {})
    return body


def _as_messages(messages):
    if isinstance(messages, Mapping):  # nested serializer
        return {k: _as_messages(v) for k, v in messages.items()}
    if isinstance(messages, list | tuple):
        return [_as_messages(m) if isinstance(m, Mapping) else str(m) for m in messages]
    return [str(messages)]


def is_api_request(request) -> bool:
    return request is not None and request.path.startswith(API_PREFIX)


# --- Schema pieces -------------------------------------------------------------

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(help_text="错误说明（中文）"),
        "code": serializers.CharField(help_text="错误类别，如 not_found、conflict"),
    },
)
ConflictSerializer = inline_serializer(
    name="Conflict",
    fields={
        "detail": serializers.CharField(help_text="错误说明（中文）"),
        "code": serializers.CharField(),
        "current_version": serializers.IntegerField(
            required=False, help_text="版本冲突时：当前版本号"
        ),
    },
)


# Responses every write documents (descriptions in Chinese: the API's readers are Chinese).
ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="输入有误：字段错误为 {字段名: [说明]}，其他为 {detail, code}",
    ),
    401: OpenApiResponse(ErrorSerializer, description="未登录或令牌无效"),
    403: OpenApiResponse(ErrorSerializer, description="本账号无权执行此操作"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看"),
    409: OpenApiResponse(
        ConflictSerializer, description="版本冲突或状态不允许：他人已保存更新的版本"
    ),
    413: OpenApiResponse(ErrorSerializer, description="请求体或文件过大"),
    415: OpenApiResponse(ErrorSerializer, description="不支持的请求内容类型"),
}
READ_ERRORS = {k: ERRORS[k] for k in (400, 401, 403, 404)}


# --- Input ---------------------------------------------------------------------


class StrictInputMixin:
    """An input serializer that refuses fields it does not take: a 400 naming each.

    Without it a client that sends `state` or `created_by` gets a 200 and
    believes it changed them. `read_only_names` lists fields the resource shows
    but nobody writes (a clearer message than "unknown").
    """

    read_only_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in data:
                if name in writable:
                    continue
                if name in self.read_only_names or name in self.fields:
                    refused[name] = [_("只读字段，不能修改。")]
                else:
                    refused[name] = [_("未知字段，不能提交。")]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, Mapping):
                raise serializers.ValidationError({**refused, **error.detail}) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


ID_MAX = 2**63 - 1  # a bigint primary key
YEAR_MIN, YEAR_MAX = 1949, 2100


class _IntegerFilter(django_filters.NumberFilter):
    """An integer query parameter with bounds: `1e5`, `1.5`, `abc` or a value out of range is a
    400 naming the parameter (the bounds are in the schema too)."""

    field_class = forms.IntegerField
    minimum: int
    maximum: int

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", self.minimum)
        kwargs.setdefault("max_value", self.maximum)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(_IntegerFilter):
    """A related row by id. An id that names no row matches nothing (an empty page, not a 400)."""

    minimum, maximum = 1, ID_MAX


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(_IntegerFilter):
    minimum, maximum = YEAR_MIN, YEAR_MAX


class StrictBooleanField(forms.Field):
    """`true` or `false`, nothing else (Django's NullBooleanField also takes `null`, `2`…)."""

    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value)]
        except KeyError:
            raise forms.ValidationError(_("应为 true 或 false。"), code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """The filters of every list.

    - a related row is named by its id (IdFilter): an id that names no row
      matches nothing, without a lookup per parameter;
    - booleans are `true`/`false` only;
    - a parameter given with no value (`?kind=`) is a 400: leave it out to not
      filter (a client that sends it empty most likely lost a value).
    """

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    def _empty_parameters(self) -> list[str]:
        if self.data is None:
            return []
        return [name for name in self.filters if name in self.data and self.data.get(name) == ""]

    def is_valid(self):
        return super().is_valid() and not self._empty_parameters()

    @property
    def errors(self):
        errors = super().errors
        for name in self._empty_parameters():
            errors.setdefault(
                name, forms.utils.ErrorList([_("不能为空；不按此项筛选请省略该参数。")])
            )
        return errors


class _IsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment; a `+08:00` whose `+` a query string turned into a space still reads."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "+")
            if value.endswith("Z"):
                value = value[:-1] + "+00:00"
        value = super().to_python(value)
        # In UTC: any valid offset (up to ±23:59) reaches the database as one it takes.
        return value.astimezone(UTC) if value is not None else None


@extend_schema_field(OpenApiTypes.DATETIME)
class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """`?updated_since=2026-12-01T08:00:00+08:00`: rows changed at or after that moment.

    A row counts as changed when its own `updated_at` is (every service saves the row on
    any change, state transitions included) or when one of `also(moment)` holds (e.g. a
    file attached to it, which the row shows).
    """

    field_class = _IsoDateTimeField

    def __init__(self, *args, also=(), **kwargs):
        kwargs.setdefault(
            "label",
            "增量同步：只返回此时刻（ISO 8601，含时区，如 2026-12-01T08:00:00+08:00）"
            "以后有变化的记录（含状态变化）",
        )
        super().__init__(*args, field_name="updated_at", lookup_expr="gte", **kwargs)
        self.also = also

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        condition = models.Q(updated_at__gte=value)
        for build in self.also:
            condition |= build(value)
        return qs.filter(condition)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class RegionFilter(IdFilter):
    """A county (its own region and its towns) or a town, through `path` to a Region."""

    def __init__(self, *args, path: str, **kwargs):
        self.path = path
        super().__init__(*args, method=self._by_region, **kwargs)

    def _by_region(self, queryset, name, value):
        return queryset.filter(
            models.Q(**{f"{self.path}_id": value}) | models.Q(**{f"{self.path}__parent_id": value})
        )


class StableOrderingFilter(django_filters.OrderingFilter):
    """`?ordering=updated_at` (or `-updated_at`, …); the id breaks ties so pages never overlap."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


# --- Pagination ----------------------------------------------------------------


class Pagination(PageNumberPagination):
    """`page` and `page_size` are checked: a bad value is a 400 naming it, not a silent default."""

    page_size_query_param = "page_size"
    max_page_size = 200
    max_page = 10**9

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _bounded_int(raw, "page_size", minimum=1, maximum=self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return raw
        return _bounded_int(raw, "page", minimum=1, maximum=self.max_page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page)
                parameter["description"] = "页码（从1起）；超出末页时返回 404"
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = (
                    f"每页条数（1–{self.max_page_size}，默认{self.page_size}）"
                )
        return parameters


def _bounded_int(raw: str, name: str, *, minimum: int, maximum: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise exceptions.ValidationError({name: [_("应为整数。")]}) from None
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError(
            {name: [_("应在 %(min)d 到 %(max)d 之间。") % {"min": minimum, "max": maximum}]}
        )
    return value


# --- ETag / If-Match ------------------------------------------------------------
#
# A single object's GET carries an ETag; a change may name the version it read with
# `If-Match: <ETag>` instead of (or besides) the body's `version`. A request marked
# `require_if_match` (county systems: integrations.authentication) must send it: 428
# without it. A stale If-Match is a 412 whose body is the current representation.


def etag_of(instance) -> str:
    """Strong ETag: the row's version where it keeps one, else its last change."""
    version = getattr(instance, "version", None)
    if version is not None:
        return f'"{instance.pk}-v{version}"'
    updated = getattr(instance, "updated_at", None)
    stamp = int(updated.timestamp() * 1_000_000) if updated else 0
    return f'"{instance.pk}-t{stamp}"'


def version_from_etag(instance, header: str) -> int | None:
    """The version an If-Match names, if it names this row; None if it names another."""
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    prefix = f'"{instance.pk}-v'
    if value.startswith(prefix) and value.endswith('"') and value[len(prefix) : -1].isdigit():
        return int(value[len(prefix) : -1])
    return None


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("修改须带 If-Match 请求头（读取时返回的 ETag），以免覆盖他人的修改。")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """412 with the current representation as its body (see ETagMixin)."""

    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, *, current: dict, etag: str):
        super().__init__(_("记录已被修改：请依据返回的当前内容和 ETag 重新提交。"))
        self.current = current
        self.etag = etag


class ETagMixin:
    """ETag on a single object's GET; `if_match_version()` for the writes."""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        instance = getattr(self, "_etag_instance", None)
        if instance is not None:
            response["ETag"] = etag_of(instance)
        return response

    def get_object(self):
        instance = super().get_object()
        self._etag_instance = instance
        return instance

    def if_match_version(self, instance, *, body_version, required: bool = False):
        """The version a write is based on: from If-Match if sent, else the body's.

        428 when If-Match is required (or nothing names a version) and missing; 412 with
        the current representation when If-Match names another version, or names it
        differently from the body.
        """
        header = self.request.headers.get("If-Match")
        if header is None:
            if required:
                raise PreconditionRequired()
            return body_version
        version = version_from_etag(instance, header)
        if (
            version is None
            or version != instance.version
            or (body_version is not None and body_version != version)
        ):
            raise self.precondition_failed(instance)
        return version

    def precondition_failed(self, instance):
        instance.refresh_from_db()  # someone may have saved since it was read
        return PreconditionFailed(
            current=self.current_representation(instance), etag=etag_of(instance)
        )

    def current_representation(self, instance) -> dict:
        return self.get_serializer(instance).data


# --- Errors --------------------------------------------------------------------


def exception_handler(exc, context):
    """Every error an API view raises, in the one shape (see `error_body`)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(detail=exc.message_dict)
        else:
            exc = exceptions.ValidationError(detail={"detail": " ".join(exc.messages)})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(str(exc) or _("上传内容过大。"))
    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response(
            error_body(
                status_code=exc.status_code,
                detail=exc.message,
                code=ERROR_CODES.get(exc.status_code),
                extra=exc.extra,
            ),
            status=exc.status_code,
        )
    elif isinstance(exc, PreconditionFailed):
        set_rollback()
        response = Response(
            error_body(
                status_code=exc.status_code, detail=exc.detail, extra={"current": exc.current}
            ),
            status=exc.status_code,
            headers={"ETag": exc.etag},
        )
    else:
        response = drf_exception_handler(exc, context)
        if response is not None:
            response.data = _shape(exc, response)
    if response is not None and response.status_code == status.HTTP_403_FORBIDDEN:
        log_refused_write(request=context.get("request"), reason=str(exc))
    return response


def _shape(exc, response) -> dict:
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, Mapping):
            if set(data) == {"detail"}:
                detail = data["detail"]
                if isinstance(detail, list):
                    detail = " ".join(str(d) for d in detail)
                return error_body(status_code=response.status_code, detail=detail)
            return error_body(status_code=response.status_code, fields=data)
        messages = data if isinstance(data, list) else [data]
        return error_body(
            status_code=response.status_code, detail=" ".join(str(m) for m in messages)
        )
    detail = getattr(exc, "detail", None)
    if isinstance(exc, Http404):
        detail, code = _("不存在或无权查看。"), "not_found"
    elif isinstance(exc, exceptions.NotFound):
        code = "not_found"
    else:
        code = getattr(detail, "code", None)
    if code in (None, "error"):
        code = ERROR_CODES.get(response.status_code)
    return error_body(status_code=response.status_code, detail=detail, code=code)


def api_as_of(request):
    """`?as_of=YYYY-MM-DD` of an API request: a date, None for today; 400 when bad.

    A day after today shows today (nothing later is known), as AS_OF documents.
    """
    raw = request.query_params.get("as_of")
    if raw is not None and not raw.strip():
        raise exceptions.ValidationError({"as_of": [_("不能为空；查看今天请省略该参数。")]})
    try:
        return parse_as_of(raw)
    except ValueError as error:
        if raw and _is_future_day(raw):
            return None
        raise exceptions.ValidationError({"as_of": [str(error)]}) from error


AS_OF_LAST_YEAR = 2099  # the schema's pattern: 20xx


def _is_future_day(raw: str) -> bool:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return False
    return timezone.localdate() < day and day.year <= AS_OF_LAST_YEAR


# `?as_of=` as every list documents it; the pattern keeps to the years parse_as_of takes.
AS_OF = OpenApiParameter(
    "as_of",
    {
        "type": "string",
        "format": "date",
        "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    },
    description="截至某日（YYYY-MM-DD，2000年起）：状态灯和填报按当日的情况显示"
    "（只计当日前审核通过的填报）；晚于今天按今天显示。",
)


def api_root_view(endpoints: list[str]):
    """The API's front page: every list endpoint by name, so a client can find its way."""

    class APIRoot(APIView):
        """接口目录：本系统 REST API 的各个列表接口。"""

        permission_classes = [IsAuthenticated]

        @extend_schema(exclude=True)
        def get(self, request, *args, **kwargs):
            links = OrderedDict()
            for name in endpoints:
                try:
                    links[name] = request.build_absolute_uri(reverse(f"{name}-list"))
                except NoReverseMatch:
                    continue
            links["me"] = request.build_absolute_uri(reverse("me"))
            links["schema"] = request.build_absolute_uri(reverse("schema"))
            links["docs"] = request.build_absolute_uri(reverse("api-docs"))
            return Response(links)

    return APIRoot.as_view()
