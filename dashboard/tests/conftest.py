"""Fixtures for the dashboard tests: the reporting tests' people, and a plan that grows.

`Scene.grow(n)` takes the first n active assignments of the real plan (in a
fixed order spread over bodies and counties) through the report services into
every state the dashboard counts, confirms some checklist lines, records a
finding and sends reminders, so that every figure moves as the data grows.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import UserRole
from departments.models import Department
from milestones.models import ChecklistLine, LineState
from reports import services as report_services
from reports.models import ProgressReport
from reports.tests import conftest as reporting
from reports.tests.conftest import (  # noqa: F401  (helpers for the tests here)
    ROLES,
    api_client_for,
    browser_for,
    department,
    rolled_back,
)
from supervision import services as supervision_services
from supervision.models import Reminder
from tasks.models import Assignment, Task
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityFactory,
    TaskFactory,
    UserFactory,
)

_media_root = reporting._media_root
assignment = reporting.assignment
body = reporting.body
clause = reporting.clause
coordinator = reporting.coordinator
member = reporting.member
other_body = reporting.other_body
other_reviewer = reporting.other_reviewer
other_staff = reporting.other_staff
reviewer = reporting.reviewer
users = reporting.users
viewer = reporting.viewer

SMALL, LARGE = 4, 16


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


class Scene:
    """Reports, confirmed checklist lines, findings and reminders, added n at a time."""

    def __init__(self, coordinator):
        self.coordinator = coordinator
        # Every third assignment of the plan: many bodies, sections and counties.
        self.shares = list(
            Assignment.objects.filter(is_active=True, task__origin=Task.Origin.PLAN)
            .select_related("task", "department")
            .order_by("pk")
        )[::3]
        self.done = 0
        self.people = {}
        self.lines = list(ChecklistLine.objects.order_by("pk"))
        self.findings = 0

    def _pair(self, body):
        if body.pk not in self.people:
            self.people[body.pk] = (
                UserFactory(role=UserRole.STAFF, department=body),
                UserFactory(role=UserRole.REVIEWER, department=body),
            )
        return self.people[body.pk]

    def _report(self, share, *, state, **fields):
        staff, reviewer = self._pair(share.department)
        values = {"status": "in_progress", "percent": 40, "progress": "已推进", **fields}
        report = report_services.report_create(assignment=share, by=staff, **values)
        if state == "draft":
            return report
        report = report_services.report_submit(report=report, by=staff, version=report.version)
        if state == "submitted":
            return report
        if state == "returned":
            return report_services.report_return(
                report=report, by=reviewer, reason="请补充材料", version=report.version
            )
        return report_services.report_approve(report=report, by=reviewer, version=report.version)

    def grow(self, n: int) -> None:
        while self.done < n:
            i = self.done
            share = self.shares[i]
            kind = i % 6
            if kind == 0:
                self._report(
                    share, state="approved", status="completed", percent=100, problems="无"
                )
            elif kind == 1:
                self._report(share, state="approved", status="in_progress", percent=60)
            elif kind == 2:
                self._report(
                    share, state="approved", status="blocked", percent=10, problems="经费不足"
                )
            elif kind == 3:
                self._report(share, state="submitted")
            elif kind == 4:
                self._report(share, state="returned")
            else:
                self._report(share, state="draft")
            line = self.lines[i % len(self.lines)]
            if i % 2 == 0 and line.state != LineState.CONFIRMED:
                ChecklistLine.objects.filter(pk=line.pk).update(
                    state=LineState.CONFIRMED,
                    completed_on=line.milestone.due_date - timedelta(days=3),
                    reported_at=timezone.now(),
                    confirmed_at=timezone.now(),
                )
            if i % 4 == 0:
                self._finding(share.department)
            if i % 2 == 1:
                self._new_county_body(i)
            if i % 3 == 0:
                reminder = supervision_services.reminder_send(
                    department=share.department,
                    assignments=[share],
                    message="请报送进展",
                    reply_by=in_days(3),
                    by=self.coordinator,
                )
                if i % 2 == 0:  # past its reply-by date, unanswered
                    Reminder.objects.filter(pk=reminder.pk).update(reply_by=in_days(-2))
            self.done += 1
        report_services.lights_refresh(stale_only=True)

    def _new_county_body(self, i):
        """A new county, its government, and a new work item it answers for: the plan grows."""
        region = RegionFactory()
        body = DepartmentFactory(kind=Department.Kind.COUNTY_GOVERNMENT, region=region)
        role = ("lead", "support", "responsible")[(i // 2) % 3]
        task = TaskFactory(plan=self.shares[0].task.plan, due_date=in_days(200))
        AssignmentFactory(
            responsibility=ResponsibilityFactory(task=task, department=body, role=role),
            deadline=in_days(200),
        )

    def _finding(self, body):
        plan = self.shares[0].task.plan
        supervision_services.inspection_record(
            plan=plan,
            inspected_on=timezone.localdate(),
            inspectors="督查组",
            by=self.coordinator,
            findings=[
                {
                    "text": f"台账不全{self.findings}",
                    "department": body,
                    "deadline": in_days(30),
                }
            ],
        )
        self.findings += 1


@pytest.fixture
def scene(coordinator):
    return Scene(coordinator)


def approved_count() -> int:
    return ProgressReport.objects.filter(state=ProgressReport.State.APPROVED).count()
