"""Collecting a summary's data from the database into a snapshot file.

What counts (documented in the README): for each assignment, the latest report
*of the period* approved so far (reports belong to periods; a late approval of a
period's report is counted when the summary is generated again); lights as of
the summary's day (`as_of`: the period's submission deadline, or today if that
is still ahead); dated steps due in the period, with the lines the bureau had
confirmed by that day; the previous period's figures the same way.

The number of SQL queries is fixed: aggregates per body come from GROUP BY
queries, and every assignment row comes from one streamed query (a server-side
cursor on PostgreSQL) ordered county by county, body by body — so a national
summary costs the same queries as Yangquan's, in bounded memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Avg,
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from departments.models import DepartmentKind
from milestones.models import ChecklistLine, Milestone
from milestones.selectors import lines_with_state
from reports.lights import Light
from reports.models import ProgressReport, ReportingPeriod
from reports.selectors import end_of, light_counts, spans_on, with_light
from supervision.selectors import open_findings
from tasks.models import Assignment, Plan, Task

from .similarity import copy_min_chars, copy_threshold, normalise, similarity
from .snapshot import SnapshotWriter

COUNTY_KINDS = (DepartmentKind.COUNTY_GOVERNMENT, DepartmentKind.COUNTY_PARTY_COMMITTEE)
STATUS_KEYS = ("not_started", "in_progress", "completed", "blocked")
ADDRESSEE = "市委、市政府"
STREAM_CHUNK = 2000

Progress = Callable[[str, float], None]  # (stage, share done 0..1)


@dataclass(frozen=True)
class Collected:
    checksum: str
    figures: dict
    rows: int
    bodies: int
    copied: int


def summary_day(period: ReportingPeriod, today: date | None = None) -> date:
    """The day a period's summary shows: its submission deadline, or today if earlier."""
    today = today or timezone.localdate()
    return min(period.due_on, today)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(plan_id=period.plan_id, starts_on__lt=period.starts_on)
        .order_by("-starts_on")
        .first()
    )


def _assignments(plan: Plan) -> QuerySet[Assignment]:
    """The plan's own shares: rectification items (督查整改) are reported as findings."""
    return Assignment.objects.from_plan().filter(task__plan=plan, is_active=True)


def _approved_in(period: ReportingPeriod) -> QuerySet[ProgressReport]:
    """The latest approved report of the period, for `OuterRef("pk")` an assignment."""
    return ProgressReport.objects.filter(
        assignment=OuterRef("pk"), period=period, state=ProgressReport.State.APPROVED
    ).order_by("-reviewed_at", "-pk")


