"""The scheduled jobs: their schedules in django-celery-beat, 催报, light notices, closed periods.

The clock is frozen with time_machine (Asia/Shanghai).
"""

from datetime import date, datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from accounts.models import UserRole
from notifications.models import Notification
from reports import services
from reports.models import ProgressReport, ReportingPeriod
from tests.factories import AssignmentFactory, PlanFactory, UserFactory

from .conftest import api_client_for, browser_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(moment: str):
    return time_machine.travel(datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI), tick=False)


# --- Schedules -------------------------------------------------------------------------------


def test_ensure_schedules_creates_the_defaults_once_and_keeps_the_bureaus_changes():
    call_command("ensure_schedules", verbosity=0)
    daily = PeriodicTask.objects.get(name="reports.daily")
    assert daily.task == "reports.tasks.reports_daily_task" and daily.enabled
    daily.enabled = False
    daily.save()

    call_command("ensure_schedules", verbosity=0)

    assert not PeriodicTask.objects.get(name="reports.daily").enabled
    assert PeriodicTask.objects.filter(name="reports.daily").count() == 1


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("reports.daily", "2019-07-11 00:09:30", "2019-07-11 00:10:05"),
        ("reports.report_due_reminders", "2019-07-03 07:59:00", "2019-07-03 08:00:10"),
        ("summaries.generate_due", "2019-07-11 00:29:00", "2019-07-11 00:30:10"),
    ],
)
def test_each_job_is_due_at_its_time_of_day(name, before, after):
    call_command("ensure_schedules", verbosity=0)
    schedule = PeriodicTask.objects.get(name=name).schedule
    yesterday = datetime.fromisoformat(after).replace(tzinfo=SHANGHAI) - timedelta(days=1)

    with at(before):
        assert not schedule.is_due(yesterday).is_due
    with at(after):
        assert schedule.is_due(yesterday).is_due


# --- 催报 ---------------------------------------------------------------------------------------


@pytest.fixture
def two_bodies():
    """Two bodies with a share each of a plan whose 2019H1 is open; one will have reported."""
    plan = PlanFactory(starts_on=date(2019, 1, 1), issued_on=date(2019, 1, 1))
    with at("2019-06-01 09:00:00"):
        services.periods_ensure(plan=plan)
    diligent = AssignmentFactory(responsibility__task__plan=plan)
    silent = AssignmentFactory(responsibility__task__plan=plan)
    people = {
        "diligent": UserFactory(role=UserRole.STAFF, department=diligent.department),
        "silent": UserFactory(role=UserRole.STAFF, department=silent.department),
        "silent_reviewer": UserFactory(role=UserRole.REVIEWER, department=silent.department),
    }
    with at("2019-06-20 10:00:00"):
        report = services.report_create(
            assignment=diligent, by=people["diligent"], progress="已部署"
        )
        services.report_submit(report=report, by=people["diligent"])
    return people


def _due_notices(user):
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.REPORT_DUE)


def test_report_reminders_reach_exactly_the_bodies_without_a_report_once_per_day(two_bodies):
    with at("2019-07-03 08:00:00"):  # 2019H1 is due 2019-07-10: seven days to go
        services.report_due_reminders()
        services.report_due_reminders()  # beat fired twice: nobody hears twice

    assert _due_notices(two_bodies["silent"]).count() == 1
    assert _due_notices(two_bodies["silent_reviewer"]).count() == 1
    assert not _due_notices(two_bodies["diligent"]).exists()
    notice = _due_notices(two_bodies["silent"]).get()
    assert "还有7天" in notice.title

    with at("2019-07-05 08:00:00"):  # not a reminder day (7, 3, 1 days before)
        services.report_due_reminders()
    assert _due_notices(two_bodies["silent"]).count() == 1
    with at("2019-07-07 08:00:00"):  # three days before: reminded again
        services.report_due_reminders()
    assert _due_notices(two_bodies["silent"]).count() == 2


# --- The daily round ---------------------------------------------------------------------------


def test_the_daily_round_closes_due_periods_and_tells_bodies_whose_light_turned(two_bodies):
    silent = two_bodies["silent"]
    with at("2019-07-11 00:10:00"):
        result = services.reports_daily()
    assert result["periods_closed"] >= 1
    silent_plan = ReportingPeriod.objects.filter(
        plan__tasks__assignments__department=silent.department, code="2019H1"
    ).distinct()
    assert silent_plan.get().is_locked
    lights = Notification.objects.filter(recipient=silent, kind=Notification.Kind.LIGHT)
    # Green until the 2019H1 deadline passed without an approved report: yellow.
    assert lights.count() == 1
    assert "黄灯或红灯" in lights.get().title
    with at("2019-07-11 00:10:00"):
        services.reports_daily()
    assert lights.count() == 1


# --- Closed periods refuse new and changed reports, in the page and the API -------------------


def test_a_closed_period_refuses_changes_in_the_page_and_the_api(assignment, make_report, member):
    report = make_report(assignment, by=member, progress="报告期内的草稿")
    ReportingPeriod.objects.filter(pk=report.period_id).update(is_locked=True)

    api = api_client_for(member).patch(
        f"/api/v1/progress-reports/{report.pk}/",
        {"version": report.version, "progress": "关闭后修改"},
        format="json",
    )
    page = browser_for(member).post(
        f"/assignments/{assignment.pk}/",
        {
            "version": report.version,
            "status": "in_progress",
            "percent": 40,
            "progress": "关闭后修改",
            "action": "save",
        },
    )
    created = api_client_for(member).post(
        "/api/v1/progress-reports/",
        {"assignment": assignment.pk, "progress": "新的"},
        format="json",
    )

    # A well-formed change the period's state refuses: a conflict, not bad input.
    assert api.status_code == HTTPStatus.CONFLICT and "已关闭" in api.json()["detail"]
    assert page.status_code == HTTPStatus.CONFLICT and "已关闭" in page.content.decode()
    assert created.status_code == HTTPStatus.CONFLICT
    report.refresh_from_db()
    assert report.progress == "报告期内的草稿"
    assert ProgressReport.objects.filter(assignment=assignment).count() == 1
