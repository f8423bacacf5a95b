from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ID_MAX, StrictInputMixin
from departments.api.serializers import DepartmentRefSerializer
from reports.lights import Light
from reports.models import Evidence, ProgressReport, ReportingPeriod
from tasks.models import Assignment


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class PeriodRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "code", "title", "starts_on", "ends_on", "due_on", "is_locked"]


class AssignmentSerializer(serializers.ModelSerializer):
    """One body's share of a work item, its light and the report shown for it.

    `report_*`: the latest report this account may see (its own body's report in
    the works, otherwise the latest approved); with `as_of`, the latest approved
    by that day. `approved_*`: the latest approved report.
    """

    task = TaskRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    written_as = serializers.CharField(source="responsibility.written_as", read_only=True)
    light = serializers.ChoiceField(
        choices=Light.choices, read_only=True, allow_null=True, help_text="状态灯（截至当日）"
    )
    report = serializers.IntegerField(source="report_id", read_only=True, allow_null=True)
    report_state = serializers.ChoiceField(
        choices=ProgressReport.State.choices, read_only=True, allow_null=True
    )
    report_status = serializers.ChoiceField(
        choices=ProgressReport.Status.choices, read_only=True, allow_null=True
    )
    report_percent = serializers.IntegerField(read_only=True, allow_null=True)
    approved_report = serializers.IntegerField(
        source="approved_id", read_only=True, allow_null=True
    )
    approved_status = serializers.ChoiceField(
        choices=ProgressReport.Status.choices, read_only=True, allow_null=True
    )
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
            "updated_at",
            "light",
            "report",
            "report_state",
            "report_status",
            "report_percent",
            "approved_report",
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


class PersonField(serializers.CharField):
    """A person by account name (null when nobody)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, default=None, **kwargs)

    def to_representation(self, user):
        return user.username


class ProgressReportSerializer(serializers.ModelSerializer):
    """Output shape of a report."""

    evidence = EvidenceSerializer(many=True, read_only=True)
    department = DepartmentRefSerializer(source="assignment.department", read_only=True)
    task = TaskRefSerializer(source="assignment.task", read_only=True)
    period = PeriodRefSerializer(read_only=True)
    created_by = PersonField()
    updated_by = PersonField()
    submitted_by = PersonField()
    reviewed_by = PersonField()
    carried_from = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

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
            "carried_from",
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
        extra_kwargs = {
            "submitted_at": {"allow_null": True},
            "reviewed_at": {"allow_null": True},
        }


# What a write takes; everything else a report shows is read-only to a write.
REPORT_FIELDS_WRITTEN = ("status", "percent", "progress", "problems", "next_steps")
REPORT_FIELDS_SHOWN = tuple(
    name for name in ProgressReportSerializer.Meta.fields if name not in REPORT_FIELDS_WRITTEN
)


class StrictReportInput(StrictInputMixin, serializers.Serializer):
    """Input of a report write: a field it does not take (state, created_by…) is a 400 naming it."""

    read_only_names = REPORT_FIELDS_SHOWN


class ReportFieldsSerializer(StrictReportInput):
    """What a body writes in a report. Model rules (0–100, completed = 100%, 进展情况 to
    submit) are checked by the service with the same messages as the browser form."""

    status = serializers.ChoiceField(
        choices=ProgressReport.Status.choices, required=False, help_text="进度状态"
    )
    percent = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        help_text="完成百分比（0–100；进度状态为“未启动”时须为0）",
        error_messages={
            "min_value": "完成百分比不能小于0。",
            "max_value": "完成百分比不能大于100。",
        },
    )
    progress = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="进展情况（报送时必填）"
    )
    problems = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="存在问题"
    )
    next_steps = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="下步打算"
    )


class ReportCreateSerializer(ReportFieldsSerializer):
    # An id, looked up by the view: one that names no assignment is a 404, like a wrong URL.
    assignment = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="任务分解 id（不存在时返回 404）"
    )


class VersionSerializer(StrictReportInput):
    version = serializers.IntegerField(
        help_text="您所依据的版本号（读取时返回的 version）；已被他人修改时返回 409 及当前版本。"
    )


class ReportUpdateSerializer(ReportFieldsSerializer, VersionSerializer):
    pass


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=2000, help_text="退回理由")


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class EvidenceFileField(serializers.FileField):
    """A non-empty file; what it contains is checked by reports.services.evidence_add."""


class EvidenceUploadSerializer(StrictReportInput):
    file = EvidenceFileField(
        help_text="PDF、Word、Excel或图片(JPG/PNG)，按文件内容检查类型；超过大小上限时返回 413"
    )