def period_figures(*, plan: Plan, period: ReportingPeriod, as_of: date) -> dict:
    """Headline figures of one period (four queries)."""
    assignments = _assignments(plan)
    status = (
        assignments.annotate(status=Subquery(_approved_in(period).values("status")[:1]))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = dict.fromkeys([*STATUS_KEYS, "not_reported"], 0)
    for row in status:
        by_status[row["status"] or "not_reported"] += row["n"]
    total = sum(by_status.values())
    return {
        "tasks": Task.objects.from_plan().filter(plan=plan, kind=Task.Kind.CLAUSE).count(),
        "assignments": total,
        "by_light": light_counts(assignments, as_of=as_of),
        "by_status": by_status,
        "reports_approved": ProgressReport.objects.filter(
            assignment__task__plan=plan, period=period, state=ProgressReport.State.APPROVED
        ).count(),
        "assignments_with_approved_report": total - by_status["not_reported"],
    }


def _body_figures(plan: Plan, period: ReportingPeriod, as_of: date) -> dict[int, dict]:
    """Per body: counts by role and by light, and the average approved percent (3 queries)."""
    assignments = _assignments(plan)
    figures: dict[int, dict] = defaultdict(
        lambda: {
            "by_role": {"lead": 0, "support": 0, "responsible": 0, "guide": 0},
            "by_light": dict.fromkeys(Light.values, 0),
            "average_percent": None,
        }
    )
    for row in assignments.values("department_id", "role").annotate(n=Count("pk")).order_by():
        figures[row["department_id"]]["by_role"][row["role"]] = row["n"]
    lights = (
        spans_on(as_of)
        .filter(assignment__in=assignments.values("pk"))
        .values("assignment__department_id", "light")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in lights:
        figures[row["assignment__department_id"]]["by_light"][row["light"]] = row["n"]
    averages = (
        assignments.annotate(percent=Subquery(_approved_in(period).values("percent")[:1]))
        .values("department_id")
        .annotate(average=Avg("percent"))
        .order_by()
    )
    for row in averages:
        if row["average"] is not None:
            figures[row["department_id"]]["average_percent"] = round(float(row["average"]), 1)
    return figures


def _rows(plan: Plan, period: ReportingPeriod, previous: ReportingPeriod | None, as_of: date):
    """Every assignment with what the summary shows of it, county bodies first (one query)."""
    approved = _approved_in(period)
    columns = {
        f"r_{name}": Subquery(approved.values(name)[:1])
        for name in ("status", "percent", "progress", "problems", "next_steps")
    }
    if previous is not None:
        columns["prev_progress"] = Subquery(_approved_in(previous).values("progress")[:1])
    return (
        _assignments(plan)
        .annotate(
            light=Subquery(spans_on(as_of).filter(assignment=OuterRef("pk")).values("light")[:1]),
            county_first=Case(
                When(department__kind__in=COUNTY_KINDS, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            **columns,
        )
        .order_by("county_first", "department__order", "department_id", "task__order", "pk")
        .values(
            "pk",
            "role",
            "deadline",
            "department_id",
            "department__short_name",
            "department__kind",
            "task__code",
            "task__title",
            "light",
            "county_first",
            *columns,
        )
    )


def _milestones(plan: Plan, period: ReportingPeriod, as_of: date, write) -> None:
    milestones = list(
        Milestone.objects.filter(
            plan=plan, due_date__gte=period.starts_on, due_date__lte=period.ends_on
        ).order_by("due_date", "order")
    )
    if not milestones:
        return
    lines = (
        lines_with_state(
            ChecklistLine.objects.filter(milestone__in=milestones).select_related("region__parent"),
            as_of=as_of,
        )
        .order_by("milestone_id", "region__code")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    by_milestone = defaultdict(list)
    for line in lines:
        by_milestone[line.milestone_id].append(line)
    for milestone in milestones:
        own = by_milestone[milestone.pk]
        done = [line for line in own if line.shown_state == ChecklistLine.State.CONFIRMED]
        write(
            "milestone",
            title=milestone.title,
            due=milestone.due_date,
            met=len(done),
            total=len(own),
            lines=[
                {
                    "unit": line.region.name,
                    "county": line.region.parent.name if line.region.is_town else "",
                    "done": line.shown_state == ChecklistLine.State.CONFIRMED,
                    "done_on": line.completed_on
                    if line.shown_state == ChecklistLine.State.CONFIRMED
                    else None,
                }
                for line in own
            ],
        )


def _pilot_towns(plan: Plan, as_of: date, write) -> None:
    towns = list(plan.pilot_towns.select_related("parent").order_by("code"))
    lines = lines_with_state(
        ChecklistLine.objects.filter(milestone__plan=plan, region__in=towns).select_related(
            "milestone"
        ),
        as_of=as_of,
    ).order_by("milestone__due_date", "milestone__order")
    by_town: dict[int, list] = defaultdict(list)
    for line in lines:
        by_town[line.region_id].append(line)
    for town in towns:
        write(
            "pilot_town",
            town=town.name,
            county=town.parent.name if town.parent_id else "",
            lines=[
                {
                    "title": line.milestone.title,
                    "done": line.shown_state == ChecklistLine.State.CONFIRMED,
                    "done_on": line.completed_on
                    if line.shown_state == ChecklistLine.State.CONFIRMED
                    else None,
                }
                for line in by_town[town.pk]
            ],
        )


def _overdue(plan: Plan, as_of: date, write) -> None:
    late = (
        with_light(_assignments(plan), Light.RED, as_of=as_of)
        .filter(deadline__lt=as_of)
        .order_by("deadline", "department__order", "task__order")
        .values("deadline", "department__short_name", "task__code", "task__title")
    )
    for row in late.iterator(chunk_size=STREAM_CHUNK):
        write(
            "overdue",
            body=row["department__short_name"],
            task_code=row["task__code"],
            task_title=row["task__title"],
            deadline=row["deadline"],
            days_overdue=(as_of - row["deadline"]).days,
            light=Light.RED,
        )


def _findings(plan: Plan, as_of: date, write) -> None:
    """Inspection findings still open on the day, with how their rectification stands."""
    open_ones = (
        open_findings(as_of=as_of)
        .filter(inspection__plan=plan)
        .annotate(
            latest=Subquery(
                ProgressReport.objects.filter(
                    assignment=OuterRef("assignment_id"),
                    state=ProgressReport.State.APPROVED,
                    reviewed_at__lte=end_of(as_of),
                )
                .order_by("-reviewed_at", "-pk")
                .values("progress")[:1]
            )
        )
    )
    for finding in open_ones.iterator(chunk_size=STREAM_CHUNK):
        write(
            "finding",
            inspection=str(finding.inspection),
            body=finding.department.short_name,
            finding=finding.text,
            due=finding.deadline,
            rectification=finding.latest or "",
        )


def collect(
    *,
    plan: Plan,
    period: ReportingPeriod,
    path,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> Collected:
    """Write the snapshot of one plan's period to `path`; returns its checksum and figures."""
    progress = progress or (lambda stage, share: None)
    as_of = as_of or summary_day(period)
    previous = previous_period(period)
    writer = SnapshotWriter(path)
    try:
        progress("统计总体情况", 0.0)
        writer.meta(generated_at=timezone.now(), plan=plan.slug, period=period.code)
        writer.write(
            "header",
            plan_title=plan.title,
            period={
                "code": period.code,
                "title": period.title,
                "starts_on": period.starts_on,
                "ends_on": period.ends_on,
            },
            as_of=as_of,
            generated_at=timezone.now(),
            document_date=timezone.localdate(),
            addressee=ADDRESSEE,
            issuer=plan.coordinator.full_name or plan.coordinator.short_name,
        )
        figures = period_figures(plan=plan, period=period, as_of=as_of)
        writer.write("figures", values=figures)
        if previous is not None:
            writer.write(
                "previous_figures",
                values=period_figures(
                    plan=plan, period=previous, as_of=summary_day(previous, as_of)
                ),
            )
        progress("汇总各单位情况", 0.05)
        body_figures = _body_figures(plan, period, as_of)
        total = max(1, figures["assignments"])
        threshold, min_chars = copy_threshold(), copy_min_chars()
        copied = []
        current_body = None
        count = bodies = 0
        for row in _rows(plan, period, previous, as_of).iterator(chunk_size=STREAM_CHUNK):
            if row["department_id"] != current_body:
                current_body = row["department_id"]
                bodies += 1
                figures_of = body_figures[current_body]
                writer.write(
                    "body",
                    group="county" if row["county_first"] == 0 else "department",
                    name=row["department__short_name"],
                    kind=row["department__kind"],
                    **figures_of,
                )
            status = row["r_status"] or "not_reported"
            writer.write(
                "row",
                task_code=row["task__code"],
                task_title=row["task__title"],
                role=row["role"],
                deadline=row["deadline"],
                status=status,
                percent=row["r_percent"],
                light=row["light"] or Light.GREEN,
                progress=row["r_progress"] or "",
                problems=row["r_problems"] or "",
                next_steps=row["r_next_steps"] or "",
            )
            now, before = row["r_progress"] or "", row.get("prev_progress") or ""
            if len(normalise(now)) >= min_chars and before:
                score = similarity(now, before)
                if score >= threshold:
                    copied.append(
                        {
                            "body": row["department__short_name"],
                            "task_code": row["task__code"],
                            "task_title": row["task__title"],
                            "progress": now,
                            "previous_progress": before,
                            "similarity": round(score, 4),
                        }
                    )
            count += 1
            if count % 500 == 0:
                progress("汇总各单位情况", 0.05 + 0.85 * count / total)
        progress("时间节点与试点乡镇", 0.92)
        _milestones(plan, period, as_of, writer.write)
        _pilot_towns(plan, as_of, writer.write)
        _overdue(plan, as_of, writer.write)
        for item in copied:
            writer.write("copied", **item)
        _findings(plan, as_of, writer.write)
        checksum = writer.close()
    except BaseException:
        writer.discard()
        raise
    progress("数据已收集", 1.0)
    return Collected(
        checksum=checksum, figures=figures, rows=count, bodies=bodies, copied=len(copied)
    )
