from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.models import Department, Region


class DepartmentRefSerializer(serializers.ModelSerializer):
    """A body as the plan names it: `name` is the plan's short name."""

    name = serializers.CharField(source="short_name")

    class Meta:
        model = Department
        fields = ["id", "name"]


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind"]


class RegionSerializer(serializers.ModelSerializer):
    parent = RegionRefSerializer(read_only=True, allow_null=True)
    successor = RegionRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
            "names_by_year",
        ]


class DepartmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="short_name")
    region = RegionRefSerializer(read_only=True, allow_null=True)
    successor = DepartmentRefSerializer(read_only=True, allow_null=True)
    members = DepartmentRefSerializer(many=True, read_only=True)
    aliases = serializers.SerializerMethodField()
    is_collective = serializers.BooleanField(read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "full_name",
            "kind",
            "is_collective",
            "aliases",
            "region",
            "members",
            "successor",
            "valid_from",
            "valid_to",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, obj):
        return [a.name for a in obj.aliases.all()]
