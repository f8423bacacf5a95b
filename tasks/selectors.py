"""Reads for plans and work items. Lists carry their joins here, once."""

from django.db.models import Prefetch, Q, QuerySet

from departments.models import Department, Region

from .models import Plan, Responsibility, Task


def plan_list() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("coordinator")
        .prefetch_related(
            Prefetch("issuers", queryset=Department.objects.order_by("order")),
            Prefetch(
                "pilot_towns", queryset=Region.objects.select_related("parent").order_by("code")
            ),
        )
        .defer("source_text")
    )


def plan_tree(*, plan: Plan) -> QuerySet[Task]:
    """The plan's own work items in reading order (rectification items left out)."""
    return Task.objects.filter(plan=plan).from_plan().order_by("order")


def task_list() -> QuerySet[Task]:
    return Task.objects.select_related("plan", "parent").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("department").order_by("order"),
        )
    )


def tasks_for_department(queryset: QuerySet[Task], *, department_id: int, role: str | None = None):
    """Work items a body answers for: named itself, or through a collective wording."""
    match = Q(department_id=department_id) | Q(department__members__id=department_id)
    responsibilities = Responsibility.objects.filter(match)
    if role:
        responsibilities = responsibilities.filter(role=role)
    return queryset.filter(pk__in=responsibilities.values("task_id"))
