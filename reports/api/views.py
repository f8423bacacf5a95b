from collections.abc import Mapping

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404 as get_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import (
    AS_OF,
    ERRORS,
    READ_ERRORS,
    BooleanFilter,
    ETagMixin,
    FilterSet,
    IdFilter,
    RegionFilter,
    StableOrderingFilter,
    UpdatedSinceFilter,
    api_as_of,
    etag_of,
)
from core.errors import ConflictError
from core.parsers import FormParser, JSONParser
from reports import selectors, services
from reports.lights import Light
from reports.models import Evidence, ProgressReport, ReportingPeriod
from reports.permissions import ProgressReportPermission
from tasks.models import Assignment, Role, Task

from .serializers import (
    AssignmentSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    PeriodRefSerializer,
    ProgressReportSerializer,
    ReportCreateSerializer,
    ReportUpdateSerializer,
    ReturnSerializer,
    VersionSerializer,
)


class MineFilterMixin(FilterSet):
    mine = BooleanFilter(method="filter_mine", label="只看本单位的")

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        department_id = self.request.user.department_id
        field = "department_id" if queryset.model is Assignment else "assignment__department_id"
        return queryset.filter(**{field: department_id}) if department_id else queryset.none()


def _report_changed(moment):
    """An assignment shows its reports: one of them changed (state included)."""
    return Exists(ProgressReport.objects.filter(assignment=OuterRef("pk"), updated_at__gte=moment))


def _report_evidence_changed(moment):
    return Exists(Evidence.objects.filter(report=OuterRef("pk"), updated_at__gte=moment))


class AssignmentFilter(MineFilterMixin):
    department = IdFilter()
    role = django_filters.ChoiceFilter(choices=Role.choices)
    light = django_filters.ChoiceFilter(choices=Light.choices, method="filter_light")
    # The dashboard's filters, so that its figures can be listed here (/api/v1/dashboard/).
    plan = IdFilter(field_name="task__plan_id", label="实施方案")
    section = IdFilter(method="filter_section", label="方面（如三(一)）的工作任务 id")
    origin = django_filters.ChoiceFilter(
        choices=Task.Origin.choices, field_name="task__origin", label="来源：方案 / 督查整改"
    )
    # County systems: a county with its towns, a town, a deadline range, incremental sync.
    county = RegionFilter(path="department__region", label="县(区) id（含其乡镇）")
    town = IdFilter(field_name="department__region", label="乡镇 id")
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label="完成时限不早于"
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label="完成时限不晚于"
    )
    updated_since = UpdatedSinceFilter(also=(_report_changed,))
    ordering = StableOrderingFilter(fields=("deadline", "updated_at", "id"), label="排序")

    class Meta:
        model = Assignment
        fields = [
            "task",
            "department",
            "role",
            "light",
            "is_active",
            "mine",
            "plan",
            "section",
            "county",
            "origin",
        ]

    def filter_section(self, queryset, name, value):
        return queryset.filter(Q(task__parent_id=value) | Q(task__parent__parent_id=value))

    def filter_light(self, queryset, name, value):
        return selectors.with_light(queryset, value, as_of=self.request.as_of_api)


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF], responses={200: AssignmentSerializer, **READ_ERRORS}),
    retrieve=extend_schema(
        parameters=[AS_OF], responses={200: AssignmentSerializer, **READ_ERRORS}
    ),
)
class AssignmentViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """任务分解：各单位承担的每一项工作任务，附状态灯和最新填报。"""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()  # the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        self.request.as_of_api = api_as_of(self.request)
        # The task is shown by code and title: its verbatim text stays in the database.
        return (
            selectors.assignment_list(user=self.request.user, as_of=self.request.as_of_api)
            .defer("task__text", "task__responsibility_text")
            .order_by("task_id", "department_id")
        )


class ProgressReportFilter(MineFilterMixin):
    period = django_filters.CharFilter(field_name="period__code", label="报告期编号，如 2019H1")
    county = RegionFilter(path="assignment__department__region", label="县(区) id（含其乡镇）")
    town = IdFilter(field_name="assignment__department__region", label="乡镇 id")
    role = django_filters.ChoiceFilter(field_name="assignment__role", choices=Role.choices)
    deadline_from = django_filters.DateFilter(
        field_name="assignment__deadline", lookup_expr="gte", label="任务完成时限不早于"
    )
    deadline_to = django_filters.DateFilter(
        field_name="assignment__deadline", lookup_expr="lte", label="任务完成时限不晚于"
    )
    updated_since = UpdatedSinceFilter(also=(_report_evidence_changed,))
    ordering = StableOrderingFilter(
        fields=("updated_at", "submitted_at", "reviewed_at", "id"), label="排序"
    )

    class Meta:
        model = ProgressReport
        fields = {
            "assignment": ["exact"],
            "assignment__task": ["exact"],
            "assignment__department": ["exact"],
            "state": ["exact"],
        }


