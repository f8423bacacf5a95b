from rest_framework import serializers

from departments.api.serializers import DepartmentRefSerializer, RegionRefSerializer
from milestones.models import ChecklistLine, Milestone


class ChecklistLineSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    county = serializers.SerializerMethodField()
    department = DepartmentRefSerializer(read_only=True)
    done = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistLine
        fields = ["id", "region", "county", "department", "done", "completed_on", "note"]

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
            "lines",
        ]
