"""The department workbench in real Chromium: report, review, conflicts, bad input, refusals.

Run alone with `pytest -p no:cacheprovider -q tests/browser`.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from reports import services
from reports.models import ProgressReport
from tasks.models import Assignment
from tests.browser.conftest import csrf_post, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "三(一)2-1"
TITLE = "推进行政执法改革"


@pytest.fixture
def people(loaded_plan_db):
    bianban = Department.objects.get(short_name="市编办")
    return {
        "staff": UserFactory(username="bianban_staff", role=UserRole.STAFF, department=bianban),
        "reviewer": UserFactory(
            username="bianban_reviewer", role=UserRole.REVIEWER, department=bianban
        ),
        "coordinator": UserFactory(
            username="minzheng_coord",
            role=UserRole.COORDINATOR,
            department=Department.objects.get(short_name="市民政局"),
        ),
        "outsider": UserFactory(
            username="caizheng_staff",
            role=UserRole.STAFF,
            department=Department.objects.get(short_name="市财政局"),
        ),
    }


@pytest.fixture
def assignment(loaded_plan_db):
    """市编办's share (lead) of work item 三(一)2-1 推进行政执法改革."""
    return Assignment.objects.select_related("task").get(
        task__code=CLAUSE, department__short_name="市编办"
    )


def _fill_report(page, *, status, percent, progress, problems="", next_steps=""):
    page.get_by_label("进度状态").select_option(label=status)
    page.get_by_label("完成百分比").fill(str(percent))
    page.get_by_label("进展情况").fill(progress)
    page.get_by_label("存在问题").fill(problems)
    page.get_by_label("下步打算").fill(next_steps)


def _open_report(assignment):
    return ProgressReport.objects.get(assignment=assignment, state__in=ProgressReport.OPEN_STATES)


