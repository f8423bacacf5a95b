"""Application errors that services raise and the API/views translate."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refused operation with a message a user can read."""

    status_code = 400
    default_message = _("操作无法完成。")

    def __init__(self, message=None, *, extra: dict | None = None):
        self.message = message or self.default_message
        self.extra = extra or {}
        super().__init__(str(self.message))


class PermissionDenied(ApplicationError):
    status_code = 403
    default_message = _("您没有权限执行此操作。")


class ConflictError(ApplicationError):
    """Someone else saved first (optimistic locking)."""

    status_code = 409
    default_message = _("该填报已被他人修改，请刷新后再保存。")


class NotFoundError(ApplicationError):
    """What the request names does not exist (a period code, a plan's slug…)."""

    status_code = 404
    default_message = _("不存在或无权查看。")
