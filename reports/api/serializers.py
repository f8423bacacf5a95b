from rest_framework import serializers

from departments.api.serializers import DepartmentRefSerializer
from reports.models import Evidence, ProgressReport
from reports.selectors import Light
from tasks.models import Assignment


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    written_as = serializers.CharField(source="responsibility.written_as", read_only=True)
    light = serializers.ChoiceField(choices=Light.choices, read_only=True)
    latest_report = serializers.IntegerField(
        source="latest_report_id", read_only=True, allow_null=True
    )
    latest_state = serializers.CharField(read_only=True, allow_null=True)
    latest_status = serializers.CharField(read_only=True, allow_null=True)
    latest_percent = serializers.IntegerField(read_only=True, allow_null=True)
    approved_status = serializers.CharField(read_only=True, allow_null=True)
    approved_percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "department",
            "role",
            "written_as",
            "deadline",
            "is_active",
            "light",
            "latest_report",
            "latest_state",
            "latest_status",
            "latest_percent",
            "approved_status",
            "approved_percent",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [
            "id",
            "original_name",
            "extension",
            "content_type",
            "size",
            "sha256",
            "created_at",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    """Output shape of a report."""

    evidence = EvidenceSerializer(many=True, read_only=True)
    department = DepartmentRefSerializer(source="assignment.department", read_only=True)
    task = TaskRefSerializer(source="assignment.task", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.username", read_only=True, default=None
    )
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)
    period = serializers.CharField(source="period.code", read_only=True, default=None)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "task",
            "department",
            "period",
            "status",
            "percent",
            "progress",
            "problems",
            "next_steps",
            "state",
            "version",
            "return_reason",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "evidence",
        ]


class ReportFieldsSerializer(serializers.Serializer):
    """What a body writes in a report. Model rules (0–100, completed = 100%) are
    checked by the service with the same messages as the browser form."""

    status = serializers.ChoiceField(choices=ProgressReport.Status.choices, required=False)
    percent = serializers.IntegerField(required=False)
    progress = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)


class ReportCreateSerializer(ReportFieldsSerializer):
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.select_related("task")
    )


class ReportUpdateSerializer(ReportFieldsSerializer):
    version = serializers.IntegerField(help_text="The version you edited; a stale one gets 409.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="Optional: refuse if it changed.")


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