def test_report_return_fix_approve_then_coordinator_sees_it_and_outsider_is_refused(
    new_context, people, assignment, live_server
):
    task = assignment.task
    assignment_url = f"/assignments/{assignment.pk}/"

    # --- 市编办 staff: home -> work item -> 填报进展 -> draft -> submit.
    staff = login(new_context().new_page(), people["staff"])
    expect(staff).to_have_url(re.compile(r"/$"))
    row = staff.locator("tr", has_text=CLAUSE).filter(has=staff.get_by_role("link", name=TITLE))
    expect(row).to_have_count(1)
    row.get_by_role("link", name=TITLE).click()
    expect(staff).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(staff.get_by_test_id("task-title")).to_contain_text(CLAUSE)
    staff.get_by_test_id("own-shares").get_by_test_id("report-button").click()
    expect(staff).to_have_url(re.compile(rf"{assignment_url}$"))

    _fill_report(
        staff,
        status="推进中",
        percent=40,
        progress="已起草乡镇综合执法改革方案初稿",
        problems="执法人员编制不足",
        next_steps="征求市政府法制办意见",
    )
    staff.get_by_role("button", name="保存草稿").click()
    expect(staff.get_by_role("alert").filter(has_text="已保存草稿")).to_be_visible()
    report = _open_report(assignment)
    assert (report.state, report.percent, report.progress) == (
        "draft",
        40,
        "已起草乡镇综合执法改革方案初稿",
    )
    assert report.created_by == people["staff"]
    # The form comes back with what was saved.
    expect(staff.get_by_label("进展情况")).to_have_value("已起草乡镇综合执法改革方案初稿")
    staff.get_by_label("完成百分比").fill("45")
    staff.get_by_role("button", name="保存并报送").click()
    expect(staff.get_by_role("alert").filter(has_text="已报送")).to_be_visible()
    report.refresh_from_db()
    assert (report.state, report.percent, report.submitted_by) == (
        "submitted",
        45,
        people["staff"],
    )
    # Submitted: no form for the staff member any more, and no review buttons for them.
    expect(staff.get_by_test_id("report-form")).to_have_count(0)
    expect(staff.get_by_test_id("review-actions")).to_have_count(0)

    # --- 市编办 reviewer (own browser session): from the review queue, return with a reason.
    reviewer = login(new_context().new_page(), people["reviewer"])
    reviewer.get_by_role("link", name=re.compile(TITLE)).filter(has_text="市编办").click()
    expect(reviewer).to_have_url(re.compile(rf"{assignment_url}$"))
    expect(reviewer.get_by_text("已起草乡镇综合执法改革方案初稿").first).to_be_visible()
    reason = "请补充已下放执法事项的具体数量和涉及乡镇"
    reviewer.get_by_label("退回理由").fill(reason)
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.get_by_role("alert").filter(has_text="已退回")).to_be_visible()
    report.refresh_from_db()
    assert (report.state, report.return_reason, report.reviewed_by) == (
        "returned",
        reason,
        people["reviewer"],
    )

    # --- Staff sees the reason, fixes the report, submits again.
    staff.reload()
    expect(staff.get_by_test_id("return-reason")).to_contain_text(reason)
    fixed = "已向3个县区下放执法事项42项，涉及乡镇18个"
    staff.get_by_label("进展情况").fill(fixed)
    staff.get_by_role("button", name="保存并报送").click()
    expect(staff.get_by_role("alert").filter(has_text="已报送")).to_be_visible()
    report.refresh_from_db()
    assert (report.state, report.progress) == ("submitted", fixed)

    # --- While it awaits review, 市财政局 staff cannot approve or return it by a forged POST.
    outsider = login(new_context().new_page(), people["outsider"])
    outsider.goto(assignment_url)
    expect(outsider.get_by_test_id("review-actions")).to_have_count(0)
    expect(outsider.get_by_text(fixed)).to_have_count(0)  # not approved yet: not theirs to read
    version = report.version
    for verb, form in (("approve", {}), ("return", {"reason": "伪造的退回"})):
        forged = csrf_post(outsider, f"{live_server.url}/reports/{report.pk}/{verb}/", form=form)
        assert forged.status == 403, (verb, forged.text()[:300])
    report.refresh_from_db()
    assert (report.state, report.version) == ("submitted", version)

    # --- Reviewer approves.
    reviewer.reload()
    expect(reviewer.get_by_text(fixed).first).to_be_visible()
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_role("alert").filter(has_text="已审核通过")).to_be_visible()
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == ("approved", people["reviewer"])
    expect(reviewer.get_by_test_id("review-actions")).to_have_count(0)

    # --- Coordinator (市民政局) sees the approved progress in the 市编办 row of the work item.
    coordinator = login(new_context().new_page(), people["coordinator"])
    coordinator.goto(f"/tasks/{task.pk}/")
    bianban_row = coordinator.locator('tr[data-department="市编办"]')
    expect(bianban_row.get_by_test_id("progress")).to_contain_text(fixed)
    expect(bianban_row).to_contain_text("已审核")

    # --- 市财政局 staff: can read, cannot write, and forged writes are refused.
    outsider.goto(f"/tasks/{task.pk}/")
    expect(outsider.get_by_test_id("assignments")).to_be_visible()
    expect(outsider.get_by_test_id("report-button")).to_have_count(0)
    expect(outsider.get_by_role("link", name="填报进展")).to_have_count(0)
    outsider.locator('tr[data-department="市编办"]').get_by_role("link", name="查看").click()
    expect(outsider).to_have_url(re.compile(rf"{assignment_url}$"))
    expect(outsider.get_by_text(fixed).first).to_be_visible()  # approved: readable by all
    expect(outsider.get_by_test_id("report-form")).to_have_count(0)
    expect(outsider.locator("form textarea, form select")).to_have_count(0)
    expect(outsider.get_by_test_id("review-actions")).to_have_count(0)
    for name in ("保存草稿", "保存并报送", "审核通过", "退回修改"):
        expect(outsider.get_by_role("button", name=name)).to_have_count(0)

    for action in ("save", "submit"):
        forged_report = csrf_post(
            outsider,
            f"{live_server.url}{assignment_url}",
            form={
                "status": "completed",
                "percent": "100",
                "progress": "伪造的进展",
                "problems": "",
                "next_steps": "",
                "action": action,
            },
        )
        assert forged_report.status == 403, (action, forged_report.text()[:300])
    forged_approve = csrf_post(
        outsider, f"{live_server.url}/reports/{report.pk}/approve/", form={"version": ""}
    )
    assert forged_approve.status == 403, forged_approve.text()[:300]
    forged_return = csrf_post(
        outsider,
        f"{live_server.url}/reports/{report.pk}/return/",
        form={"reason": "伪造的退回"},
    )
    assert forged_return.status == 403, forged_return.text()[:300]

    report.refresh_from_db()
    assert (report.state, report.progress) == ("approved", fixed)
    assert list(ProgressReport.objects.filter(assignment=assignment)) == [report]


