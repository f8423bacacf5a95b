"""Reports done right, in real Chromium: what a person sees when they report and review.

- an empty report is refused with field messages and nothing is saved;
- a returned report's reason and what changed since stay visible after resubmission;
- after approval the author is still named, beside the approver;
- a reviewer cannot approve a report they wrote;
- on a 390×844 phone a failed save shows its message without scrolling.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from reports import services
from reports.models import ProgressReport
from tasks.models import Assignment
from tests.browser.conftest import PHONE, csrf_post, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(loaded_plan_db):
    body = Department.objects.get(short_name="市编办")
    return {
        "staff": UserFactory(
            username="bianban_staff", first_name="王晓明", role=UserRole.STAFF, department=body
        ),
        "reviewer": UserFactory(
            username="bianban_reviewer",
            first_name="李审核",
            role=UserRole.REVIEWER,
            department=body,
        ),
    }


@pytest.fixture
def assignment(loaded_plan_db):
    return Assignment.objects.get(task__code="三(一)2-1", department__short_name="市编办")


def test_an_empty_report_shows_field_messages_and_saves_nothing(new_context, people, assignment):
    page = login(new_context().new_page(), people["staff"])
    page.goto(f"/assignments/{assignment.pk}/")

    page.get_by_role("button", name="保存并报送").click()

    expect(page.get_by_test_id("error-progress")).to_be_visible()
    expect(page.get_by_test_id("form-errors")).to_contain_text("进展情况")
    assert not ProgressReport.objects.filter(assignment=assignment).exists()


def test_a_returned_reports_reason_and_changes_stay_visible_after_resubmission(
    new_context, people, assignment
):
    staff, reviewer = people["staff"], people["reviewer"]
    report = services.report_create(
        assignment=assignment, by=staff, status="in_progress", percent=30, progress="已起草方案"
    )
    report = services.report_submit(report=report, by=staff)
    services.report_return(report=report, by=reviewer, reason="请写明下放事项的数量")

    page = login(new_context().new_page(), staff)
    page.goto(f"/assignments/{assignment.pk}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text("请写明下放事项的数量")
    page.get_by_label("进展情况").fill("已起草方案，明确下放事项23项")
    page.get_by_role("button", name="保存并报送").click()
    expect(page.get_by_role("alert").filter(has_text="已报送")).to_be_visible()

    for who in (page, login(new_context().new_page(), reviewer)):
        who.goto(f"/assignments/{assignment.pk}/")
        trail = who.get_by_test_id("return-trail")
        expect(trail).to_contain_text("请写明下放事项的数量")
        expect(trail.get_by_test_id("return-diff")).to_contain_text("明确下放事项23项")
        expect(trail.get_by_test_id("return-diff")).to_contain_text("已起草方案")


def test_after_approval_the_author_is_named_beside_the_approver(new_context, people, assignment):
    staff, reviewer = people["staff"], people["reviewer"]
    report = services.report_create(assignment=assignment, by=staff, progress="完成调研")
    report = services.report_submit(report=report, by=staff)

    page = login(new_context().new_page(), reviewer)
    page.goto(f"/assignments/{assignment.pk}/")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("alert").filter(has_text="已审核通过")).to_be_visible()

    card = page.get_by_test_id("report-approved")
    expect(card).to_contain_text("填报人 王晓明")
    expect(card).to_contain_text("审核人 李审核")


def test_a_reviewer_cannot_approve_a_report_they_wrote(
    new_context, people, assignment, live_server
):
    reviewer = people["reviewer"]
    report = services.report_create(assignment=assignment, by=reviewer, progress="审核人自己写")
    report = services.report_submit(report=report, by=reviewer)

    page = login(new_context().new_page(), reviewer)
    page.goto(f"/assignments/{assignment.pk}/")
    expect(page.get_by_test_id("review-actions")).to_have_count(0)
    expect(page.get_by_test_id("own-report-note")).to_be_visible()
    forged = csrf_post(
        page, f"{live_server.url}/reports/{report.pk}/approve/", form={"version": report.version}
    )
    assert forged.status == 403
    report.refresh_from_db()
    assert report.state == "submitted"


def test_on_a_phone_a_failed_save_shows_its_message_without_scrolling(
    new_context, people, assignment
):
    # A returned report: its card and the return reason stand above the form, so the
    # form's messages are far below the top of the page on a phone.
    staff = people["staff"]
    report = services.report_create(
        assignment=assignment,
        by=staff,
        status="in_progress",
        percent=30,
        progress="已完成执法事项梳理。" * 12,
        problems="人员编制不足。" * 8,
        next_steps="征求市政府法制办意见。" * 6,
    )
    report = services.report_submit(report=report, by=staff)
    report = services.report_return(
        report=report, by=people["reviewer"], reason="请补充下放事项清单和时间表。" * 4
    )
    page = login(new_context(**PHONE).new_page(), staff)
    page.goto(f"/assignments/{assignment.pk}/")
    page.get_by_label("完成百分比").fill("150")
    page.get_by_label("进展情况").fill("超出范围的百分比")
    page.get_by_role("button", name="保存草稿").click()

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_be_visible()
    box = errors.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + 20 <= 844, box
    expect(errors).to_be_in_viewport()
    report.refresh_from_db()
    assert (report.percent, report.version) == (30, 3)  # nothing saved
