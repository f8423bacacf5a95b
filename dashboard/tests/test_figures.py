"""GET /api/v1/dashboard/ agrees with figures computed here from the raw rows.

The reference below reads plain rows (assignments, light spans, reports, lines,
findings, reminders) and counts in Python, with none of the dashboard's
selectors; it is compared at two data sizes and for every filter.
"""

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from departments.models import Region
from milestones.models import ChecklistLine, Milestone
from reports.models import LightSpan, ProgressReport, ReportingPeriod
from supervision.models import Finding, Reminder, SignOff
from tasks.models import Assignment, Plan, Task

from .conftest import LARGE, SMALL, api_client_for

pytestmark = pytest.mark.django_db

LIGHTS = ("red", "yellow", "green", "done")


def _end(day):
    return timezone.make_aware(datetime.combine(day, time.max))


def reference(params: dict) -> dict:
    as_of = params.get("as_of")
    day = datetime.fromisoformat(as_of).date() if as_of else timezone.localdate()
    end = _end(day)
    rows = list(
        Assignment.objects.filter(is_active=True).values(
            "pk",
            "role",
            "department_id",
            "department__short_name",
            "department__region_id",
            "department__region__name",
            "task__origin",
            "task__plan_id",
            "task__parent_id",
            "task__parent__kind",
            "task__parent__parent_id",
            "task__parent__parent__kind",
        )
    )
    light = {}
    for span in LightSpan.objects.values("assignment_id", "light", "starts_on", "ends_on"):
        if span["starts_on"] <= day and (span["ends_on"] is None or span["ends_on"] >= day):
            light[span["assignment_id"]] = span["light"]
    reports = list(
        ProgressReport.objects.values(
            "pk", "assignment_id", "state", "status", "reviewed_at", "period_id"
        )
    )
    approved = {}
    for r in sorted(
        (r for r in reports if r["state"] == "approved" and r["reviewed_at"] <= end),
        key=lambda r: (r["reviewed_at"], r["pk"]),
    ):
        approved[r["assignment_id"]] = r["status"]

    def section_of(row):
        if row["task__parent__kind"] == Task.Kind.SECTION:
            return row["task__parent_id"]
        if row["task__parent__parent__kind"] == Task.Kind.SECTION:
            return row["task__parent__parent_id"]
        return None

    def keep(row):
        checks = {
            "plan": row["task__plan_id"],
            "department": row["department_id"],
            "county": row["department__region_id"],
        }
        for name, value in checks.items():
            if name in params and str(value) != str(params[name]):
                return False
        if "section" in params and str(params["section"]) not in (
            str(row["task__parent_id"]),
            str(row["task__parent__parent_id"]),
        ):
            return False
        return "light" not in params or light.get(row["pk"]) == params["light"]

    kept = [r for r in rows if keep(r)]
    plan_rows = [r for r in kept if r["task__origin"] == Task.Origin.PLAN]
    status = Counter(approved.get(r["pk"], "not_started") for r in plan_rows)
    lights = Counter(light[r["pk"]] for r in plan_rows if r["pk"] in light)

    plan = (
        Plan.objects.get(pk=params["plan"])
        if "plan" in params
        else Plan.objects.order_by("-issued_on", "-pk").first()
    )
    if "period" in params:
        period = ReportingPeriod.objects.get(pk=params["period"])
    else:
        period = (
            ReportingPeriod.objects.filter(plan=plan, starts_on__lte=day)
            .order_by("-starts_on")
            .first()
        )
    in_period = defaultdict(set)
    for r in reports:
        if r["period_id"] == period.pk:
            in_period[r["assignment_id"]].add(r["state"])
    reporting = Counter()
    for r in plan_rows:
        states = in_period[r["pk"]]
        state = next(
            (s for s in ("approved", "submitted", "returned", "draft") if s in states), "none"
        )
        reporting[state] += 1

    def grouped(key, name):
        groups = {}
        for r in plan_rows:
            k = key(r)
            if k is None or r["pk"] not in light:
                continue
            g = groups.setdefault(k, {"name": name(r), **dict.fromkeys(LIGHTS, 0), "total": 0})
            g[light[r["pk"]]] += 1
            g["total"] += 1
        return groups

    sections = grouped(section_of, lambda r: None)
    counties = grouped(
        lambda r: r["department__region_id"], lambda r: r["department__region__name"]
    )
    bodies = {
        role: grouped(
            lambda r, role=role: r["department_id"] if r["role"] == role else None,
            lambda r: r["department__short_name"],
        )
        for role in ("lead", "support", "responsible")
    }

    kept_ids = {r["pk"] for r in kept}
    signed = set(SignOff.objects.filter(state="signed").values_list("task_id", flat=True))
    findings = sum(
        1
        for f in Finding.objects.values("assignment_id", "task_id", "created_at")
        if f["assignment_id"] in kept_ids and f["task_id"] not in signed and f["created_at"] <= end
    )
    overdue = 0
    for reminder in Reminder.objects.prefetch_related("assignments"):
        if reminder.reply_by >= day:
            continue
        if as_of:
            open_then = reminder.sent_at <= end and (
                reminder.replied_at is None or reminder.replied_at > end
            )
        else:
            open_then = reminder.state in ("sent", "acknowledged")
        if open_then and any(a.pk in kept_ids for a in reminder.assignments.all()):
            overdue += 1

    # Timeline: per county and dated step, lines confirmed of lines.
    county_filter = params.get("county")
    steps = defaultdict(lambda: [0, 0])
    for line in ChecklistLine.objects.filter(milestone__plan=plan).values(
        "milestone_id", "department__region_id", "state", "confirmed_at"
    ):
        if county_filter and str(line["department__region_id"]) != str(county_filter):
            continue
        cell = steps[(line["department__region_id"], line["milestone_id"])]
        cell[0] += 1
        confirmed = (
            line["confirmed_at"] is not None and line["confirmed_at"] <= end
            if as_of
            else line["state"] == "confirmed"
        )
        cell[1] += confirmed
    due = dict(Milestone.objects.filter(plan=plan).values_list("pk", "due_date"))
    timeline = {
        key: ("done" if done == total else "late" if due[key[1]] < day else "open", total, done)
        for key, (total, done) in steps.items()
    }
    return {
        "total": len(plan_rows),
        "status": {s: status[s] for s in ("not_started", "in_progress", "completed", "blocked")},
        "lights": {light_: lights[light_] for light_ in LIGHTS},
        "reporting": {
            s: reporting[s] for s in ("approved", "submitted", "draft", "returned", "none")
        },
        "sections": {k: {n: v[n] for n in (*LIGHTS, "total")} for k, v in sections.items()},
        "counties": {k: v for k, v in counties.items()},
        "bodies": bodies,
        "open_findings": findings,
        "overdue_reminders": overdue,
        "timeline": timeline,
        "period": period.pk,
    }