@extend_schema_view(
    list=extend_schema(
        parameters=[AS_OF], responses={200: ProgressReportSerializer, **READ_ERRORS}
    ),
    retrieve=extend_schema(responses={200: ProgressReportSerializer, **READ_ERRORS}),
    create=extend_schema(
        request=ReportCreateSerializer, responses={201: ProgressReportSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        request=ReportUpdateSerializer, responses={200: ProgressReportSerializer, **ERRORS}
    ),
    update=extend_schema(
        request=ReportUpdateSerializer, responses={200: ProgressReportSerializer, **ERRORS}
    ),
)
class ProgressReportViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """进展填报：新建、修改草稿、报送、撤回、审核通过或退回。

    与网页相同的规则（由服务层执行）；不删除任何填报。修改、报送、撤回、审核和退回
    都须提交所依据的 `version`：已被他人修改时返回 409 和当前版本，不会静默覆盖。

    也可用 `If-Match: <ETag>`（读取单条填报时返回的 ETag）代替 `version`；对接系统修改
    （PUT/PATCH）必须带 If-Match：缺少时 428，已被修改时 412，响应体 `current` 为当前内容。
    """

    serializer_class = ProgressReportSerializer
    permission_classes = [ProgressReportPermission]
    filterset_class = ProgressReportFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    queryset = ProgressReport.objects.none()  # the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            # Writes look at every report so that a refusal is a clear 403 from
            # the service, not a 404 that hides why.
            return selectors.report_list_all()
        # The task is shown by code and title: its verbatim text stays in the database.
        return selectors.report_list(user=self.request.user, as_of=api_as_of(self.request)).defer(
            "assignment__task__text", "assignment__task__responsibility_text"
        )

    def _respond(self, report, code=status.HTTP_200_OK):
        # The service returns the row with everything the representation needs
        # loaded; only the evidence list is read again.
        prefetch_related_objects(
            [report],
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)),
        )
        return Response(
            ProgressReportSerializer(report).data, status=code, headers={"ETag": etag_of(report)}
        )

    def create(self, request, *args, **kwargs):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        assignment = get_object_or_404(
            Assignment.objects.select_related("task"), pk=fields.pop("assignment")
        )
        report = services.report_create(assignment=assignment, by=request.user, **fields)
        return self._respond(selectors.report_list_all().get(pk=report.pk), status.HTTP_201_CREATED)

    def _target(self) -> ProgressReport:
        """The report a write names, by id and version only (404 if there is none).

        The service locks the row and reads it, with what the response shows,
        in one query; reading it here in full too would only be thrown away. The
        version is what an If-Match is compared with.
        """
        # DRF's lookup: an id that is not a number is a 404 too, not an error.
        return get_or_404(ProgressReport.objects.only("pk", "version"), pk=self.kwargs["pk"])

    def current_representation(self, instance) -> dict:
        fresh = selectors.report_list_all().get(pk=instance.pk)
        return ProgressReportSerializer(fresh).data

    def _input(self, request, report, *, required: bool = False):
        """The request's body, its `version` taken from If-Match when the body has none."""
        body = request.data
        body_version = body.get("version") if isinstance(body, Mapping) else None
        if not isinstance(body_version, int) or isinstance(body_version, bool):
            body_version = None
        version = self.if_match_version(report, body_version=body_version, required=required)
        if version is not None and isinstance(body, Mapping) and "version" not in body:
            body = {**{k: body.get(k) for k in body}, "version": version}
        return body

    def _call(self, request, report, service, **values):
        """Run the write; with If-Match, someone saving in between is a 412 too."""
        try:
            return service(report=report, by=request.user, **values)
        except ConflictError as error:
            if "If-Match" in request.headers and "current_version" in error.extra:
                raise self.precondition_failed(report) from error
            raise

    def update(self, request, *args, **kwargs):
        report = self._target()
        body = self._input(
            request, report, required=bool(getattr(request, "require_if_match", False))
        )
        data = ReportUpdateSerializer(data=body)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        report = self._call(request, report, services.report_update, **fields)
        return self._respond(report)

    def _versioned(self, request, service, serializer_class=VersionSerializer):
        report = self._target()  # a report that does not exist is a 404 whatever the body
        data = serializer_class(data=self._input(request, report))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        report = self._call(request, report, service, **values)
        return self._respond(report)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """报送：草稿或退回的填报提交审核。"""
        return self._versioned(request, services.report_submit)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回：尚未审核的已报送填报退回草稿。"""
        return self._versioned(request, services.report_withdraw)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """审核通过（本单位审核人或市民政局；不能审核自己填写的）。"""
        return self._versioned(request, services.report_approve)

    @extend_schema(request=ReturnSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回修改，须填写理由。"""
        return self._versioned(request, services.report_return, ReturnSerializer)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        """上传佐证材料（按文件内容检查类型和大小）。"""
        report = self.get_object()
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.evidence_add(
            report=report, by=request.user, upload=data.validated_data["file"]
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class ReportingPeriodFilter(FilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["plan", "is_locked", "code"]


class ReportingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """报告期：每半年一期；已关闭的报告期不能再填报。"""

    serializer_class = PeriodRefSerializer
    queryset = ReportingPeriod.objects.order_by("plan_id", "starts_on")
    filterset_class = ReportingPeriodFilter
