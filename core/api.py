"""API plumbing shared by every app: pagination, one error shape, `as_of`, the API root."""

from collections import OrderedDict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from core.as_of import parse_as_of
from core.errors import ApplicationError
from core.security import log_refused_write

# Responses every write documents (descriptions in Chinese: the API's readers are Chinese).
ERRORS = {
    400: OpenApiResponse(description="输入有误；字段错误以中文说明"),
    401: OpenApiResponse(description="未登录或令牌无效"),
    403: OpenApiResponse(description="本账号无权执行此操作"),
    404: OpenApiResponse(description="不存在或无权查看"),
    409: OpenApiResponse(description="版本冲突或状态不允许：他人已保存更新的版本"),
}
READ_ERRORS = {k: ERRORS[k] for k in (400, 401, 404)}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Turn Django validation errors and ApplicationError into DRF responses.

    The body is always a JSON object: field errors as DRF renders them
    (`{"field": ["message"]}`), other errors as `{"detail": "message"}`.
    """
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response({"detail": str(exc.message), **exc.extra}, status=exc.status_code)
    else:
        response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_403_FORBIDDEN:
        log_refused_write(request=context.get("request"), reason=str(exc))
    return response


def api_as_of(request):
    """`?as_of=YYYY-MM-DD` of an API request: a date, None for today; 400 when bad."""
    try:
        return parse_as_of(request.query_params.get("as_of"))
    except ValueError as error:
        raise exceptions.ValidationError({"as_of": [str(error)]}) from error


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
