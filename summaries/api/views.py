import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api import ERRORS, READ_ERRORS, FilterSet
from core.errors import NotFoundError
from summaries import selectors, services
from summaries.models import SummaryVersion
from summaries.permissions import SummaryPermission
from tasks.models import Plan

from .serializers import GenerateSerializer, SummaryVersionSerializer


class SummaryVersionFilter(FilterSet):
    period = django_filters.CharFilter(field_name="summary__period__code")
    plan = django_filters.CharFilter(field_name="summary__plan__slug")

    class Meta:
        model = SummaryVersion
        fields = ["period", "plan", "status"]


@extend_schema(responses={200: SummaryVersionSerializer, **READ_ERRORS})
class SummaryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """半年汇总：每次生成一个版本。POST 发起生成（202，返回轮询地址）；GET 列出各版本及下载链接。

    市民政局协调员可生成；市领导（查看）可读。
    """

    serializer_class = SummaryVersionSerializer
    permission_classes = [SummaryPermission]
    filterset_class = SummaryVersionFilter
    queryset = SummaryVersion.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.version_list()

    @extend_schema(request=GenerateSerializer, responses={202: SummaryVersionSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = None
        if data.validated_data.get("plan"):
            plan = Plan.objects.filter(slug=data.validated_data["plan"]).first()
            if plan is None:
                raise NotFoundError("没有这个实施方案。")
        period = services.period_by_code(code=data.validated_data["period"], plan=plan)
        version = services.summary_generate_request(
            plan=period.plan, period=period, by=request.user, trigger=SummaryVersion.Trigger.API
        )
        version = selectors.version_list().get(pk=version.pk)
        body = SummaryVersionSerializer(version, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
