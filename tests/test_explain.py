"""Every list the API and the main pages offer reads large tables by index, at a size where it matters.

Loads the national-shaped generator at a few thousand assignments
(`load_scale`), runs ANALYZE, calls each list (every ordering and filter the API
offers) through the test client while capturing its SQL, and EXPLAINs each
statement: a sequential scan of a large table fails the test, naming the query.

PostgreSQL only: SQLite's planner says nothing about PostgreSQL's. CI runs the
suite on PostgreSQL (DATABASE_URL), so this test runs there.
"""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import UserRole
from departments.models import Department, Region
from reports.models import ProgressReport
from tasks.models import Assignment, Task
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="EXPLAIN plans are PostgreSQL's; CI runs this on PostgreSQL (DATABASE_URL)",
    ),
]

COUNTIES = 260  # × 8 shares each: ~2,200 assignments, ~14,000 reports, ~45,000 history rows
LARGE_ROWS = 2000  # a table with more rows than this must not be read whole


def _large_tables() -> dict[str, float]:
    """Tables with more than LARGE_ROWS rows (by the statistics ANALYZE just took), and their size."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s "
            "AND relnamespace = 'public'::regnamespace",
            [LARGE_ROWS],
        )
        return dict(cursor.fetchall())


SELECTIVE = 0.1  # a filter keeping under a tenth of a table wants an index (above, a scan is right)
PASS_THROUGH = {"Gather", "Gather Merge", "Hash", "Materialize", "Memoize"}


def _first_scan(plan: dict) -> dict:
    """The node that drives a subtree: follow the outer (first) child through joins."""
    while plan.get("Plans") and plan["Node Type"] not in ("Seq Scan", "Index Scan"):
        plan = plan["Plans"][0]
    return plan


def _main_table(sql: str) -> str:
    """The table a query lists (the first after FROM)."""
    return sql.split(' FROM "', 1)[1].split('"', 1)[0] if ' FROM "' in sql else ""


def _seq_scans(
    plan: dict, large: dict[str, float], *, main: str = "", under_limit: bool = False
) -> list[str]:
    """Sequential scans of large tables that an index should have replaced.

    - a scan that filters a large table down to a small share of its rows: the
      filter wants an index (a filter keeping most rows is rightly a scan);
    - under a LIMIT, a sort driven by a whole-table scan of the table the query
      lists: the page's ordering wants an index (the first page must not sort
      the whole table).
    A whole-table scan that feeds a count or a hash join of everything is what
    reading everything costs, not a missing index.
    """
    found = []
    kind = plan.get("Node Type")
    if kind == "Seq Scan" and plan["Relation Name"] in large:
        rows = large[plan["Relation Name"]]
        if "Filter" in plan and plan.get("Plan Rows", rows) < SELECTIVE * rows:
            found.append(f"{plan['Relation Name']} filtered by {plan['Filter']}")
    if under_limit and kind in ("Sort", "Incremental Sort"):
        driver = _first_scan(plan)
        if driver.get("Node Type") == "Seq Scan" and driver["Relation Name"] in large:
            driver_is_main = driver["Relation Name"] == main
            if driver_is_main:
                found.append(f"{driver['Relation Name']} read whole to sort a page")
    for child in plan.get("Plans", []):
        found.extend(
            _seq_scans(child, large, main=main, under_limit=under_limit or kind == "Limit")
        )
    return found


def _explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def _urls() -> list[tuple[str, str]]:
    """(who, url): every list of the API with each ordering and filter it offers, and the pages."""
    clause = Task.objects.get(code="三(二)1-1")  # given to every county government
    county_body = Department.objects.filter(short_name__endswith="（模拟）").order_by("pk").first()
    assignment = Assignment.objects.filter(department=county_body).order_by("pk").first()
    report = ProgressReport.objects.filter(assignment=assignment).order_by("pk").first()
    county = county_body.region
    a, r = "/api/v1/assignments/", "/api/v1/progress-reports/"
    return [
        ("coordinator", a),
        ("coordinator", f"{a}?department={county_body.pk}"),
        ("coordinator", f"{a}?task={clause.pk}"),
        ("coordinator", f"{a}?light=red"),
        ("coordinator", f"{a}?light=done&task={clause.pk}"),
        ("coordinator", f"{a}?role=responsible"),
        ("coordinator", f"{a}?is_active=false"),
        ("coordinator", f"{a}?as_of=2019-06-30&light=red"),
        ("staff", f"{a}?mine=true"),
        ("coordinator", f"{a}{assignment.pk}/"),
        ("coordinator", r),
        ("coordinator", f"{r}?state=submitted"),
        ("coordinator", f"{r}?period=2019H1"),
        ("coordinator", f"{r}?assignment={assignment.pk}"),
        ("coordinator", f"{r}?assignment__task={clause.pk}"),
        ("coordinator", f"{r}?assignment__department={county_body.pk}"),
        ("coordinator", f"{r}?as_of=2019-06-30"),
        ("staff", f"{r}?mine=true"),
        ("coordinator", f"{r}{report.pk}/"),
        ("coordinator", "/api/v1/departments/"),
        ("coordinator", f"/api/v1/departments/?region={county.pk}"),
        ("coordinator", "/api/v1/departments/?kind=county_government"),
        ("coordinator", "/api/v1/regions/"),
        ("coordinator", f"/api/v1/regions/?parent={county.pk}"),
        ("coordinator", "/api/v1/regions/?kind=town"),
        ("coordinator", "/api/v1/tasks/?page_size=200"),
        ("coordinator", f"/api/v1/tasks/?department={county_body.pk}"),
        ("coordinator", "/api/v1/checklist-lines/"),
        ("coordinator", "/api/v1/reminders/"),
        ("coordinator", "/api/v1/notifications/"),
        ("coordinator", "/"),
        ("staff", "/"),
        ("coordinator", f"/tasks/{clause.pk}/"),
        ("coordinator", f"/tasks/{clause.pk}/?light=red"),
        ("coordinator", "/plan/"),
        ("staff", f"/assignments/{assignment.pk}/"),
    ]


def test_no_list_reads_a_large_table_whole_at_national_shape():
    call_command("load_scale", counties=COUNTIES, verbosity=0)
    county_body = Department.objects.filter(short_name__endswith="（模拟）").order_by("pk").first()
    users = {
        "coordinator": UserFactory(
            role=UserRole.COORDINATOR, department=Department.objects.get(short_name="市民政局")
        ),
        "staff": UserFactory(role=UserRole.STAFF, department=county_body),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large = _large_tables()
    assert {"tasks_assignment", "reports_progressreport", "reports_lightspan"} <= set(large)
    assert Region.objects.filter(code__startswith="99").count() > COUNTIES * 10
    problems = []
    for who, url in _urls():
        client = APIClient()
        client.force_login(users[who])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            scanned = _seq_scans(_explain(sql), large, main=_main_table(sql))
            if scanned:
                problems.append(f"{who} {url}: Seq Scan of {'; '.join(scanned)}\n  {sql[:400]}")
    assert not problems, "\n".join(problems)
