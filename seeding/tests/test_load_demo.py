"""load_demo: marked demo reports from every body, varied, idempotent, never in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from reports.models import AssignmentProgress, LightSpan, ProgressReport
from reports.services import lights_refresh
from seeding.services import DEMO_PERIODS, DEMO_PREFIX
from summaries.similarity import looks_copied
from tasks.models import Assignment

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
State = ProgressReport.State


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return ProgressReport.objects.filter(progress__startswith=DEMO_PREFIX)


def _history_count():
    return ProgressReport.history.model.objects.count()


def test_running_load_demo_twice_adds_nothing(demo):
    reports, history = demo.count(), _history_count()
    assert reports > 0
    call_command("load_demo", verbosity=0)
    assert demo.count() == reports
    assert _history_count() == history


def test_every_body_with_an_assignment_gets_demo_reports(demo):
    bodies = set(Assignment.objects.values_list("department_id", flat=True))
    reporting = set(demo.values_list("assignment__department_id", flat=True))
    assert bodies and bodies == reporting
    # … on each of its assignments, in the demo half-years only
    assert set(demo.values_list("assignment_id", flat=True)) == set(
        Assignment.objects.values_list("pk", flat=True)
    )
    assert set(demo.values_list("period__code", flat=True)) <= set(DEMO_PERIODS)
    assert (
        demo.filter(period__code="2018H2").exists() and demo.filter(period__code="2020H2").exists()
    )


def test_demo_reports_are_varied_late_returned_blocked_carried(demo):
    late = [
        r
        for r in demo.select_related("period")
        if r.submitted_at and r.submitted_at.date() > r.period.due_on
    ]
    assert late
    assert demo.filter(status=ProgressReport.Status.BLOCKED).exists()
    assert demo.filter(state=State.CARRIED).exists()
    assert demo.filter(carried_from__isnull=False).exists()
    returned_once = ProgressReport.history.model.objects.filter(
        id__in=demo.values("pk"), state=State.RETURNED
    )
    assert returned_once.exists()


def test_some_demo_reports_copy_the_previous_half_year_as_summaries_see_it(demo):
    approved = {
        (r.assignment_id, r.period.code): r.progress
        for r in demo.filter(state=State.APPROVED).select_related("period")
    }
    pairs = list(zip(DEMO_PERIODS, DEMO_PERIODS[1:], strict=False))
    copied = [
        (a, now)
        for (a, code), text in approved.items()
        for before, now in pairs
        if code == now and (a, before) in approved and looks_copied(text, approved[(a, before)])
    ]
    assert len(copied) >= 5


def test_each_report_history_follows_its_steps(demo):
    returned_ids = set(
        ProgressReport.history.model.objects.filter(
            id__in=demo.filter(state=State.APPROVED).values("pk"), state=State.RETURNED
        ).values_list("id", flat=True)
    )
    report = demo.get(pk=min(returned_ids))
    steps = list(report.history.order_by("history_date", "history_id"))
    assert [s.state for s in steps] == [
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.SUBMITTED,
        State.APPROVED,
    ]
    assert [s.version for s in steps] == [1, 2, 3, 4, 5] and report.version == 5
    assert steps[0].history_type == "+" and steps[-1].history_user_id == report.reviewed_by_id
    assert steps[-1].history_date == report.reviewed_at


def test_stored_progress_and_lights_are_what_the_services_compute(demo):
    for progress in AssignmentProgress.objects.filter(assignment__reports__in=demo).distinct():
        reports = ProgressReport.objects.filter(assignment_id=progress.assignment_id)
        latest = reports.order_by("-updated_at", "-pk").first()
        approved = reports.filter(state=State.APPROVED).order_by("-reviewed_at", "-pk").first()
        assert progress.latest_report_id == latest.pk
        assert progress.approved_report_id == (approved.pk if approved else None)
    spans = list(
        LightSpan.objects.order_by("assignment_id", "starts_on").values_list(
            "assignment_id", "light", "starts_on", "ends_on"
        )
    )
    assert {light for _a, light, _s, _e in spans} >= {"red", "done"}
    lights_refresh(assignment_ids=Assignment.objects.values_list("pk", flat=True))
    assert spans == list(
        LightSpan.objects.order_by("assignment_id", "starts_on").values_list(
            "assignment_id", "light", "starts_on", "ends_on"
        )
    )


def test_load_demo_refused_when_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("load_demo", verbosity=0)
    assert not ProgressReport.objects.exists()


def test_production_settings_refuse_demo_data():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yangquan_tracker.settings.production",
        "IGNORE_DOTENV": "true",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite://:memory:",
        "DEMO_DATA_ALLOWED": "true",  # even asked for, production says no
    }
    for command in (["load_demo"], ["load_scale", "--counties", "1"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode != 0
        assert "DEMO_DATA_ALLOWED" in done.stderr, done.stderr


def test_demo_reports_counted_by_state_cover_approved_and_carried(demo):
    states = dict(demo.values_list("state").annotate(n=Count("pk")))
    assert states[State.APPROVED] > states.get(State.CARRIED, 0) > 0
