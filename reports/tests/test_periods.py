"""Reporting periods as structure: every report in one half-year, closing carries what is open.

Each test builds its own plan and moves "today" with time_machine, so periods
are created open or closed exactly as the daily job would create them then.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import UserRole
from core.errors import ApplicationError, PermissionDenied
from reports import services
from reports.models import ProgressReport, ReportingPeriod
from tests.factories import AssignmentFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
State = ProgressReport.State


def at(day: date):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=9)))
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def share():
    plan = PlanFactory(starts_on=date(2018, 1, 1), issued_on=date(2018, 11, 9))
    return AssignmentFactory(responsibility__task__plan=plan, deadline=date(2020, 12, 31))


@pytest.fixture
def people(share):
    body = share.department
    return {
        "staff": UserFactory(role=UserRole.STAFF, department=body),
        "reviewer": UserFactory(role=UserRole.REVIEWER, department=body),
        "coordinator": UserFactory(role=UserRole.COORDINATOR, department=None),
    }


def period(share, code) -> ReportingPeriod:
    return ReportingPeriod.objects.get(plan=share.task.plan, code=code)


def test_a_draft_left_in_a_closed_period_no_longer_blocks_the_body(share, people):
    """The reported defect: draft in 2019H1, H1 closed, then the body must report in H2."""
    staff = people["staff"]
    with at(date(2019, 5, 10)):
        services.periods_ensure(plan=share.task.plan)
        draft = services.report_create(
            assignment=share, by=staff, percent=30, status="in_progress", progress="启动试点"
        )
        assert draft.period.code == "2019H1"

    with at(date(2019, 7, 20)):
        services.periods_ensure(plan=share.task.plan)
        carried = services.period_close(period=period(share, "2019H1"), by=people["coordinator"])

        assert len(carried) == 1
        draft.refresh_from_db()
        assert draft.state == State.CARRIED
        successor = carried[0]
        assert (successor.period.code, successor.state) == ("2019H2", State.DRAFT)
        assert (successor.progress, successor.percent) == ("启动试点", 30)
        assert successor.carried_from == draft
        reasons = set(
            ProgressReport.history.filter(id=successor.pk).values_list(
                "history_change_reason", flat=True
            )
        )
        assert "结转自2019年上半年" in reasons
        assert ProgressReport.history.filter(
            id=draft.pk, history_change_reason="报告期关闭，结转至2019年下半年"
        ).exists()

        # The body goes on in H2: edits, submits, and its reviewer approves.
        report = services.report_update(
            report=successor, by=staff, version=successor.version, percent=50, progress="试点推开"
        )
        report = services.report_submit(report=report, by=staff, version=report.version)
        report = services.report_approve(
            report=report, by=people["reviewer"], version=report.version
        )
        assert (report.state, report.period.code, report.percent) == (State.APPROVED, "2019H2", 50)


def test_a_submitted_report_is_carried_still_submitted_so_the_reviewer_finds_it(share, people):
    with at(date(2019, 6, 20)):
        services.periods_ensure(plan=share.task.plan)
        report = services.report_create(assignment=share, by=people["staff"], progress="已部署")
        services.report_submit(report=report, by=people["staff"])
    with at(date(2019, 7, 11)):
        closed = services.periods_close_due()
        assert [p.code for p in closed][-1] == "2019H1"
        successor = ProgressReport.objects.get(carried_from=report)
        assert successor.state == State.SUBMITTED and successor.period.code == "2019H2"
        approved = services.report_approve(report=successor, by=people["reviewer"])
        assert approved.state == State.APPROVED


def test_between_a_half_years_end_and_its_deadline_reports_still_go_to_that_half_year(
    share, people
):
    with at(date(2019, 7, 5)):
        services.periods_ensure(plan=share.task.plan)
        report = services.report_create(assignment=share, by=people["staff"], progress="上半年工作")
        assert report.period.code == "2019H1"
    with at(date(2019, 7, 15)):
        assert services.period_for(plan_id=share.task.plan_id).code == "2019H2"


def test_one_open_report_per_assignment_and_period(share, people):
    with at(date(2019, 5, 10)):
        services.periods_ensure(plan=share.task.plan)
        services.report_create(assignment=share, by=people["staff"], progress="第一份")
        with pytest.raises(ApplicationError, match="已有一份未审核的填报"):
            services.report_create(assignment=share, by=people["staff"], progress="第二份")


def test_approve_and_return_respect_the_lock(share, people):
    with at(date(2019, 5, 10)):
        services.periods_ensure(plan=share.task.plan)
        report = services.report_create(assignment=share, by=people["staff"], progress="已部署")
        report = services.report_submit(report=report, by=people["staff"])
        ReportingPeriod.objects.filter(pk=report.period_id).update(is_locked=True)
        with pytest.raises(ApplicationError, match="已关闭"):
            services.report_approve(report=report, by=people["reviewer"])
        with pytest.raises(ApplicationError, match="已关闭"):
            services.report_return(report=report, by=people["reviewer"], reason="补充")
        report.refresh_from_db()
        assert report.state == State.SUBMITTED


def test_reopening_needs_a_coordinator_and_a_reason_and_is_in_the_history(share, people):
    with at(date(2019, 8, 1)):
        services.periods_ensure(plan=share.task.plan)
        h1 = period(share, "2019H1")
        assert h1.is_locked  # created after its deadline: closed
        with pytest.raises(PermissionDenied):
            services.period_reopen(period=h1, by=people["reviewer"], reason="补报")
        with pytest.raises(ValidationError):
            services.period_reopen(period=h1, by=people["coordinator"], reason="  ")
        services.period_reopen(period=h1, by=people["coordinator"], reason="平定县补报")
        h1.refresh_from_db()
        assert not h1.is_locked
        record = ReportingPeriod.history.filter(id=h1.pk).order_by("-history_id").first()
        assert record.history_user == people["coordinator"]
        assert record.history_change_reason == "重新开放：平定县补报"


def test_periods_cover_the_plan_from_its_start_and_past_ones_are_created_closed(share):
    with at(date(2019, 5, 10)):
        created = services.periods_ensure(plan=share.task.plan)
        assert [(p.code, p.is_locked) for p in created] == [
            ("2018H1", True),
            ("2018H2", True),
            ("2019H1", False),
        ]
        assert period(share, "2019H1").due_on == date(2019, 7, 10)
        assert services.periods_ensure(plan=share.task.plan) == []
