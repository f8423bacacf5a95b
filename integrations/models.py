"""Integrations: county systems that use the API as clients of their own (OAuth 2.0
client credentials), the requests they may safely repeat, and what they are told.

A client (ApiClient) is one django-oauth-toolkit Application tied to one body and to a
service account of that body (role staff, no password, no login). Tokens issued to the
client act as that account, so every permission rule that decides what a person of the
body may do (accounts.permissions.acts_for, reports.permissions, the services) decides
for the client too: there is no second set of rules.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCOPES = ("read", "write")


class ApiClient(models.Model):
    application = models.OneToOneField(
        "oauth2_provider.Application",
        verbose_name=_("OAuth 应用"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    name = models.CharField(_("系统名称"), max_length=100)
    scopes = models.CharField(
        _("权限范围"), max_length=50, default="read write", help_text=_("read、write，空格分隔")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("密钥更换时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")
        ordering = ["department__order", "name"]

    def __str__(self):
        return f"{self.name}（{self.department}）"

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a POST that carried an Idempotency-Key.

    Keyed by who sent it (the account: a client's service account or a person) and the
    key; the unique constraint makes two requests arriving together end in one record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    # Null while the first request is still being answered.
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等请求记录")
        verbose_name_plural = _("幂等请求记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_one_per_key")
        ]

    def __str__(self):
        return f"{self.user_id} {self.key}"
