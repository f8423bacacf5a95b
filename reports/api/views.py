import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from departments.models import Department
from reports import selectors, services
from reports.models import ProgressReport
from reports.permissions import ProgressReportPermission
from reports.selectors import Light
from tasks.models import Assignment, Role

from .serializers import (
    AssignmentSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ProgressReportSerializer,
    ReportCreateSerializer,
    ReportUpdateSerializer,
    ReturnSerializer,
    VersionSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input; field messages in Chinese"),
    403: OpenApiResponse(description="Not allowed for this account"),
    404: OpenApiResponse(description="Not found or not visible"),
    409: OpenApiResponse(description="Someone saved a newer version"),
}


class AssignmentFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all())
    role = django_filters.ChoiceFilter(choices=Role.choices)
    light = django_filters.ChoiceFilter(choices=Light.choices)

    class Meta:
        model = Assignment
        fields = ["task", "department", "role", "light", "is_active"]


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Each body's share of each work item, with its latest report and traffic light."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()  # the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.assignment_list(user=self.request.user)


class ProgressReportFilter(django_filters.FilterSet):
    class Meta:
        model = ProgressReport
        fields = {
            "assignment": ["exact"],
            "assignment__task": ["exact"],
            "assignment__department": ["exact"],
            "state": ["exact"],
            "period": ["exact"],
        }


@extend_schema_view(
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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports: create and edit drafts, submit, approve or return.

    The same rules as the browser apply (services enforce them); nothing is
    deleted. Updates must send the `version` they edited: a stale one gets 409
    with the current version, not a silent overwrite.
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
        return selectors.report_list(user=self.request.user)

    def _respond(self, report, code=status.HTTP_200_OK):
        report = selectors.report_list_all().get(pk=report.pk)
        return Response(ProgressReportSerializer(report).data, status=code)

    def create(self, request, *args, **kwargs):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        assignment = fields.pop("assignment")
        report = services.report_create(assignment=assignment, by=request.user, **fields)
        return self._respond(report, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        data = ReportUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        report = services.report_update(report=report, by=request.user, version=version, **fields)
        return self._respond(report)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_submit(
            report=self.get_object(), by=request.user, version=data.validated_data.get("version")
        )
        return self._respond(report)

    @extend_schema(request=VersionSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_approve(
            report=self.get_object(), by=request.user, version=data.validated_data.get("version")
        )
        return self._respond(report)

    @extend_schema(request=ReturnSerializer, responses={200: ProgressReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_return(
            report=self.get_object(),
            by=request.user,
            reason=data.validated_data["reason"],
            version=data.validated_data.get("version"),
        )
        return self._respond(report)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.evidence_add(
            report=self.get_object(), by=request.user, upload=data.validated_data["file"]
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