def test_two_tabs_saving_one_draft_shows_the_conflict_and_keeps_the_first_save(
    new_context, people, assignment
):
    staff_user = people["staff"]
    services.report_create(
        assignment=assignment,
        by=staff_user,
        status="in_progress",
        percent=20,
        progress="初始草稿",
    )
    context = new_context()
    tab_a = login(context.new_page(), staff_user)
    tab_b = context.new_page()
    url = f"/assignments/{assignment.pk}/"
    tab_a.goto(url)
    tab_b.goto(url)
    expect(tab_a.get_by_label("进展情况")).to_have_value("初始草稿")
    expect(tab_b.get_by_label("进展情况")).to_have_value("初始草稿")

    text_a = "标签页A：已完成执法事项梳理"
    text_b = "标签页B：已召开执法改革推进会"
    tab_a.get_by_label("进展情况").fill(text_a)
    tab_a.get_by_role("button", name="保存草稿").click()
    expect(tab_a.get_by_role("alert").filter(has_text="已保存草稿")).to_be_visible()

    tab_b.get_by_label("进展情况").fill(text_b)
    tab_b.get_by_label("完成百分比").fill("35")
    with tab_b.expect_response(lambda r: r.request.method == "POST") as posted:
        tab_b.get_by_role("button", name="保存草稿").click()
    assert posted.value.status == 409

    conflict = tab_b.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(text_a)  # the saved version
    expect(conflict).to_contain_text(text_b)  # tab B's unsaved version
    expect(conflict).to_contain_text("35%")
    expect(tab_b.get_by_test_id("form-errors")).to_contain_text("保存失败")
    # Tab B's text is not lost: it is still in the form.
    expect(tab_b.get_by_label("进展情况")).to_have_value(text_b)

    report = _open_report(assignment)
    assert (report.progress, report.percent, report.version) == (text_a, 20, 2)

    # Saving again, with both versions in view, is a deliberate overwrite.
    tab_b.get_by_role("button", name="保存草稿").click()
    expect(tab_b.get_by_role("alert").filter(has_text="已保存草稿")).to_be_visible()
    report.refresh_from_db()
    assert (report.progress, report.percent, report.version) == (text_b, 35, 3)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(new_context, people, assignment):
    page = login(new_context().new_page(), people["staff"])
    page.goto(f"/assignments/{assignment.pk}/")
    percent = page.get_by_label("完成百分比")

    def expect_percent_error(text):
        error = page.get_by_test_id("error-percent")
        expect(error).to_be_visible()
        expect(error).to_contain_text(text)
        # Under the percent input, in the same field group, not at the top of the page.
        group = percent.locator("xpath=..")
        expect(group.get_by_test_id("error-percent")).to_have_count(1)
        field_box, error_box = percent.bounding_box(), error.bounding_box()
        assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40
        expect(percent).to_have_class(re.compile(r"\bis-invalid\b"))

    # 1. Percent out of range.
    _fill_report(page, status="推进中", percent=150, progress="超出范围的百分比")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="保存草稿").click()
    assert posted.value.status == 400
    expect_percent_error("100")
    expect(percent).to_have_value("150")  # what the user typed is kept
    expect(page.get_by_label("进展情况")).to_have_value("超出范围的百分比")
    assert not ProgressReport.objects.filter(assignment=assignment).exists()

    # 2. 已完成 with 50%.
    _fill_report(page, status="已完成", percent=50, progress="状态与百分比不一致")
    page.get_by_role("button", name="保存并报送").click()
    expect_percent_error("已完成")
    expect(page.get_by_role("alert").filter(has_text="已报送")).to_have_count(0)
    assert not ProgressReport.objects.filter(assignment=assignment).exists()

    # 3. The same on an existing draft: the draft is left as it was.
    draft = services.report_create(
        assignment=assignment,
        by=people["staff"],
        status="in_progress",
        percent=60,
        progress="原草稿",
    )
    page.goto(f"/assignments/{assignment.pk}/")
    _fill_report(page, status="已完成", percent=50, progress="改坏的草稿")
    page.get_by_role("button", name="保存草稿").click()
    expect_percent_error("已完成")
    draft.refresh_from_db()
    assert (draft.status, draft.percent, draft.progress, draft.version) == (
        "in_progress",
        60,
        "原草稿",
        1,
    )
