"""Every figure of the bureau's overview, in a fixed number of aggregate queries.

The unit counted is the assignment (任务分解: one body's share of one work
item), active, of the plan's own work items; rectification items (督查整改)
are counted apart as open findings. Figures read the day `as_of` (default
today): lights from the stored light spans, progress from the latest report
approved by then (no approved report: 未启动), checklist lines confirmed by then.

`dashboard_figures(...)` issues the same number of queries whatever the number
of work items, bodies, counties or reports: each figure is one GROUP BY (or
COUNT); lists that could be long at national scale (bodies, counties, the
timeline's counties) are cut to the worst `LIST_LIMIT` rows, and say how many
there are in all.
"""

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from departments.models import Region
from milestones.models import ChecklistLine, LineState, Milestone
from reports.lights import LIGHT_ORDER, Light
from reports.models import ProgressReport, ReportingPeriod
from reports.selectors import assignment_list, end_of, light_counts, spans_on
from supervision.models import Reminder
from supervision.selectors import open_findings_count, reminders_overdue_reply
from tasks.models import Assignment, Plan, Role, Task

LIST_LIMIT = 30  # bodies per role, counties, timeline counties shown (worst first)
LIGHTS = [light.value for light in LIGHT_ORDER]
STATUSES = list(ProgressReport.Status.values)  # not_started, in_progress, completed, blocked
REPORT_STATES = ["approved", "submitted", "draft", "returned", "none"]
TIMELINE_START = date(2018, 1, 1)


# --- Pieces the filters and the lists share ---------------------------------------------


def _approved_status(as_of: date | None):
    """The status of the latest report approved by the day (None when there is none)."""
    if as_of is None:
        return F("progress__approved_report__status")
    return Subquery(
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            state=ProgressReport.State.APPROVED,
            reviewed_at__lte=end_of(as_of),
        )
        .order_by("-reviewed_at", "-pk")
        .values("status")[:1]
    )


def with_status_annotation(queryset: QuerySet[Assignment], *, as_of: date | None = None):
    """`shown_status`: the approved progress on the day; 未启动 when nothing is approved."""
    return queryset.annotate(
        shown_status=Coalesce(
            _approved_status(as_of),
            Value(ProgressReport.Status.NOT_STARTED),
            output_field=CharField(),
        )
    )


def with_status(queryset: QuerySet[Assignment], status: str, *, as_of: date | None = None):
    return with_status_annotation(queryset, as_of=as_of).filter(shown_status=status)


# The state of an assignment's reports in a period, best first, and its rank in SQL.
RANK_STATES = {1: "approved", 2: "submitted", 3: "returned", 4: "draft", 9: "none"}
STATE_RANKS = {state: rank for rank, state in RANK_STATES.items()}


def with_period_state(queryset: QuerySet[Assignment], period: ReportingPeriod | None):
    """`period_rank`: the rank of the best report of the period (RANK_STATES names it).

    Approved beats submitted, returned, draft; none is 9. An assignment with an
    approved report in the period counts as approved, even if a newer one is in
    the works; a report carried to the next period counts there. One correlated
    subquery per row on the (assignment, period) index. Group and filter on the
    rank (a CASE over it would repeat the subquery); `period_state_of` names rows.
    """
    if period is None:
        return queryset.annotate(period_rank=Value(9, output_field=IntegerField()))
    State = ProgressReport.State
    best = Subquery(
        ProgressReport.objects.filter(assignment=OuterRef("pk"), period=period)
        .annotate(
            rank=Case(
                *(When(state=State(s), then=Value(r)) for r, s in RANK_STATES.items() if r < 9),
                default=Value(9),
                output_field=IntegerField(),
            )
        )
        .order_by("rank")
        .values("rank")[:1]
    )
    return queryset.annotate(period_rank=Coalesce(best, Value(9), output_field=IntegerField()))


def period_state_of(rows):
    """Name each row's period state (`period_state`) from its rank; returns the rows."""
    rows = list(rows)
    for row in rows:
        row.period_state = RANK_STATES[row.period_rank]
    return rows


