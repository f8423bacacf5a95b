"""Django's error views (handler400/403/404/500): JSON for `/api/`, Chinese pages elsewhere.

DRF answers the errors raised inside API views itself (core.api.exception_handler);
these catch what happens outside them: an unknown `/api/` URL, a body too large
for Django to read, an error no view handled.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from core.api import error_body, is_api_request
from core.logging import current_request_id


def _json(status_code: int, detail: str, **extra) -> JsonResponse:
    return JsonResponse(
        error_body(status_code=status_code, detail=detail, extra=extra),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def too_large_message() -> str:
    return _("上传内容过大：单个文件不能超过限制，请压缩或拆分后再上传。")


def bad_request(request, exception=None):
    too_large = isinstance(exception, RequestDataTooBig)
    if is_api_request(request):
        if too_large:
            return _json(413, str(exception) if str(exception) else too_large_message())
        return _json(400, _("请求无法处理。"))
    if too_large:
        template = loader.get_template("413.html")
        return HttpResponse(
            template.render({"message": str(exception) or too_large_message()}, request),
            status=413,
        )
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return _json(403, _("您没有权限执行此操作。"))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return _json(404, _("不存在或无权查看。"))
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page names the request id, so a person can quote it to the administrator."""
    request_id = getattr(request, "request_id", None) or current_request_id()
    if is_api_request(request):
        return _json(500, _("服务器内部错误，请把编号告诉管理员。"), request_id=request_id)
    template = loader.get_template("500.html")
    # No RequestContext: context processors may be what failed.
    return HttpResponse(template.render({"request_id": request_id}), status=500)
