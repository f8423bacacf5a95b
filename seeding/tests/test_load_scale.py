"""load_scale: synthetic counties shaped like the real ones, marked, in bounded queries."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from departments.models import Department, Region
from reports.models import AssignmentProgress, LightSpan, ProgressReport
from seeding.services import SYNTHETIC_MARK, scale_load
from tasks.models import Assignment, Responsibility

pytestmark = pytest.mark.django_db
State = ProgressReport.State


def _synthetic_assignments():
    return Assignment.objects.filter(department__short_name__endswith=SYNTHETIC_MARK)


def test_each_synthetic_county_is_marked_with_towns_bodies_and_collective_shares(plan):
    call_command("load_scale", counties=3, verbosity=0)
    counties = Region.objects.filter(kind=Region.Kind.COUNTY, code__startswith="99")
    assert counties.count() == 3
    assert all(
        c.name.endswith(SYNTHETIC_MARK) and c.parent.code == "990000000000" for c in counties
    )
    for county in counties:
        towns = county.children.filter(kind=Region.Kind.TOWN)
        assert 12 <= towns.count() <= 16
        assert all(
            t.code.startswith(county.code[:6]) and t.name.endswith(SYNTHETIC_MARK) for t in towns
        )
        bodies = Department.objects.filter(region=county)
        assert {b.kind for b in bodies} == {
            Department.Kind.COUNTY_GOVERNMENT,
            Department.Kind.COUNTY_PARTY_COMMITTEE,
        }
    # Like a real county: one share per clause a collective wording is given.
    collective = Responsibility.objects.filter(task__plan=plan, department__kind="collective")
    real_county = Department.objects.get(short_name="平定县人民政府")
    real_shares = Assignment.objects.filter(department__region=real_county.region).count()
    assert real_shares == collective.count()
    assert _synthetic_assignments().count() == 3 * collective.count()
    for a in _synthetic_assignments().select_related("responsibility__department", "department"):
        assert a.responsibility.department.members.filter(pk=a.department_id).exists()
        a.full_clean()  # what the services would accept


def test_synthetic_reports_cover_every_state_with_history_progress_and_lights():
    call_command("load_scale", counties=6, verbosity=0)
    reports = ProgressReport.objects.filter(assignment__in=_synthetic_assignments())
    states = set(reports.values_list("state", flat=True).distinct())
    assert {State.APPROVED, State.CARRIED, State.DRAFT, State.SUBMITTED} <= states
    assert reports.values("period").distinct().count() >= 10
    history = ProgressReport.history.model.objects.filter(id__in=reports.values("pk"))
    # Every state is reached in the data's life: returned ones mostly were fixed and
    # approved later (the open period's few returned rows are left to chance).
    assert set(history.values_list("state", flat=True).distinct()) == set(State.values)
    assert history.count() > 2 * reports.count()
    assert not history.filter(history_type="+").values("id").annotate(n=Count("pk")).filter(n__gt=1)
    assignments = _synthetic_assignments()
    assert (
        AssignmentProgress.objects.filter(assignment__in=assignments).count() == assignments.count()
    )
    assert LightSpan.objects.filter(assignment__in=assignments, ends_on__isnull=True).count() == (
        assignments.count()
    )
    progress = AssignmentProgress.objects.filter(assignment__in=assignments).select_related(
        "latest_report"
    )
    for row in progress:
        if row.latest_report is not None:
            newest = reports.filter(assignment_id=row.assignment_id).order_by("-updated_at", "-pk")
            assert row.latest_report_id == newest.first().pk


def test_running_again_adds_only_the_missing_counties():
    call_command("load_scale", counties=2, verbosity=0)
    before = _synthetic_assignments().count()
    call_command("load_scale", counties=2, verbosity=0)
    assert _synthetic_assignments().count() == before
    call_command("load_scale", counties=3, verbosity=0)
    assert _synthetic_assignments().count() == before * 3 // 2


def _statements(captured: CaptureQueriesContext, *, inserts: bool) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT") == inserts]


def test_query_count_does_not_grow_with_the_counties_of_a_batch():
    scale_load(counties=0)  # the synthetic city and the accounts
    with CaptureQueriesContext(connection) as small:
        scale_load(counties=2)
    with CaptureQueriesContext(connection) as large:
        scale_load(counties=2 + 9)
    # No statement per county or per row: reads and updates are the same in number.
    assert len(_statements(small, inserts=False)) == len(_statements(large, inserts=False))
    if connection.vendor == "sqlite":
        # SQLite takes at most 999 parameters per statement, so Django splits a bulk
        # insert into chunks: more rows, more INSERTs, each of many rows.
        inserted_tables = {sql.split()[2] for sql in _statements(large, inserts=True)}
        assert inserted_tables == {sql.split()[2] for sql in _statements(small, inserts=True)}
        assert len(_statements(large, inserts=True)) < 3 * len(_statements(small, inserts=True))
    else:
        assert len(small) == len(large)


def test_load_scale_refused_when_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("load_scale", counties=1, verbosity=0)
    assert not Region.objects.filter(code__startswith="99").exists()
