import secrets

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import is_coordinator
from core.api import ERRORS, READ_ERRORS, FilterSet
from core.errors import ConflictError
from core.errors import PermissionDenied as RefusedError
from core.services import record_actor
from integrations.authentication import api_client_of
from integrations.models import (
    ExternalId,
    ExternalKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from integrations.services import external_id_attach
from integrations.webhooks import WebhookRefused, url_check

from .serializers import (
    ExternalIdInputSerializer,
    ExternalIdSerializer,
    WebhookCreatedSerializer,
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSubscriptionSerializer,
)


class WebhookPermission(permissions.IsAuthenticated):
    """County systems manage their own subscriptions; coordinators read all of them."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return api_client_of(request) is not None or is_coordinator(request.user)
        return api_client_of(request) is not None


@extend_schema_view(
    list=extend_schema(responses={200: WebhookSubscriptionSerializer, **READ_ERRORS}),
    retrieve=extend_schema(responses={200: WebhookSubscriptionSerializer, **READ_ERRORS}),
    create=extend_schema(
        request=WebhookInputSerializer,
        responses={201: WebhookCreatedSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "订阅本单位填报的审核结果",
                value={
                    "url": "https://zw.pingding.example/yq/webhook",
                    "events": ["report.approved", "report.returned"],
                },
                request_only=True,
            )
        ],
    ),
    destroy=extend_schema(responses={204: None, **ERRORS}),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """回调订阅（对接系统）：本单位的填报被退回或通过、收到催办、工作任务办结时，向登记的地址推送。

    每次推送带 `X-Yangquan-Timestamp` 和 `X-Yangquan-Signature: sha256=…`
    （HMAC-SHA256(密钥, "时间戳.请求体")）；失败时按退避间隔重试。删除即停用。
    """

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [WebhookPermission]
    queryset = WebhookSubscription.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        queryset = WebhookSubscription.objects.select_related("client").order_by("pk")
        client = api_client_of(self.request)
        if client is not None:
            return queryset.filter(client=client)
        return queryset

    def create(self, request, *args, **kwargs):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            url_check(data.validated_data["url"])
        except WebhookRefused as refused:
            # Well-formed, but the host is not (yet) allowed: a conflict with how things stand.
            raise ConflictError(str(refused)) from refused
        subscription = WebhookSubscription(
            client=api_client_of(request),
            url=data.validated_data["url"],
            events=sorted(set(data.validated_data["events"])),
            secret=secrets.token_hex(32),
        )
        subscription.full_clean()
        record_actor(subscription, request.user)
        subscription.save()
        return Response(WebhookCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        if api_client_of(self.request) is None:
            raise RefusedError(_("只有对接系统可以停用自己的订阅。"))
        instance.is_active = False
        record_actor(instance, self.request.user, reason="停用")
        instance.save(update_fields=["is_active", "updated_at"])

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True), **READ_ERRORS})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """投递记录：每次推送的状态、尝试次数和对方的响应码。"""
        subscription = self.get_object()
        queryset = (
            WebhookDelivery.objects.filter(subscription=subscription)
            .select_related("event")
            .prefetch_related(Prefetch("log", queryset=WebhookAttempt.objects.order_by("number")))
            .order_by("-pk")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class ExternalIdFilter(FilterSet):
    external_id = django_filters.CharFilter(label="本系统的编号")
    kind = django_filters.ChoiceFilter(choices=ExternalKind.choices)

    class Meta:
        model = ExternalId
        fields = ["external_id", "kind"]


class ExternalIdPermission(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and api_client_of(request) is not None


@extend_schema_view(
    list=extend_schema(responses={200: ExternalIdSerializer, **READ_ERRORS}),
    create=extend_schema(
        request=ExternalIdInputSerializer, responses={201: ExternalIdSerializer, **ERRORS}
    ),
)
class ExternalIdViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """外部编号（对接系统）：给本单位的记录登记本系统的编号（每个系统内唯一），按编号查找记录：
    `?external_id=…`。新建填报时也可用请求头 `X-External-Id` 直接登记。"""

    serializer_class = ExternalIdSerializer
    permission_classes = [ExternalIdPermission]
    filterset_class = ExternalIdFilter
    queryset = ExternalId.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return ExternalId.objects.filter(client=api_client_of(self.request)).order_by("pk")

    def create(self, request, *args, **kwargs):
        data = ExternalIdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        mapping = external_id_attach(
            client=api_client_of(request),
            kind=values["kind"],
            object_id=values["id"],
            external_id=values["external_id"],
        )
        return Response(ExternalIdSerializer(mapping).data, status=status.HTTP_201_CREATED)
