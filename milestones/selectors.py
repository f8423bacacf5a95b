"""Reads for dated steps and their checklist lines, as they stand today or stood on a day."""

from datetime import date, datetime, time

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models import CharField as CharOutput
from django.utils import timezone

from .models import ChecklistEvidence, ChecklistLine, LineState, Milestone


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


def milestone_progress(*, as_of: date | None = None) -> QuerySet[Milestone]:
    """The dated steps with `lines_total` and `lines_done` (confirmed) only: no lines loaded."""
    return milestone_list(as_of=as_of).prefetch_related(None)


def milestone_met(milestone: Milestone, *, as_of: date | None = None) -> bool:
    """A dated step is met when every county or town line of its checklist is confirmed.

    Uses the counts `milestone_list`/`milestone_progress` annotate when present
    (no query); otherwise counts the lines (one query). A step with no lines is
    not met: nobody has done anything for it.
    """
    total = getattr(milestone, "lines_total", None)
    done = getattr(milestone, "lines_done", None)
    if total is None or done is None or as_of is not None:
        counted = milestone_progress(as_of=as_of).filter(pk=milestone.pk).first()
        total, done = (counted.lines_total, counted.lines_done) if counted else (0, 0)
    return total > 0 and done == total


def checklist_line_list(
    *,
    as_of: date | None = None,
    department_id: int | None = None,
    milestone_id: int | None = None,
    state: str | None = None,
) -> QuerySet[ChecklistLine]:
    """Lines with their step, place, county, state on the day, and their files (not removed)."""
    queryset = ChecklistLine.objects.select_related(
        "milestone__plan", "region__parent", "department", "reported_by", "confirmed_by"
    ).prefetch_related(
        Prefetch("evidence", queryset=ChecklistEvidence.objects.filter(removed_at__isnull=True))
    )
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if milestone_id:
        queryset = queryset.filter(milestone_id=milestone_id)
    queryset = lines_with_state(queryset, as_of=as_of)
    if state:
        queryset = queryset.filter(shown_state=state)
    return queryset.order_by("milestone__due_date", "milestone__order", "region__code")


def confirmation_queue() -> QuerySet[ChecklistLine]:
    """Lines the counties reported done, waiting for the bureau, oldest report first."""
    return (
        checklist_line_list()
        .filter(state=LineState.REPORTED)
        .order_by("reported_at", "milestone__due_date", "region__code")
    )
