from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ID_MAX, StrictInputMixin
from core.events import KINDS
from integrations.models import (
    ExternalId,
    ExternalKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=KINDS))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "created_at", "updated_at"]


class WebhookCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(help_text="签名密钥：只在创建时返回这一次，请妥善保存")

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


@extend_schema_field({"type": "string", "format": "uri", "maxLength": 500, "pattern": "^https?://"})
class HttpUrlField(serializers.CharField):
    """An http(s) URL; whether its host may be called is decided by integrations.webhooks
    (409 when not allowed), not by a guess at what a valid domain looks like."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^https?://[^\s]+$", message="只能使用 http 或 https 地址。")],
        )
        super().__init__(**kwargs)


class WebhookInputSerializer(StrictInputMixin, serializers.Serializer):
    read_only_names = ("id", "is_active", "created_at", "updated_at", "secret")

    url = HttpUrlField(
        max_length=500,
        help_text="接收地址（http/https；主机须在市民政局登记的允许名单中，否则 409）",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=KINDS),
        min_length=1,
        max_length=len(KINDS),
        help_text="订阅的事件：report.approved、report.returned、reminder.created、"
        "work_item.signed_off",
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "at", "address", "status_code", "error", "duration_ms"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.kind", read_only=True)
    event_id = serializers.IntegerField(read_only=True)
    log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "state",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "log",
        ]


class ExternalIdSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", help_text="记录 id")
    url = serializers.SerializerMethodField(help_text="记录的地址")

    class Meta:
        model = ExternalId
        fields = ["external_id", "kind", "id", "url", "created_at"]

    def get_url(self, obj) -> str:
        return f"/api/v1/{obj.kind}s/{obj.object_id}/"


class ExternalIdInputSerializer(StrictInputMixin, serializers.Serializer):
    read_only_names = ("url", "created_at")

    external_id = serializers.RegexField(
        r"^[!-~]{1,100}$", max_length=100, help_text="本系统的编号（1–100个可见ASCII字符）"
    )
    kind = serializers.ChoiceField(choices=ExternalKind.choices)
    id = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="记录 id")
