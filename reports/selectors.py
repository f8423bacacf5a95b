"""Reads for assignments (with their light), progress reports and reporting periods.

Every list reads the light from the stored light spans (reports.lights
explains the rule): the span covering the day asked for, `as_of` (default
today). With `as_of`, reports count only if approved by the end of that day,
so any page shows the plan as it stood then.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from accounts.permissions import acts_for, is_coordinator
from core.history import HistoryEntry, field_changes, timeline
from tasks.models import Assignment, Responsibility, Task

from . import permissions
from .lights import LIGHT_ORDER
from .models import Evidence, LightSpan, ProgressReport, ReportingPeriod


def end_of(day: date) -> datetime:
    """The last moment of a local day: reports approved by then count on that day."""
    return timezone.make_aware(datetime.combine(day, time.max))


def spans_on(day: date) -> QuerySet[LightSpan]:
    return LightSpan.objects.filter(starts_on__lte=day).filter(
        Q(ends_on__gte=day) | Q(ends_on__isnull=True)
    )


def _approved_by(day: date) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(
        assignment=OuterRef("pk"),
        state=ProgressReport.State.APPROVED,
        reviewed_at__lte=end_of(day),
    ).order_by("-reviewed_at", "-pk")


def _shown(user, latest, approved):
    """Another body's drafts stay hidden: they see its approved report instead."""
    if user is None or is_coordinator(user):
        return latest
    if acts_for(user, user.department_id):
        return Case(When(department_id=user.department_id, then=latest), default=approved)
    return approved


def assignment_list(*, user=None, as_of: date | None = None) -> QuerySet[Assignment]:
    """Assignments with their light and the report shown for them, in one query.

    Each row carries `light`, and `report_id`, `report_state`, `report_status`,
    `report_percent`, `report_updated_at` (the latest report this user may see:
    for their own body, the one in the works; otherwise the latest approved),
    and `approved_status`, `approved_percent`. With `as_of`, only reports
    approved by then are shown.
    """
    day = as_of or timezone.localdate()
    queryset = Assignment.objects.select_related("task", "department", "responsibility").annotate(
        light=Subquery(spans_on(day).filter(assignment=OuterRef("pk")).values("light")[:1])
    )
    if as_of is None:
        latest, approved = "progress__latest_report__", "progress__approved_report__"
        queryset = queryset.annotate(
            approved_id=F("progress__approved_report"),
            approved_status=F(approved + "status"),
            approved_percent=F(approved + "percent"),
            approved_state=F(approved + "state"),
            approved_updated_at=F(approved + "updated_at"),
        )
        columns = {
            "report_id": (F("progress__latest_report"), F("approved_id"), IntegerField()),
            "report_state": (F(latest + "state"), F("approved_state"), CharField()),
            "report_status": (F(latest + "status"), F("approved_status"), CharField()),
            "report_percent": (F(latest + "percent"), F("approved_percent"), IntegerField()),
            "report_updated_at": (
                F(latest + "updated_at"),
                F("approved_updated_at"),
                DateTimeField(),
            ),
        }
        return queryset.annotate(
            **{
                name: _output(_shown(user, mine, theirs), kind)
                for name, (mine, theirs, kind) in columns.items()
            }
        )
    approved = _approved_by(day)
    return queryset.annotate(
        approved_id=Subquery(approved.values("pk")[:1]),
        approved_status=Subquery(approved.values("status")[:1]),
        approved_percent=Subquery(approved.values("percent")[:1]),
        report_id=F("approved_id"),
        report_state=Subquery(approved.values("state")[:1]),
        report_status=F("approved_status"),
        report_percent=F("approved_percent"),
        report_updated_at=Subquery(approved.values("updated_at")[:1]),
    )


def _output(expression, kind):
    if isinstance(expression, Case):
        expression.output_field = kind
    return expression


def with_light(queryset: QuerySet[Assignment], light: str, *, as_of: date | None = None):
    """Only assignments with this light on the day: a semi-join on the indexed spans."""
    day = as_of or timezone.localdate()
    return queryset.filter(pk__in=spans_on(day).filter(light=light).values("assignment_id"))


def light_counts(queryset: QuerySet[Assignment], *, as_of: date | None = None) -> dict[str, int]:
    """How many of these assignments have each light on the day (worst first), one query."""
    day = as_of or timezone.localdate()
    counts = dict.fromkeys([light.value for light in LIGHT_ORDER], 0)
    rows = (
        spans_on(day)
        .filter(assignment__in=queryset.values("pk"))
        .values("light")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["light"]] = row["n"]
    return counts


def reports_visible_to(user, queryset: QuerySet[ProgressReport] | None = None):
    """Approved reports for everyone; drafts and reviews only for their body and the bureau."""
    queryset = ProgressReport.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    visible = Q(state=ProgressReport.State.APPROVED)
    if user.department_id and permissions.can_see_unapproved(user, user.department_id):
        visible |= Q(assignment__department_id=user.department_id)
    return queryset.filter(visible)


