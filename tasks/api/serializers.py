from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from departments.api.serializers import DepartmentRefSerializer
from tasks.models import Plan, Role, Task


class PilotTownSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    county = serializers.CharField(source="parent.name")


class PlanSerializer(serializers.ModelSerializer):
    issuers = DepartmentRefSerializer(many=True, read_only=True)
    coordinator = DepartmentRefSerializer(read_only=True)
    pilot_towns = PilotTownSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "slug",
            "title",
            "document_number",
            "issuers",
            "issued_on",
            "published_on",
            "starts_on",
            "ends_on",
            "coordinator",
            "pilot_towns",
            "source_reference",
        ]


class PlanDetailSerializer(PlanSerializer):
    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "source_text"]


class ResponsibleBodySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="department.id")
    name = serializers.CharField(source="department.short_name")
    written_as = serializers.CharField()


class ResolvedBodySerializer(ResponsibleBodySerializer):
    role = serializers.CharField()


def _bodies(role):
    """The bodies the plan itself names in this role (not the bureau's resolutions)."""

    @extend_schema_field(ResponsibleBodySerializer(many=True))
    def getter(self, obj):
        rows = [r for r in obj.responsibilities.all() if r.role == role and not r.resolved_from_id]
        return ResponsibleBodySerializer(rows, many=True).data

    return getter


class TaskSerializer(serializers.ModelSerializer):
    """A work item; the three lists name bodies exactly as the plan does."""

    lead_departments = serializers.SerializerMethodField()
    supporting_departments = serializers.SerializerMethodField()
    responsible_departments = serializers.SerializerMethodField()
    due_date = serializers.DateField(source="effective_due_date", read_only=True)

    resolved_departments = serializers.SerializerMethodField(
        help_text="Bodies the bureau has named for a 相关部门 wording of this clause."
    )
    assignments = serializers.SerializerMethodField(
        help_text="The shares of this work item (one per body; thousands for a clause every "
        "county answers for): a link to the paginated, filterable list, not the list itself."
    )

    get_lead_departments = _bodies(Role.LEAD)
    get_supporting_departments = _bodies(Role.SUPPORT)
    get_responsible_departments = _bodies(Role.RESPONSIBLE)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "parent",
            "kind",
            "code",
            "title",
            "text",
            "responsibility_text",
            "due_date",
            "origin",
            "lead_departments",
            "supporting_departments",
            "responsible_departments",
            "resolved_departments",
            "assignments",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_assignments(self, obj) -> str:
        url = reverse("assignment-list", request=self.context.get("request"))
        return f"{url}?{urlencode({'task': obj.pk})}"

    @extend_schema_field(ResolvedBodySerializer(many=True))
    def get_resolved_departments(self, obj):
        rows = [r for r in obj.responsibilities.all() if r.resolved_from_id]
        return ResolvedBodySerializer(rows, many=True).data
