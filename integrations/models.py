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


class WebhookHost(models.Model):
    """A host a coordinator allows webhooks to go to.

    A name (gov.pingding.example) allows that name when it resolves to public addresses
    only. A loopback, link-local or private address is contacted only when the entry *is*
    that address (e.g. `127.0.0.1`, `10.12.0.8`): never through a name that resolves to it.
    """

    host = models.CharField(_("主机名或IP地址"), max_length=253, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("允许的回调主机")
        verbose_name_plural = _("允许的回调主机")
        ordering = ["host"]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class WebhookSubscription(models.Model):
    client = models.ForeignKey(
        ApiClient, verbose_name=_("对接系统"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("回调地址"), max_length=500)
    events = models.JSONField(_("订阅的事件"), default=list)
    # Kept readable: every delivery is signed with it (HMAC-SHA256).
    secret = models.CharField(_("签名密钥"), max_length=100)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("回调订阅")
        verbose_name_plural = _("回调订阅")
        ordering = ["client", "id"]

    def __str__(self):
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")
    REFUSED = "refused", _("地址不允许")


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("core.OutboxEvent", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回调投递")
        verbose_name_plural = _("回调投递")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id}/{self.event_id} {self.state}"


class WebhookAttempt(models.Model):
    """One try of a delivery, with what came back (the delivery log)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    address = models.CharField(_("连接的地址"), max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时(毫秒)"), default=0)

    class Meta:
        verbose_name = _("回调投递记录")
        verbose_name_plural = _("回调投递记录")
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"{self.delivery_id}#{self.number} {self.status_code or self.error}"


class OutboxCursor(models.Model):
    """How far the fan-out has read the outbox (one row per reader)."""

    name = models.CharField(max_length=50, unique=True)
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}@{self.last_event_id}"


class ExternalKind(models.TextChoices):
    PROGRESS_REPORT = "progress-report", _("进展填报")


class ExternalId(models.Model):
    """A county system's own id for a record it created (unique per client)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="external_ids")
    kind = models.CharField(_("类型"), max_length=30, choices=ExternalKind.choices)
    object_id = models.BigIntegerField(_("记录 id"))
    external_id = models.CharField(_("外部编号"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部编号")
        verbose_name_plural = _("外部编号")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "external_id"], name="external_id_unique_per_client"
            ),
            models.UniqueConstraint(
                fields=["client", "kind", "object_id"], name="external_id_one_per_record"
            ),
        ]

    def __str__(self):
        return f"{self.external_id} → {self.kind} {self.object_id}"
