from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import AS_OF, ID_MAX, READ_ERRORS, api_as_of
from dashboard.filters import dashboard_filter
from dashboard.permissions import DashboardPermission
from dashboard.views import figures_for
from reports.lights import Light
from tasks.models import Role

from .serializers import DashboardSerializer


def _id(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, {"type": "integer", "minimum": 1, "maximum": ID_MAX}, description=description
    )


PARAMETERS = [
    _id("plan", "实施方案 id（默认：全部方案；时间节点按最新方案）"),
    _id("section", "方面（如三(一)）的工作任务 id"),
    _id("department", "单位 id"),
    _id("county", "县(区) 行政区划 id：该县(区)人民政府和县(区)委承担的任务"),
    OpenApiParameter("light", OpenApiTypes.STR, enum=Light.values, description="状态灯"),
    _id("period", "报告期 id（填报情况；默认当前报告期）"),
    OpenApiParameter("role", OpenApiTypes.STR, enum=Role.values, description="分工"),
    AS_OF,
]


class DashboardView(APIView):
    """总览：任务完成情况、状态灯、按方面/单位/县(区)统计、督查与催办、试点乡镇和时间节点。

    与 /dashboard/ 页面显示的数字完全相同。只对市民政局协调员和市领导（查看）开放。
    """

    permission_classes = [DashboardPermission]

    @extend_schema(parameters=PARAMETERS, responses={200: DashboardSerializer, **READ_ERRORS})
    def get(self, request):
        as_of = api_as_of(request)
        filters = dashboard_filter(request.query_params, as_of=as_of)
        if not filters.is_valid():
            raise exceptions.ValidationError(filters.errors)
        return Response(DashboardSerializer(figures_for(filters, as_of=as_of)).data)
