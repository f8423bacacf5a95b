"""API plumbing shared by every app: pagination and one error shape."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from yangquan_tracker.errors import ApplicationError


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
        from accounts.services import log_refused_write

        log_refused_write(request=context.get("request"), reason=str(exc))
    return response
