"""Reads for dated steps."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Milestone, MilestoneTarget


def milestone_list() -> QuerySet[Milestone]:
    return (
        Milestone.objects.select_related("plan")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=MilestoneTarget.objects.select_related(
                    "region__parent", "department"
                ).order_by("region__code"),
            )
        )
        .annotate(
            targets_total=Count("targets"),
            targets_done=Count("targets", filter=Q(targets__completed_on__isnull=False)),
        )
        .order_by("plan", "due_date", "order")
    )


def milestone_targets_for_department(*, department_id: int) -> QuerySet[MilestoneTarget]:
    """A county's lines on the dated steps' checklists, soonest first."""
    return (
        MilestoneTarget.objects.filter(department_id=department_id)
        .select_related("milestone__plan", "region")
        .order_by("milestone__due_date", "milestone__order", "region__code")
    )