def report_list(*, user, as_of: date | None = None) -> QuerySet[ProgressReport]:
    """Reports this user may read, with everything a list shows; as of a day, the approved ones."""
    queryset = reports_visible_to(user, report_list_all())
    if as_of is not None:
        queryset = queryset.filter(
            state=ProgressReport.State.APPROVED, reviewed_at__lte=end_of(as_of)
        )
    return queryset


def report_list_all() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.select_related(
            "assignment__task",
            "assignment__department",
            "period",
            "created_by",
            "updated_by",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))
        )
        .order_by("-updated_at", "-pk")
    )


def review_queue(*, user) -> QuerySet[ProgressReport]:
    """Submitted reports this user may approve or return (not their own)."""
    queryset = report_list_all().filter(state=ProgressReport.State.SUBMITTED)
    if not is_coordinator(user):
        if not permissions.may_review_body(user, user.department_id):
            return queryset.none()
        queryset = queryset.filter(assignment__department_id=user.department_id)
    return queryset.exclude(Q(created_by=user) | Q(updated_by=user)).order_by("submitted_at", "pk")


def period_list(*, plan_id: int | None = None) -> QuerySet[ReportingPeriod]:
    queryset = ReportingPeriod.objects.select_related("plan").order_by("plan_id", "starts_on")
    if plan_id is not None:
        queryset = queryset.filter(plan_id=plan_id)
    return queryset


# --- The trail of a report: returns, what changed after them, who did what -------------


@dataclass
class ReturnEntry:
    reason: str
    by: str
    at: datetime
    # (field label, value when returned, value now) for fields changed since.
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ReportTrail:
    returns: list[ReturnEntry]
    entries: list[HistoryEntry]


def report_trail(report: ProgressReport) -> ReportTrail:
    """Each return with its reason and what the body changed afterwards; the change log. One query."""
    records = list(
        ProgressReport.history.filter(id=report.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    returns = []
    previous = None
    for record in records:
        if record.state == ProgressReport.State.RETURNED and (
            previous is None or previous.state != ProgressReport.State.RETURNED
        ):
            user = record.history_user
            returns.append(
                (
                    record,
                    ReturnEntry(
                        reason=record.return_reason,
                        by=(user.get_full_name() or user.username) if user else "—",
                        at=record.history_date,
                    ),
                )
            )
        previous = record
    editable = [ProgressReport._meta.get_field(name) for name in EDITABLE_LABELLED]
    for record, entry in returns:
        entry.changes = field_changes(record, report, editable)
    return ReportTrail(
        returns=[entry for _record, entry in returns],
        entries=timeline([(records, lambda r: "")]),
    )


EDITABLE_LABELLED = ("status", "percent", "progress", "problems", "next_steps")


def report_texts(report_ids: list[int]) -> dict[int, str]:
    """The 进展情况 of some reports (a page's worth), in one query."""
    return dict(ProgressReport.objects.filter(pk__in=report_ids).values_list("pk", "progress"))


def report_state_counts(queryset: QuerySet[Assignment]) -> dict[str, int]:
    """How many of these assignments stand in each state of their shown report (one query).

    `none` counts assignments with no report this user may see.
    """
    counts = {"none": 0, **dict.fromkeys(ProgressReport.State.values, 0)}
    for row in queryset.values("report_state").annotate(n=Count("pk")).order_by():
        counts[row["report_state"] or "none"] += row["n"]
    return counts


TIMELINE_LIMIT = 300  # newest changes shown on a work item's page


def task_timeline(*, task: Task, user, own: list[Assignment]) -> list[HistoryEntry]:
    """The newest changes to a work item, its shares and the reports this user may follow.

    Report history (drafts included) is for the body itself and the bureau only.
    Each history table is read newest first with a limit, and the system's own
    rows (the plan loader) are left out in SQL: the page stays the same size
    whether 5 or 2,844 counties share the item.
    """

    def people(records):
        return (
            records.filter(Q(history_user__isnull=False) | Q(history_change_reason__isnull=False))
            .select_related("history_user")
            .order_by("-history_date")[:TIMELINE_LIMIT]
        )

    if is_coordinator(user):
        # The ids, not a join: with a join on the task the planner cannot tell how
        # many history rows match and walks the whole history newest first; with
        # the ids it reads a few shares' rows by index, or walks a short way for many.
        followed = list(
            Assignment.objects.filter(task_id=task.pk).order_by().values_list("pk", flat=True)
        )
    else:
        followed = [a.pk for a in own if permissions.can_see_unapproved(user, a.department_id)]
    reports = ProgressReport.history.filter(assignment_id__in=followed)
    entries = timeline(
        [
            (list(people(Task.history.filter(id=task.pk))), lambda r: f"工作任务 {r.code}"),
            (
                list(
                    people(Responsibility.history.filter(task_id=task.pk)).select_related(
                        "department"
                    )
                ),
                lambda r: f"责任分工 {r.written_as}",
            ),
            (
                list(
                    people(Assignment.history.filter(task_id=task.pk)).select_related("department")
                ),
                lambda r: f"任务分解 {r.department.short_name}",
            ),
            (
                list(people(reports).select_related("assignment__department")),
                lambda r: f"{r.assignment.department.short_name}的进展填报",
            ),
        ]
    )
    return entries[:TIMELINE_LIMIT]
