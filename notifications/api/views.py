from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ERRORS, READ_ERRORS, BooleanFilter, FilterSet
from notifications import selectors, services
from notifications.models import Notification

from .serializers import MarkReadSerializer, NotificationSerializer


class NotificationFilter(FilterSet):
    unread = BooleanFilter(field_name="read_at", lookup_expr="isnull", label="只看未读")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


@extend_schema(responses={200: NotificationSerializer, **READ_ERRORS})
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """站内通知：本账号收到的通知（催报、催办、退回、状态灯变化等）。"""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.inbox(user=self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={
            200: inline_serializer("MarkReadResult", {"marked": serializers.IntegerField()}),
            **ERRORS,
        },
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """标为已读。"""
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            user=request.user, ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})