def shown(data: dict) -> dict:
    def groups(rows):
        return {r["id"]: {"name": r["name"], **{n: r[n] for n in (*LIGHTS, "total")}} for r in rows}

    return {
        "total": data["total"],
        "status": data["status"],
        "lights": data["lights"],
        "reporting": data["reporting"],
        "sections": {r["id"]: {n: r[n] for n in (*LIGHTS, "total")} for r in data["by_section"]},
        "counties": groups(data["by_county"]["rows"]),
        "bodies": {
            role: groups(data["by_body"][role]["rows"])
            for role in ("lead", "support", "responsible")
        },
        "open_findings": data["open_findings"],
        "overdue_reminders": data["overdue_reminders"],
        "timeline": {
            (c["id"], s["milestone"]): (s["state"], s["total"], s["done"])
            for c in data["timeline"]["counties"]
            for s in c["steps"]
        },
        "period": data["period"]["id"],
    }


def _filters():
    plan = Plan.objects.get(slug="yq-2018-township-service")
    section = Task.objects.get(plan=plan, code="三(二)")
    county = Region.objects.get(name="平定县", kind=Region.Kind.COUNTY)
    from departments.models import Department

    body = Department.objects.get(short_name="市民政局")
    earlier = ReportingPeriod.objects.get(plan=plan, code="2026H1")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    return {
        "none": {},
        "plan": {"plan": plan.pk},
        "section": {"section": section.pk},
        "department": {"department": body.pk},
        "county": {"county": county.pk},
        "light_red": {"light": "red"},
        "light_done": {"light": "done"},
        "light_yellow": {"light": "yellow"},
        "period": {"period": earlier.pk},
        "as_of": {"as_of": yesterday},
        "combined": {"county": county.pk, "light": "red", "section": section.pk},
    }


FILTERS = [
    "none",
    "plan",
    "section",
    "department",
    "county",
    "light_red",
    "light_done",
    "light_yellow",
    "period",
    "as_of",
    "combined",
]


@pytest.mark.parametrize("name", FILTERS)
def test_api_figures_equal_figures_from_raw_rows_at_two_sizes(scene, coordinator, name):
    client = api_client_for(coordinator)
    params = _filters()[name]
    for size in (SMALL, LARGE):
        scene.grow(size)
        response = client.get("/api/v1/dashboard/", params)
        assert response.status_code == 200, response.content
        expected = reference(params)
        assert shown(response.json()) == expected, (name, size)


def test_the_scene_moves_every_figure(scene, coordinator):
    """The comparison above is not between zeros: the data reaches every state counted."""
    scene.grow(LARGE)
    data = api_client_for(coordinator).get("/api/v1/dashboard/").json()
    assert all(data["status"][s] > 0 for s in ("completed", "in_progress", "blocked"))
    assert data["lights"]["done"] > 0 and data["lights"]["red"] > 0
    assert all(v > 0 for v in data["reporting"].values())
    assert data["open_findings"] > 0 and data["overdue_reminders"] > 0
    assert any(s["state"] == "done" for c in data["timeline"]["counties"] for s in c["steps"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"light": "red"},
        {"light": "done", "county": "COUNTY"},
        {"light": "green", "section": "SECTION"},
        {"light": "red", "department": "BODY", "plan": "PLAN"},
    ],
)
def test_lights_match_the_assignment_list_api(scene, coordinator, params):
    """`lights` counts what /api/v1/assignments/?light= lists with the same filters."""
    scene.grow(LARGE)
    ids = _filters()
    values = {
        "COUNTY": ids["county"]["county"],
        "SECTION": ids["section"]["section"],
        "BODY": ids["department"]["department"],
        "PLAN": ids["plan"]["plan"],
    }
    params = {k: values.get(v, v) for k, v in params.items()}
    client = api_client_for(coordinator)
    figures = client.get("/api/v1/dashboard/", params).json()["lights"]
    for light in LIGHTS:
        if params.get("light", light) != light:
            assert figures[light] == 0  # the dashboard narrowed to another light
            continue
        listed = client.get(
            "/api/v1/assignments/",
            {**params, "light": light, "is_active": "true", "origin": "plan", "page_size": 1},
        ).json()["count"]
        assert listed == figures[light], light
    if not params:
        assert figures["done"] > 0 and figures["red"] > 0
