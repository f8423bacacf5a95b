import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.permissions import may_write
from core.api import (
    AS_OF,
    ERRORS,
    READ_ERRORS,
    ETagMixin,
    FilterSet,
    IdFilter,
    RegionFilter,
    StableOrderingFilter,
    UpdatedSinceFilter,
    api_as_of,
)
from core.parsers import FormParser, JSONParser
from milestones import selectors, services
from milestones.models import ChecklistEvidence, ChecklistLine, LineState, Milestone

from .serializers import (
    ChecklistLineDetailSerializer,
    LineReportDoneJSONSerializer,
    LineReportDoneSerializer,
    LineReturnSerializer,
    MilestoneSerializer,
)


class MilestoneFilter(FilterSet):
    class Meta:
        model = Milestone
        fields = ["plan", "scope", "code"]


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Dated steps of 二、目标步骤, each with its per-county / per-town checklist."""

    serializer_class = MilestoneSerializer
    queryset = selectors.milestone_list()
    filterset_class = MilestoneFilter


class ChecklistLinePermission(permissions.IsAuthenticated):
    """Reads for anyone logged in; writes for roles that write. The services decide the rest
    (a county reports its own lines, the bureau confirms or returns) and answer 403."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or may_write(request.user)


def _line_evidence_changed(moment):
    """A line shows its files: one attached or removed since then."""
    return Exists(ChecklistEvidence.objects.filter(line=OuterRef("pk"), updated_at__gte=moment))


class ChecklistLineFilter(FilterSet):
    department = IdFilter(label="报告单位（县(区)人民政府）id")
    milestone = IdFilter()
    state = django_filters.ChoiceFilter(
        choices=LineState.choices, field_name="shown_state", label="状态（按 as_of 当日）"
    )

    county = RegionFilter(path="region", label="县(区) id（含其乡镇的清单项）")
    town = IdFilter(field_name="region", label="乡镇 id")
    deadline_from = django_filters.DateFilter(
        field_name="milestone__due_date", lookup_expr="gte", label="时间节点不早于"
    )
    deadline_to = django_filters.DateFilter(
        field_name="milestone__due_date", lookup_expr="lte", label="时间节点不晚于"
    )
    updated_since = UpdatedSinceFilter(also=(_line_evidence_changed,))
    ordering = StableOrderingFilter(
        fields=(("milestone__due_date", "deadline"), "updated_at", "id"), label="排序"
    )

    class Meta:
        model = ChecklistLine
        fields = ["department", "milestone", "state"]


@extend_schema_view(
    list=extend_schema(
        parameters=[AS_OF], responses={200: ChecklistLineDetailSerializer, **READ_ERRORS}
    ),
    retrieve=extend_schema(
        parameters=[AS_OF], responses={200: ChecklistLineDetailSerializer, **READ_ERRORS}
    ),
)
class ChecklistLineViewSet(
    ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """节点任务清单：各县(区)、乡镇的清单项；县(区)报完成，市民政局确认或退回。

    只有市民政局确认的清单项计入完成情况。`?as_of=YYYY-MM-DD` 按当日的状态显示。
    """

    serializer_class = ChecklistLineDetailSerializer
    permission_classes = [ChecklistLinePermission]
    filterset_class = ChecklistLineFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    queryset = ChecklistLine.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        as_of = api_as_of(self.request) if self.request.method == "GET" else None
        return selectors.checklist_line_list(as_of=as_of)

    def _respond(self, line):
        line = selectors.checklist_line_list().get(pk=line.pk)
        return Response(self.get_serializer(line).data)

    @extend_schema(
        request={
            "application/json": LineReportDoneJSONSerializer,
            "multipart/form-data": LineReportDoneSerializer,
        },
        responses={200: ChecklistLineDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="report-done")
    def report_done(self, request, pk=None):
        """报完成：本县(区)的清单项已完成（完成日期、说明，可附佐证材料），待市民政局确认。"""
        line = self.get_object()
        multipart = request.content_type.startswith("multipart/")
        data = (LineReportDoneSerializer if multipart else LineReportDoneJSONSerializer)(
            data=request.data
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        line = services.checklist_line_report_done(
            line=line,
            by=request.user,
            completed_on=values["completed_on"],
            note=values.get("note", ""),
            upload=values.get("file"),
        )
        return self._respond(line)

    @extend_schema(request=None, responses={200: ChecklistLineDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """确认完成（市民政局协调员）：只有已报完成的清单项可以确认。"""
        line = services.checklist_line_confirm(line=self.get_object(), by=request.user)
        return self._respond(line)

    @extend_schema(
        request=LineReturnSerializer, responses={200: ChecklistLineDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回（市民政局协调员），须填写理由；县(区)修改后可再次报完成。"""
        data = LineReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.checklist_line_return(
            line=self.get_object(), by=request.user, reason=data.validated_data["reason"]
        )
        return self._respond(line)
