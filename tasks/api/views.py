import django_filters
from rest_framework import viewsets

from core.api import ETagMixin, FilterSet, IdFilter, StableOrderingFilter, UpdatedSinceFilter
from tasks import selectors
from tasks.models import Role, Task

from .serializers import PlanDetailSerializer, PlanSerializer, TaskSerializer


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Implementation plans, with their pilot towns."""

    queryset = selectors.plan_list()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.defer(None)
        return queryset

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer


class TaskFilter(FilterSet):
    department = IdFilter(
        method="filter_department",
        label="单位(含通过“各县(区)”集合称谓承担的)",
    )
    role = django_filters.ChoiceFilter(
        choices=Role.choices, method="filter_role", label="分工(与单位一起使用时限定该单位的分工)"
    )
    section = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", label="方案中的位置，如 三(二)"
    )
    updated_since = UpdatedSinceFilter()
    ordering = StableOrderingFilter(fields=("code", "updated_at", "id"), label="排序")

    class Meta:
        model = Task
        fields = ["plan", "kind", "parent", "code", "origin"]

    def filter_department(self, queryset, name, value: int):
        role = self.form.cleaned_data.get("role") or None
        return selectors.tasks_for_department(queryset, department_id=value, role=role)

    def filter_role(self, queryset, name, value):
        if self.form.cleaned_data.get("department") is not None:
            return queryset  # applied together with the department
        return queryset.filter(responsibilities__role=value).distinct()


class TaskViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Work items of the plans: parts, sections, items and responsibility clauses."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = selectors.task_list()
