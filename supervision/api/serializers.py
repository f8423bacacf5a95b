from rest_framework import serializers

from core.api import ID_MAX, StrictInputMixin
from departments.api.serializers import DepartmentRefSerializer, RegionRefSerializer
from reports.api.serializers import TaskRefSerializer
from supervision.models import TEXT_MAX_LENGTH, Finding, Inspection, Reminder, SignOff
from tasks.models import Assignment


class PersonField(serializers.CharField):
    """A person as people call them (full name, else account name); null when nobody."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, user):
        return user.get_full_name() or user.username


class AssignmentRefSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "task", "deadline"]


class ReminderSerializer(serializers.ModelSerializer):
    """A reminder (催办), its receipt (签收) and reply (回复)."""

    department = DepartmentRefSerializer(read_only=True)
    assignments = AssignmentRefSerializer(many=True, read_only=True)
    sent_by = PersonField()
    acknowledged_by = PersonField()
    replied_by = PersonField()
    overdue = serializers.BooleanField(
        source="is_overdue", read_only=True, help_text="已过回复期限仍未回复"
    )

    class Meta:
        model = Reminder
        fields = [
            "id",
            "department",
            "assignments",
            "message",
            "reply_by",
            "state",
            "overdue",
            "sent_by",
            "sent_at",
            "acknowledged_by",
            "acknowledged_at",
            "reply",
            "replied_by",
            "replied_at",
            "escalated_at",
        ]


class ReminderCreateSerializer(StrictInputMixin, serializers.Serializer):
    # Ids looked up by the view: one that names no row is a 404, like a wrong URL.
    department = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="被催办单位 id（不存在时返回 404）"
    )
    assignments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        min_length=1,
        max_length=500,
        help_text="催办事项（任务分解 id），须都由该单位承办（有不存在的 id 时返回 404）",
    )
    message = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="催办内容")
    reply_by = serializers.DateField(help_text="回复期限（不早于今天）")


class ReplySerializer(StrictInputMixin, serializers.Serializer):
    reply = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="回复内容")


class SignOffSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True)
    signed_by = PersonField()
    reopened_by = PersonField()

    class Meta:
        model = SignOff
        fields = [
            "id",
            "task",
            "state",
            "signed_by",
            "signed_at",
            "reopened_by",
            "reopened_at",
            "reopen_reason",
        ]


class SignOffCreateSerializer(StrictInputMixin, serializers.Serializer):
    task = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        help_text="要办结的工作任务（责任条款）id（不存在时返回 404）",
    )


class ReopenSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="重新打开的理由")


class FindingSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    region = RegionRefSerializer(read_only=True, allow_null=True)
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    closed = serializers.BooleanField(read_only=True, help_text="已销号（整改任务已办结）")

    class Meta:
        model = Finding
        fields = [
            "id",
            "number",
            "text",
            "department",
            "region",
            "deadline",
            "task",
            "assignment",
            "closed",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    departments = DepartmentRefSerializer(many=True, read_only=True)
    regions = RegionRefSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "plan",
            "code",
            "inspected_on",
            "inspectors",
            "departments",
            "regions",
            "summary",
            "findings",
        ]
