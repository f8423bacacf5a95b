"""Reads for dated steps and their checklist lines, as they stand today or stood on a day."""

from datetime import date, datetime, time

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models import CharField as CharOutput
from django.utils import timezone

from .models import ChecklistLine, LineState, Milestone


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def lines_with_state(queryset: QuerySet[ChecklistLine], *, as_of: date | None = None):
    """Each line with `shown_state` (its state on the day) and `overdue` (past due, not confirmed).

    As of a past day, a line is confirmed only if the bureau confirmed it by
    then, reported only if the county reported it by then, else open.
    """
    day = as_of or timezone.localdate()
    if as_of is None:
        state = F("state")
        confirmed = Q(state=LineState.CONFIRMED)
    else:
        end = _end_of(day)
        confirmed = Q(confirmed_at__lte=end)
        state = Case(
            When(confirmed, then=Value(LineState.CONFIRMED)),
            When(reported_at__lte=end, then=Value(LineState.REPORTED)),
            default=Value(LineState.OPEN),
            output_field=CharOutput(),
        )
    return queryset.annotate(
        shown_state=state,
        overdue=Case(
            When(confirmed, then=Value(False)),
            When(milestone__due_date__lt=day, then=Value(True)),
            default=Value(False),
        ),
    )


def milestone_list(*, as_of: date | None = None) -> QuerySet[Milestone]:
    lines = lines_with_state(
        ChecklistLine.objects.select_related("region__parent", "department"), as_of=as_of
    ).order_by("region__code")
    if as_of is None:
        confirmed = Q(lines__state=LineState.CONFIRMED)
    else:
        confirmed = Q(lines__confirmed_at__lte=_end_of(as_of))
    return (
        Milestone.objects.select_related("plan")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .annotate(lines_total=Count("lines"), lines_done=Count("lines", filter=confirmed))
        .order_by("plan", "due_date", "order")
    )


def checklist_lines_for_department(
    *, department_id: int, as_of: date | None = None
) -> QuerySet[ChecklistLine]:
    """A county's lines on the dated steps' checklists, soonest first."""
    return lines_with_state(
        ChecklistLine.objects.filter(department_id=department_id).select_related(
            "milestone__plan", "region"
        ),
        as_of=as_of,
    ).order_by("milestone__due_date", "milestone__order", "region__code")
