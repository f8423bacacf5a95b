from rest_framework import serializers

from core.api import ID_MAX, StrictInputMixin
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        extra_kwargs = {"read_at": {"allow_null": True}}


class MarkReadSerializer(StrictInputMixin, serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        help_text="要标为已读的通知 id；不填则全部已读",
    )
