"""Inspections (督查): each finding becomes a rectification item tracked like any assignment,
closed (销号) by signing it off; the open-findings figure follows."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ConflictError, PermissionDenied
from departments.models import Region
from notifications.models import Notification
from reports import selectors as report_selectors
from reports import services as report_services
from reports.lights import Light
from reports.models import ProgressReport
from supervision import selectors, services
from supervision.models import Finding, Inspection
from tasks.models import Assignment, Role, Task

from .conftest import api_client_for, browser_for, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(plan, coordinator, body, other_body):
    """record(**changes) -> an inspection of today with two findings (市编办, 市政府法制办)."""

    def make(**changes):
        values = {
            "plan": plan,
            "inspected_on": timezone.localdate(),
            "inspectors": "张督查、李督查",
            "summary": "对乡镇综合执法改革落实情况开展督查",
            "departments": [body, other_body],
            "regions": [Region.objects.get(code="140321103000")],  # 张庄镇
            "findings": [
                {
                    "text": "张庄镇综合执法队伍未配齐人员",
                    "department": body,
                    "deadline": in_days(60),
                    "region": Region.objects.get(code="140321103000"),
                },
                {"text": "执法事项清单未公开", "department": other_body, "deadline": in_days(45)},
            ],
            "by": coordinator,
            **changes,
        }
        return services.inspection_record(**values)

    return make


def test_each_finding_becomes_a_rectification_item_of_its_own_body(record, body, plan):
    inspection = record()
    year = timezone.localdate().year

    assert inspection.code == f"督查{year}-1"
    part = Task.objects.get(plan=plan, code="督查")
    assert (part.kind, part.title, part.origin) == ("part", "督查整改", "inspection")
    assert (inspection.section.parent, inspection.section.kind) == (part, "section")
    first, second = inspection.findings.order_by("number")
    assert first.task.code == f"督查{year}-1-1" and second.task.code == f"督查{year}-1-2"
    assert first.task.parent == inspection.section
    assert (first.task.kind, first.task.origin, first.task.due_date) == (
        "clause",
        "inspection",
        in_days(60),
    )
    assert first.task.text == "张庄镇综合执法队伍未配齐人员"
    share = first.assignment
    assert (share.department, share.role, share.deadline, share.task) == (
        body,
        Role.RESPONSIBLE,
        in_days(60),
        first.task,
    )
    assert share.responsibility.written_as == "市编办"
    assert first.task.responsibility_text == "市编办负责"


def test_a_second_inspection_in_the_year_gets_the_next_number(record):
    record()
    second = record(findings=[])
    assert second.code.endswith("-2")
    assert Task.objects.filter(code="督查", kind="part").count() == 1


def test_the_rectification_item_has_a_light_from_the_day_it_was_recorded(record, member):
    """A new item is green (not red for the years since the plan began) and shows at home."""
    finding = record().findings.get(number=1)

    shares = report_selectors.assignment_list(user=member).filter(pk=finding.assignment_id)
    assert shares.get().light == Light.GREEN
    home = browser_for(member).get("/")
    rows = [a for _label, group in home.context["groups"] for a in group]
    assert finding.assignment_id in {a.pk for a in rows}


def test_the_body_is_notified_of_its_rectification_item(record, member, reviewer, other_staff):
    finding = record().findings.get(number=1)

    notes = Notification.objects.filter(kind=Notification.Kind.INSPECTION)
    assert {n.recipient for n in notes if n.key == f"finding:{finding.pk}"} == {member, reviewer}
    assert notes.filter(recipient=member).get().url == f"/assignments/{finding.assignment_id}/"


def test_the_plan_page_and_tree_leave_rectification_items_out(record, coordinator, plan):
    record()

    page = browser_for(coordinator).get("/plan/")
    codes = {t.code for t in page.context["tasks"]}
    assert "督查" not in codes and not any(code.startswith("督查") for code in codes)
    assert Task.objects.filter(plan=plan).from_inspections().count() == 4  # part, section, 2
    assert Assignment.objects.from_inspections().count() == 2
    listed = api_client_for(coordinator).get("/api/v1/tasks/?origin=inspection").json()
    assert listed["count"] == 4


def test_closing_a_finding_needs_a_completed_approved_report_and_lowers_the_open_count(
    record, coordinator, member, reviewer, body
):
    inspection = record()
    finding = inspection.findings.get(department=body)
    assert selectors.open_findings_count() == 2
    mine = Assignment.objects.filter(department=body)
    assert selectors.open_findings_count(mine) == 1

    with pytest.raises(ConflictError) as error:
        services.task_sign_off(task=finding.task, by=coordinator)
    assert "负责单位市编办尚无审核通过的填报" in str(error.value.message)

    report = report_services.report_create(
        assignment=finding.assignment,
        by=member,
        status=ProgressReport.Status.COMPLETED,
        percent=100,
        progress="已配齐执法人员8名",
    )
    report = report_services.report_submit(report=report, by=member)
    report_services.report_approve(report=report, by=reviewer)
    light = report_selectors.assignment_list(user=member).get(pk=finding.assignment_id).light
    assert light == Light.DONE

    services.task_sign_off(task=finding.task, by=coordinator)

    assert selectors.open_findings_count() == 1
    assert selectors.open_findings_count(mine) == 0
    assert [f.pk for f in selectors.open_findings()] == [
        inspection.findings.exclude(pk=finding.pk).get().pk
    ]


def test_open_findings_as_of_a_day_reads_the_sign_off_history(
    record, coordinator, time_machine, make_report, body
):
    start = timezone.localtime().replace(hour=10, minute=0)
    time_machine.move_to(start, tick=False)
    finding = record().findings.get(department=body)
    make_report(
        finding.assignment, state=ProgressReport.State.APPROVED, status="completed", percent=100
    )
    time_machine.shift(timedelta(days=9))
    sign_off = services.task_sign_off(task=finding.task, by=coordinator)
    time_machine.shift(timedelta(days=10))
    services.sign_off_reopen(sign_off=sign_off, by=coordinator, reason="复查未通过")
    time_machine.shift(timedelta(days=5))
    day = start.date()

    assert selectors.open_findings_count(as_of=day - timedelta(days=1)) == 0  # not yet recorded
    assert selectors.open_findings_count(as_of=day + timedelta(days=4)) == 2
    assert selectors.open_findings_count(as_of=day + timedelta(days=14)) == 1
    assert selectors.open_findings_count(as_of=day + timedelta(days=23)) == 2
    assert selectors.open_findings_count() == 2


def test_only_coordinators_record_inspections_and_findings(record, member, viewer):
    for user in (member, viewer):
        with pytest.raises(PermissionDenied):
            record(by=user)
    assert not Inspection.objects.exists()


def test_a_finding_needs_text_a_concrete_body_and_a_deadline_after_the_inspection(
    record, coordinator, body
):
    inspection = record(findings=[])
    collective = body.__class__.objects.filter(kind="collective").first()
    cases = [
        ({"text": " ", "department": body, "deadline": in_days(5)}, "text"),
        ({"text": "问题", "department": collective, "deadline": in_days(5)}, "department"),
        ({"text": "问题", "department": body, "deadline": in_days(-5)}, "deadline"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as error:
            services.finding_add(inspection=inspection, by=coordinator, **values)
        assert field in error.value.message_dict
    assert not Finding.objects.exists()


def test_an_inspection_in_the_future_is_refused(record):
    with pytest.raises(ValidationError) as error:
        record(inspected_on=timezone.localdate() + timedelta(days=1))
    assert "inspected_on" in error.value.message_dict


def test_history_names_who_recorded_the_inspection_and_its_findings(record, coordinator):
    inspection = record()

    assert {r.history_user for r in Inspection.history.filter(id=inspection.pk)} == {coordinator}
    assert {r.history_user for r in Finding.history.filter(inspection_id=inspection.pk)} == {
        coordinator
    }
    assert {r.history_user for r in Task.history.filter(origin="inspection")} == {coordinator}
    subjects = [e.subject for e in selectors.inspection_history(inspection)]
    assert "督查记录" in subjects and "督查发现 1" in subjects


# --- Pages and API ---------------------------------------------------------------------------


def test_inspection_pages_show_findings_with_light_report_and_closing(record, coordinator, member):
    inspection = record()

    listing = browser_for(member).get("/inspections/")
    assert listing.status_code == HTTPStatus.OK
    (row,) = listing.context["page"]
    assert (row.findings_total, row.findings_open) == (2, 2)

    detail = browser_for(coordinator).get(f"/inspections/{inspection.pk}/")
    rows = detail.context["rows"]
    assert [(r.finding.number, r.assignment.light, r.closed) for r in rows] == [
        (1, Light.GREEN, False),
        (2, Light.GREEN, False),
    ]
    assert 'data-testid="close-finding"' in detail.content.decode()
    assert (
        'data-testid="close-finding"'
        not in browser_for(member).get(f"/inspections/{inspection.pk}/").content.decode()
    )


def test_inspection_form_records_findings_and_skips_empty_rows(coordinator, plan, body):
    data = {
        "plan": plan.pk,
        "inspected_on": timezone.localdate().isoformat(),
        "inspectors": "王督查",
        "summary": "",
        "findings-TOTAL_FORMS": "3",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "30",
        "findings-0-text": "便民服务中心未挂牌",
        "findings-0-department": body.pk,
        "findings-0-deadline": in_days(20).isoformat(),
    }

    response = browser_for(coordinator).post("/inspections/new/", data)

    inspection = Inspection.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/inspections/{inspection.pk}/"
    assert [f.text for f in inspection.findings.all()] == ["便民服务中心未挂牌"]


def test_a_finding_can_be_added_on_the_inspection_page(record, coordinator, other_body):
    inspection = record(findings=[])

    browser_for(coordinator).post(
        f"/inspections/{inspection.pk}/findings/",
        {"text": "台账不全", "department": other_body.pk, "deadline": in_days(10).isoformat()},
    )

    assert inspection.findings.get().task.code == f"{inspection.code}-1"


def test_inspection_api_lists_findings_with_their_closed_flag(record, member):
    inspection = record()

    body = api_client_for(member).get("/api/v1/inspections/").json()

    (row,) = body["results"]
    assert row["code"] == inspection.code
    assert [(f["number"], f["closed"], f["department"]["name"]) for f in row["findings"]] == [
        (1, False, "市编办"),
        (2, False, "市政府法制办"),
    ]
