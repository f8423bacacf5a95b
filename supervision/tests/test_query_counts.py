"""The supervision lists cost the same number of queries at 3 rows as at 15."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import UserRole
from milestones import services as milestone_services
from milestones.models import ChecklistLine
from reports.tests.test_query_counts import LARGE, SMALL, _queries
from supervision import services
from supervision.models import Reminder, SignOff
from tasks.models import Assignment, Task
from tests.factories import UserFactory

from .conftest import api_client_for, browser_for, in_days, pdf_upload

pytestmark = pytest.mark.django_db


def _assert_constant(measure, grow, sizes=(SMALL, LARGE)) -> None:
    grow(sizes[0])
    small, _sql = measure()
    grow(sizes[1])
    large, large_sql = measure()
    assert small == large, "\n".join(large_sql)


class Reminders:
    """Reminders to 市编办, each about two of its shares, some acknowledged or answered."""

    def __init__(self, coordinator, body, member):
        self.coordinator, self.member = coordinator, member
        self.shares = list(Assignment.objects.filter(department=body, is_active=True)[:2])
        self.sent = []

    def grow(self, to: int) -> None:
        while len(self.sent) < to:
            reminder = services.reminder_send(
                department=self.shares[0].department,
                assignments=self.shares,
                message=f"催办{len(self.sent)}",
                reply_by=in_days(3),
                by=self.coordinator,
            )
            if len(self.sent) % 3 == 1:
                services.reminder_acknowledge(reminder=reminder, by=self.member)
            elif len(self.sent) % 3 == 2:
                services.reminder_reply(reminder=reminder, by=self.member, reply="已办")
            if len(self.sent) % 2:
                # Past its reply-by date (the service refuses a past date: set it afterwards).
                Reminder.objects.filter(pk=reminder.pk).update(reply_by=in_days(-1))
            self.sent.append(reminder)


@pytest.fixture
def reminders(coordinator, body, member):
    return Reminders(coordinator, body, member)


@pytest.mark.parametrize("url", ["/reminders/", "/reminders/?state=overdue", "/"])
def test_reminder_pages_are_constant(reminders, coordinator, member, url):
    client = browser_for(member if url == "/" else coordinator)

    def measure():
        result = _queries(client, url)
        context = client.get(url).context
        listed = context["page"] if "page" in context else context.get("reminders")
        assert listed is None or len(listed) > 0
        return result

    _assert_constant(measure, reminders.grow)


def test_reminder_list_api_is_constant(reminders, coordinator):
    client = api_client_for(coordinator)

    def measure():
        result = _queries(client, "/api/v1/reminders/?page_size=100")
        assert client.get("/api/v1/reminders/").json()["count"] == len(reminders.sent)
        return result

    _assert_constant(measure, reminders.grow)


def test_new_reminder_page_is_constant_in_the_number_of_shares(coordinator):
    shares = list(Assignment.objects.filter(is_active=True).order_by("pk")[:LARGE])
    client = browser_for(coordinator)
    size = {"n": 0}

    def measure():
        ids = ",".join(str(a.pk) for a in shares[: size["n"]])
        result = _queries(client, f"/reminders/new/?assignments={ids}")
        assert (
            len(client.get(f"/reminders/new/?assignments={ids}").context["candidates"]) == size["n"]
        )
        return result

    _assert_constant(measure, lambda n: size.update(n=n))


def test_reminder_detail_is_constant_in_the_number_of_shares(coordinator, body, member):
    shares = list(Assignment.objects.filter(department=body, is_active=True).order_by("pk"))
    assert len(shares) == 6  # 市编办's shares of the plan
    client = browser_for(member)
    made = {}

    def grow(n):
        made["reminder"] = services.reminder_send(
            department=body,
            assignments=shares[:n],
            message="催办",
            reply_by=in_days(3),
            by=coordinator,
        )
        services.reminder_acknowledge(reminder=made["reminder"], by=member)

    _assert_constant(
        lambda: _queries(client, f"/reminders/{made['reminder'].pk}/"), grow, sizes=(1, 6)
    )


class Findings:
    """One inspection with findings for several bodies; some closed."""

    def __init__(self, plan, coordinator):
        self.coordinator = coordinator
        self.inspection = services.inspection_record(
            plan=plan, inspected_on=timezone.localdate(), inspectors="王督查", by=coordinator
        )
        self.bodies = list(
            Assignment.objects.filter(task__plan=plan)
            .values_list("department", flat=True)
            .distinct()
            .order_by("department")
        )
        self.count = 0

    def grow(self, to: int) -> None:
        from departments.models import Department

        while self.count < to:
            finding = services.finding_add(
                inspection=self.inspection,
                text=f"问题{self.count}",
                department=Department.objects.get(pk=self.bodies[self.count]),
                deadline=in_days(40 + self.count),
                by=self.coordinator,
            )
            if self.count % 2:
                # Closed (signed off) without going through a report: only the rows matter here.
                SignOff.objects.create(
                    task=finding.task,
                    state=SignOff.State.SIGNED,
                    signed_by=self.coordinator,
                    signed_at=timezone.now(),
                )
            self.count += 1


@pytest.fixture
def findings(plan, coordinator):
    return Findings(plan, coordinator)


def test_inspection_detail_page_is_constant(findings, coordinator):
    client = browser_for(coordinator)

    def measure():
        url = f"/inspections/{findings.inspection.pk}/"
        result = _queries(client, url)
        assert len(client.get(url).context["rows"]) == findings.count
        return result

    _assert_constant(measure, findings.grow)


def test_inspection_list_page_and_api_are_constant(plan, coordinator, member):
    inspections = []

    def grow(to):
        while len(inspections) < to:
            inspection = services.inspection_record(
                plan=plan,
                inspected_on=timezone.localdate() - timedelta(days=len(inspections)),
                inspectors="王督查",
                findings=[
                    {"text": "问题", "department": member.department, "deadline": in_days(30)}
                ],
                by=coordinator,
            )
            inspections.append(inspection)

    page, api = browser_for(member), api_client_for(member)

    def measure():
        a, a_sql = _queries(page, "/inspections/")
        b, b_sql = _queries(api, "/api/v1/inspections/?page_size=100")
        return a + b, a_sql + b_sql

    _assert_constant(measure, grow)


def test_sign_off_list_api_is_constant(plan, coordinator):
    tasks = list(Task.objects.filter(plan=plan).clauses().order_by("pk")[:LARGE])
    client = api_client_for(coordinator)

    def grow(to):
        for task in tasks[SignOff.objects.count() : to]:
            SignOff.objects.create(
                task=task, state="signed", signed_by=coordinator, signed_at=timezone.now()
            )

    _assert_constant(lambda: _queries(client, "/api/v1/sign-offs/?page_size=100"), grow)


class ReportedLines:
    """Town lines of the all-towns step reported done by their counties, with a file each."""

    def __init__(self, plan):
        self.lines = list(
            ChecklistLine.objects.filter(
                milestone__plan=plan, milestone__code="2019-10-all-towns"
            ).order_by("pk")
        )
        self.reporters = {}
        self.count = 0

    def grow(self, to: int) -> None:
        while self.count < to:
            line = self.lines[self.count]
            reporter = self.reporters.get(line.department_id) or UserFactory(
                role=UserRole.STAFF, department=line.department
            )
            self.reporters[line.department_id] = reporter
            milestone_services.checklist_line_report_done(
                line=line, by=reporter, completed_on=timezone.localdate(), upload=pdf_upload()
            )
            self.count += 1


@pytest.mark.parametrize(
    "url",
    [
        "/checklists/confirm/",
        "/checklists/?state=reported",
        "/api/v1/checklist-lines/?state=reported&page_size=100",
    ],
)
def test_checklist_lists_are_constant(plan, coordinator, url):
    lines = ReportedLines(plan)
    client = (api_client_for if url.startswith("/api/") else browser_for)(coordinator)
    _assert_constant(lambda: _queries(client, url), lines.grow)


def test_county_checklist_page_is_constant(plan, county):
    lines = ReportedLines(plan)
    pingding = UserFactory(role=UserRole.STAFF, department=county)
    client = browser_for(pingding)
    _assert_constant(lambda: _queries(client, "/checklists/"), lines.grow)