def default_plan(plan_id: int | None) -> Plan | None:
    """The plan asked for, or the newest one."""
    plans = Plan.objects.only("pk", "title", "slug", "starts_on", "ends_on", "issued_on")
    if plan_id:
        return plans.filter(pk=plan_id).first()
    return plans.order_by("-issued_on", "-pk").first()


def period_of(
    period_id: int | None, *, plan_id: int | None = None, day: date | None = None
) -> ReportingPeriod | None:
    """The period asked for, or the plan's period running on the day (the last begun)."""
    periods = ReportingPeriod.objects.all()
    if period_id:
        return periods.filter(pk=period_id).first()
    if plan_id:
        periods = periods.filter(plan_id=plan_id)
    day = day or timezone.localdate()
    return periods.filter(starts_on__lte=day).order_by("-starts_on", "-pk").first()


def _confirmed(as_of: date | None) -> Q:
    if as_of is None:
        return Q(state=LineState.CONFIRMED)
    return Q(confirmed_at__lte=end_of(as_of))


def _section_key(prefix: str = ""):
    section = Task.Kind.SECTION
    return Case(
        When(**{f"{prefix}task__parent__kind": section}, then=F(f"{prefix}task__parent_id")),
        When(
            **{f"{prefix}task__parent__parent__kind": section},
            then=F(f"{prefix}task__parent__parent_id"),
        ),
        default=None,
        output_field=IntegerField(),
    )


def _light_columns():
    columns = {light: Count("pk", filter=Q(light=light)) for light in LIGHTS}
    return {**columns, "total": Count("pk")}


def _grouped(assignments: QuerySet[Assignment], day: date, **keys) -> list[dict]:
    """Light counts of the assignments grouped by `keys` (expressions on LightSpan): one query."""
    return list(
        spans_on(day)
        .filter(assignment__in=assignments.values("pk"))
        .annotate(**keys)
        .values(*keys)
        .annotate(**_light_columns())
        .order_by()
    )


def _worst_first(row: dict):
    return (-row["red"], -row["yellow"], -row["total"], row.get("order", 0), row["name"])


def _lights_of(row: dict) -> dict:
    return {light: row[light] for light in LIGHTS}


# --- The figures ------------------------------------------------------------------------


