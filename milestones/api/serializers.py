from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictInputMixin
from departments.api.serializers import DepartmentRefSerializer, RegionRefSerializer
from milestones import permissions, selectors
from milestones.models import ChecklistEvidence, ChecklistLine, LineState, Milestone


class ChecklistLineSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    county = serializers.SerializerMethodField()
    department = DepartmentRefSerializer(read_only=True)
    done = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistLine
        fields = ["id", "region", "county", "department", "done", "state", "completed_on", "note"]

    def get_county(self, obj) -> str:
        region = obj.region
        return region.name if region.kind == "county" else region.parent.name

    def get_done(self, obj) -> bool:
        return obj.completed_on is not None


class MilestoneSerializer(serializers.ModelSerializer):
    lines = ChecklistLineSerializer(many=True, read_only=True)
    lines_total = serializers.IntegerField(read_only=True)
    lines_done = serializers.IntegerField(read_only=True)
    due_before_plan_issued = serializers.BooleanField(read_only=True)
    met = serializers.SerializerMethodField(help_text="每个县(区)或乡镇的清单项都已由市民政局确认")

    class Meta:
        model = Milestone
        fields = [
            "id",
            "plan",
            "code",
            "due_date",
            "due_precision",
            "due_before_plan_issued",
            "title",
            "text",
            "scope",
            "note",
            "lines_total",
            "lines_done",
            "met",
            "lines",
        ]

    def get_met(self, obj) -> bool:
        return selectors.milestone_met(obj)


class MilestoneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "code", "title", "due_date"]


class ChecklistEvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistEvidence
        fields = ["id", "original_name", "extension", "size", "sha256", "created_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("checklist_evidence_download", args=[obj.pk])


class ChecklistLineDetailSerializer(ChecklistLineSerializer):
    """A checklist line with its step, its state on the day asked for, who reported and confirmed."""

    milestone = MilestoneRefSerializer(read_only=True)
    state = serializers.ChoiceField(choices=LineState.choices, source="shown_state", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    reported_by = serializers.SerializerMethodField()
    confirmed_by = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta(ChecklistLineSerializer.Meta):
        fields = [
            "id",
            "milestone",
            "region",
            "county",
            "department",
            "state",
            "overdue",
            "completed_on",
            "note",
            "reported_by",
            "reported_at",
            "confirmed_by",
            "confirmed_at",
            "return_reason",
            "updated_at",
            "evidence",
        ]

    def get_reported_by(self, obj) -> str | None:
        return _person(obj.reported_by)

    def get_confirmed_by(self, obj) -> str | None:
        return _person(obj.confirmed_by)

    @extend_schema_field(ChecklistEvidenceSerializer(many=True))
    def get_evidence(self, obj):
        """Files are listed to the county that sent them and to the bureau only."""
        user = self.context["request"].user
        if not permissions.can_see_line_evidence(user, obj):
            return []
        return ChecklistEvidenceSerializer(obj.evidence.all(), many=True).data


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class LineReportDoneJSONSerializer(StrictInputMixin, serializers.Serializer):
    """Reported done without a file (JSON)."""

    completed_on = serializers.DateField(help_text="完成日期（晚于今天时返回 409）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LineReportDoneSerializer(LineReportDoneJSONSerializer):
    """Reported done, with an optional evidence file (multipart/form-data)."""

    file = serializers.FileField(
        required=False,
        help_text=f"可选的佐证材料：PDF、Word、Excel或图片，不超过{settings.EVIDENCE_MAX_BYTES // 2**20} MB",
    )


class LineReturnSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="退回理由")
