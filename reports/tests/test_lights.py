"""The traffic light of an assignment, as `assignment_list(today=...)` computes it.

- red: the deadline has passed and the approved report does not say completed;
- green: the approved report says completed (even after the deadline);
- yellow: the deadline is within 30 days, or a reporting period covering today is
  open and nothing has been approved in it;
- green otherwise.

Every test builds its own plan with factories, on a fixed "today".
"""

from datetime import date, timedelta

import pytest

from reports.models import ProgressReport
from reports.selectors import YELLOW_WINDOW_DAYS, Light, assignment_list
from tests.factories import AssignmentFactory, ProgressReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

TODAY = date(2019, 3, 15)
State = ProgressReport.State
Status = ProgressReport.Status


def light(assignment, today=TODAY) -> str:
    return assignment_list(today=today).get(pk=assignment.pk).light


def due_in(days: int):
    return AssignmentFactory(deadline=TODAY + timedelta(days=days))


def report(assignment, *, state=State.APPROVED, status=Status.IN_PROGRESS, percent=50, **kwargs):
    if status == Status.COMPLETED:
        percent = 100
    return ProgressReportFactory(
        assignment=assignment, state=state, status=status, percent=percent, **kwargs
    )


def open_period(assignment, **kwargs):
    return ReportingPeriodFactory(
        plan=assignment.task.plan,
        starts_on=date(2019, 1, 1),
        ends_on=date(2019, 6, 30),
        due_on=date(2019, 7, 15),
        **kwargs,
    )


# --- red -----------------------------------------------------------------------------------


def test_red_when_the_deadline_passed_without_any_report():
    assert light(due_in(-1)) == Light.RED


def test_red_when_the_deadline_passed_and_the_approved_report_is_not_completed():
    assignment = due_in(-10)
    report(assignment, status=Status.IN_PROGRESS, percent=90)

    assert light(assignment) == Light.RED


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.RETURNED])
def test_unapproved_completed_report_does_not_make_it_green(state):
    assignment = due_in(-10)
    report(assignment, state=state, status=Status.COMPLETED)

    assert light(assignment) == Light.RED


def test_red_beats_an_open_period():
    assignment = due_in(-1)
    open_period(assignment)

    assert light(assignment) == Light.RED


def test_red_when_an_older_approved_report_said_completed_but_the_latest_does_not():
    assignment = due_in(-10)
    older = report(assignment, status=Status.COMPLETED)
    newer = report(assignment, status=Status.IN_PROGRESS, percent=80)
    ProgressReport.objects.filter(pk=older.pk).update(
        updated_at=newer.updated_at - timedelta(days=1)
    )

    assert light(assignment) == Light.RED


# --- green ---------------------------------------------------------------------------------


def test_green_when_the_approved_report_is_completed_even_after_the_deadline():
    assignment = due_in(-100)
    report(assignment, status=Status.COMPLETED)

    assert light(assignment) == Light.GREEN


def test_green_when_completed_even_with_the_deadline_near_and_a_period_open():
    assignment = due_in(5)
    open_period(assignment)
    report(assignment, status=Status.COMPLETED)

    assert light(assignment) == Light.GREEN


def test_green_when_the_deadline_is_far_and_no_period_is_open():
    assert light(due_in(YELLOW_WINDOW_DAYS + 1)) == Light.GREEN


def test_green_when_something_was_approved_in_the_open_period():
    assignment = due_in(365)
    period = open_period(assignment)
    report(assignment, period=period)

    assert light(assignment) == Light.GREEN


def test_green_when_the_only_period_is_not_current():
    assignment = due_in(365)
    ReportingPeriodFactory(
        plan=assignment.task.plan,
        starts_on=date(2018, 7, 1),
        ends_on=date(2018, 12, 31),
        due_on=date(2019, 1, 15),
    )

    assert light(assignment) == Light.GREEN


# --- yellow --------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, YELLOW_WINDOW_DAYS])
def test_yellow_when_the_deadline_is_within_30_days(days):
    assert light(due_in(days)) == Light.YELLOW


def test_yellow_when_the_deadline_is_near_even_with_an_approved_unfinished_report():
    assignment = due_in(10)
    report(assignment, status=Status.IN_PROGRESS, percent=90)

    assert light(assignment) == Light.YELLOW


def test_yellow_when_a_period_is_open_and_nothing_is_approved_in_it():
    assignment = due_in(365)
    open_period(assignment)

    assert light(assignment) == Light.YELLOW


def test_yellow_when_the_reports_in_the_open_period_are_not_approved():
    assignment = due_in(365)
    period = open_period(assignment)
    report(assignment, state=State.SUBMITTED, period=period)

    assert light(assignment) == Light.YELLOW


def test_yellow_when_the_approval_was_in_an_earlier_period():
    assignment = due_in(365)
    earlier = ReportingPeriodFactory(
        plan=assignment.task.plan,
        starts_on=date(2018, 7, 1),
        ends_on=date(2018, 12, 31),
        due_on=date(2019, 1, 15),
    )
    open_period(assignment)
    report(assignment, period=earlier)

    assert light(assignment) == Light.YELLOW


def test_a_period_of_another_plan_does_not_matter():
    assignment = due_in(365)
    ReportingPeriodFactory(starts_on=date(2019, 1, 1), ends_on=date(2019, 6, 30))

    assert light(assignment) == Light.GREEN


def test_the_light_moves_with_today():
    assignment = AssignmentFactory(deadline=date(2019, 6, 30))

    assert light(assignment, today=date(2019, 1, 1)) == Light.GREEN
    assert light(assignment, today=date(2019, 6, 1)) == Light.YELLOW
    assert light(assignment, today=date(2019, 7, 1)) == Light.RED