def dashboard_figures(
    *,
    assignments: QuerySet[Assignment],
    plan: Plan | None,
    period: ReportingPeriod | None,
    county_id: int | None = None,
    as_of: date | None = None,
) -> dict:
    """Every figure of the overview for the (filtered, active) assignments. ~14 queries."""
    day = as_of or timezone.localdate()
    from_plan = assignments.filter(task__origin=Task.Origin.PLAN)

    status = dict.fromkeys(STATUSES, 0)
    for row in (
        with_status_annotation(from_plan, as_of=as_of)
        .values("shown_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        status[row["shown_status"]] += row["n"]

    reporting = dict.fromkeys(REPORT_STATES, 0)
    for row in (
        with_period_state(from_plan, period)
        .values("period_rank")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        reporting[RANK_STATES[row["period_rank"]]] += row["n"]

    overdue = (
        reminders_overdue_reply(as_of=as_of)
        .filter(
            Exists(
                Reminder.assignments.through.objects.filter(
                    reminder_id=OuterRef("pk"), assignment_id__in=assignments.values("pk")
                )
            )
        )
        .order_by()
    )

    return {
        "as_of": day,
        "total": sum(status.values()),
        "status": status,
        "lights": light_counts(from_plan, as_of=as_of),
        "by_section": _by_section(from_plan, day),
        "by_body": _by_body(from_plan, day),
        "by_county": _by_county(from_plan, day),
        "open_findings": open_findings_count(
            assignments.filter(task__origin=Task.Origin.INSPECTION), as_of=as_of
        ),
        "overdue_reminders": overdue.count(),
        "reporting": reporting,
        **_steps(plan, county_id=county_id, as_of=as_of, day=day),
    }


def _by_section(assignments, day) -> list[dict]:
    rows = _grouped(assignments, day, section=_section_key("assignment__"))
    sections = {
        t["pk"]: t
        for t in Task.objects.filter(pk__in=[r["section"] for r in rows if r["section"]]).values(
            "pk", "code", "title", "order"
        )
    }
    out = []
    for row in rows:
        section = sections.get(
            row["section"], {"pk": None, "code": "", "title": "其他", "order": 10**9}
        )
        out.append(
            {
                "id": section["pk"],
                "code": section["code"],
                "title": section["title"],
                "order": section["order"],
                "total": row["total"],
                **_lights_of(row),
            }
        )
    out.sort(key=lambda r: (r["order"], r["code"]))
    for r in out:
        del r["order"]
    return out


def _by_body(assignments, day) -> dict:
    rows = _grouped(
        assignments,
        day,
        body=F("assignment__department_id"),
        name=F("assignment__department__short_name"),
        order=F("assignment__department__order"),
        role=F("assignment__role"),
    )
    out = {}
    for role in (Role.LEAD, Role.SUPPORT, Role.RESPONSIBLE, Role.GUIDE):
        mine = sorted((r for r in rows if r["role"] == role), key=_worst_first)
        if role == Role.GUIDE and not mine:
            continue
        out[role.value] = {
            "count": len(mine),
            "rows": [
                {"id": r["body"], "name": r["name"], "total": r["total"], **_lights_of(r)}
                for r in mine[:LIST_LIMIT]
            ],
        }
    return out


def _by_county(assignments, day) -> dict:
    rows = _grouped(
        assignments.filter(department__region__isnull=False),
        day,
        county=F("assignment__department__region_id"),
        name=F("assignment__department__region__name"),
        order=F("assignment__department__region__code"),
    )
    rows.sort(key=_worst_first)
    return {
        "count": len(rows),
        "rows": [
            {"id": r["county"], "name": r["name"], "total": r["total"], **_lights_of(r)}
            for r in rows[:LIST_LIMIT]
        ],
    }


def _steps(plan: Plan | None, *, county_id, as_of, day) -> dict:
    """The pilot towns × dated steps matrix and the timeline of dated steps per county."""
    empty = {
        "pilot_matrix": {"milestones": [], "towns": []},
        "timeline": {
            "start": TIMELINE_START,
            "today": day,
            "milestones": [],
            "counties": [],
            "count": 0,
        },
    }
    if plan is None:
        return empty
    milestones = list(
        Milestone.objects.filter(plan=plan)
        .order_by("due_date", "order")
        .values("pk", "code", "title", "due_date", "scope")
    )
    milestone_list = [
        {"id": m["pk"], "code": m["code"], "title": m["title"], "due_date": m["due_date"]}
        for m in milestones
    ]
    confirmed = _confirmed(as_of)

    # Pilot towns: each town's own line, or its county's line for a county-level step.
    towns = Region.objects.filter(pilot_of_plans=plan).select_related("parent").order_by("code")
    if county_id:
        towns = towns.filter(parent_id=county_id)
    towns = list(towns)
    places = {t.pk for t in towns} | {t.parent_id for t in towns}
    lines = {
        (line["milestone_id"], line["region_id"]): line
        for line in ChecklistLine.objects.filter(milestone__plan=plan, region_id__in=places)
        .annotate(done=Case(When(confirmed, then=Value(True)), default=Value(False)))
        .values("milestone_id", "region_id", "department_id", "done", "completed_on")
    }
    matrix_towns = []
    for town in towns:
        cells = []
        for m in milestones:
            line = lines.get((m["pk"], town.pk))
            via_county = line is None and (m["pk"], town.parent_id) in lines
            line = line or lines.get((m["pk"], town.parent_id))
            cells.append(_cell(m, line, day, via_county=via_county))
        department = next(
            (line["department_id"] for key, line in lines.items() if key[1] == town.parent_id),
            None,
        )
        matrix_towns.append(
            {
                "id": town.pk,
                "name": town.name,
                "county": town.parent.name,
                "department": department,
                "cells": cells,
            }
        )

    # Timeline: per county, each step done (every line confirmed), late or open.
    grouped = ChecklistLine.objects.filter(milestone__plan=plan)
    if county_id:
        grouped = grouped.filter(department__region_id=county_id)
    rows = (
        grouped.values(
            "department__region_id",
            "department__region__name",
            "department__region__code",
            "department_id",
            "milestone_id",
        )
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=confirmed),
            last_done=Max("completed_on", filter=confirmed),
        )
        .values(
            "department__region_id",
            "department__region__name",
            "department__region__code",
            "department_id",
            "milestone_id",
            "total",
            "done",
            "last_done",
        )
        .order_by()
    )
    counties: dict[int, dict] = {}
    for row in rows:
        county = counties.setdefault(
            row["department__region_id"],
            {
                "id": row["department__region_id"],
                "name": row["department__region__name"],
                "code": row["department__region__code"],
                "department": row["department_id"],
                "steps": {},
            },
        )
        county["steps"][row["milestone_id"]] = row
    by_id = {m["pk"]: m for m in milestones}
    timeline_counties = []
    for county in sorted(counties.values(), key=lambda c: c["code"])[:LIST_LIMIT]:
        steps = []
        for m in milestones:
            row = county["steps"].get(m["pk"])
            if row is None:
                continue
            complete = row["done"] == row["total"]
            steps.append(
                {
                    "milestone": m["pk"],
                    "state": "done"
                    if complete
                    else ("late" if by_id[m["pk"]]["due_date"] < day else "open"),
                    "total": row["total"],
                    "done": row["done"],
                    "completed_on": row["last_done"] if complete else None,
                }
            )
        timeline_counties.append(
            {
                "id": county["id"],
                "name": county["name"],
                "department": county["department"],
                "steps": steps,
            }
        )
    return {
        "pilot_matrix": {"milestones": milestone_list, "towns": matrix_towns},
        "timeline": {
            "start": min([TIMELINE_START, *(m["due_date"] for m in milestones)]),
            "today": day,
            "milestones": milestone_list,
            "counties": timeline_counties,
            "count": len(counties),
        },
    }


def _cell(milestone: dict, line: dict | None, day: date, *, via_county: bool) -> dict:
    if line is None:
        return {
            "milestone": milestone["pk"],
            "state": "none",
            "completed_on": None,
            "via_county": False,
        }
    if line["done"]:
        state = "done"
    elif milestone["due_date"] < day:
        state = "late"
    else:
        state = "open"
    return {
        "milestone": milestone["pk"],
        "state": state,
        "completed_on": line["completed_on"] if line["done"] else None,
        "via_county": via_county,
    }


# --- The lists behind the figures -------------------------------------------------------


def drilldown_list(assignments: QuerySet[Assignment], *, as_of: date | None = None):
    """The assignments behind a figure, with light, approved progress and texts: one query."""
    queryset = assignment_list(user=None, as_of=as_of).filter(pk__in=assignments.values("pk"))
    queryset = with_status_annotation(queryset, as_of=as_of)
    return queryset.annotate(
        approved_progress=_approved_text("progress", as_of),
        approved_problems=_approved_text("problems", as_of),
        task_parent_code=F("task__parent__code"),
    ).order_by("task__plan_id", "task__order", "department__order", "pk")


def _approved_text(field: str, as_of: date | None):
    if as_of is None:
        return F(f"progress__approved_report__{field}")
    return Subquery(
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            state=ProgressReport.State.APPROVED,
            reviewed_at__lte=end_of(as_of),
        )
        .order_by("-reviewed_at", "-pk")
        .values(field)[:1]
    )


def reporting_status_list(assignments: QuerySet[Assignment], period: ReportingPeriod | None):
    """Each assignment with `period_rank` in the period, its body and work item: one query."""
    return with_period_state(
        assignments.filter(task__origin=Task.Origin.PLAN).select_related("task", "department"),
        period,
    )


REPORTING_SORTS = {
    "body": ("department__order", "department__short_name", "task__order"),
    "-body": ("-department__order", "-department__short_name", "task__order"),
    "task": ("task__order", "department__order"),
    "-task": ("-task__order", "department__order"),
    "state": ("period_rank", "department__order", "task__order"),
    "-state": ("-period_rank", "department__order", "task__order"),
    "deadline": ("deadline", "department__order", "task__order"),
    "-deadline": ("-deadline", "department__order", "task__order"),
}


def light_name(value: str) -> str:
    return Light(value).label if value in Light.values else ""
