"""The bureau's follow-through in real Chromium: 催办 and 签收, 办结, 督查整改 and 销号, county checklists.

Run alone with `pytest -p no:cacheprovider -q tests/browser/test_supervision_browser.py`.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from milestones.models import ChecklistEvidence, ChecklistLine
from reports import services as report_services
from supervision import selectors
from supervision.models import Finding, Reminder, SignOff
from tasks.models import Assignment
from tests.browser.conftest import csrf_post, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "三(一)2-1"  # 推进行政执法改革（市编办牵头，市政府法制办配合）
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _body(name):
    return Department.objects.get(short_name=name)


@pytest.fixture
def people(loaded_plan_db):
    bianban, bureau = _body("市编办"), _body("市民政局")
    return {
        "staff": UserFactory(
            username="bianban_staff", first_name="王晓明", role=UserRole.STAFF, department=bianban
        ),
        "reviewer": UserFactory(
            username="bianban_reviewer",
            first_name="李审核",
            role=UserRole.REVIEWER,
            department=bianban,
        ),
        "coordinator": UserFactory(
            username="minzheng_coord",
            first_name="赵协调",
            role=UserRole.COORDINATOR,
            department=bureau,
        ),
    }


@pytest.fixture
def lead_share(loaded_plan_db):
    return Assignment.objects.select_related("task").get(
        task__code=CLAUSE, department__short_name="市编办"
    )


def test_a_reminder_to_bianban_is_acknowledged_on_the_staff_home_page_and_the_bureau_sees_it(
    new_context, people, lead_share
):
    task = lead_share.task
    # --- The bureau chases 市编办 from the work item's list of shares.
    bureau = login(new_context().new_page(), people["coordinator"])
    menu = bureau.get_by_test_id("supervision-menu")
    menu.get_by_role("button", name="督办").click()
    menu.get_by_role("link", name="催办").click()
    expect(bureau).to_have_url(re.compile(r"/reminders/$"))
    bureau.goto(f"/tasks/{task.pk}/")
    bureau.locator('tr[data-department="市编办"]').get_by_test_id("chase").click()
    expect(bureau).to_have_url(re.compile(rf"/reminders/new/\?assignments={lead_share.pk}$"))
    candidate = bureau.get_by_test_id("candidate")
    expect(candidate).to_have_count(1)
    expect(candidate.locator("input")).to_be_checked()
    bureau.get_by_label("催办内容").fill("请于本周内报送乡镇综合执法改革进展，并书面回复。")
    bureau.get_by_label("回复期限").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    bureau.get_by_test_id("send-reminder").click()
    expect(bureau.get_by_role("alert").filter(has_text="已向市编办发出催办")).to_be_visible()
    expect(bureau.get_by_test_id("reminder-state")).to_contain_text("待签收")
    reminder = Reminder.objects.get()
    assert (reminder.department.short_name, list(reminder.assignments.all())) == (
        "市编办",
        [lead_share],
    )

    # --- 市编办 staff finds it on the home page and signs for it there.
    staff = login(new_context().new_page(), people["staff"])
    card = staff.get_by_test_id("open-reminders")
    expect(card).to_contain_text("请于本周内报送乡镇综合执法改革进展")
    expect(card).to_contain_text(CLAUSE)
    expect(staff.get_by_test_id("unread-count")).to_have_text("1")  # the inbox has it too
    card.get_by_test_id("acknowledge").click()
    expect(staff.get_by_role("alert").filter(has_text="已签收催办")).to_be_visible()
    expect(staff).to_have_url(re.compile(r"/$"))
    card = staff.get_by_test_id("open-reminders")
    expect(card.locator('[data-reminder-state="acknowledged"]')).to_be_visible()
    expect(card.get_by_test_id("acknowledge")).to_have_count(0)
    reminder.refresh_from_db()
    assert (reminder.state, reminder.acknowledged_by) == ("acknowledged", people["staff"])

    # --- The bureau sees it acknowledged, by whom, on the reminder and in the list.
    bureau.reload()
    expect(bureau.get_by_test_id("reminder-state")).to_contain_text("已签收")
    expect(bureau.get_by_test_id("acknowledged")).to_contain_text("王晓明")
    bureau.goto("/reminders/")
    row = bureau.locator(f'tr[data-reminder="{reminder.pk}"]')
    expect(row).to_contain_text("已签收")
    expect(row).to_contain_text("王晓明")

    # --- The body replies from the reminder's page; the card leaves the home page.
    staff.get_by_test_id("open-reminders").get_by_role("link", name="回复", exact=True).click()
    staff.get_by_label("回复内容").fill("已召开推进会，进展已于今日报送。")
    staff.get_by_role("button", name="回复", exact=True).click()
    expect(staff.get_by_test_id("reply-text")).to_have_text("已召开推进会，进展已于今日报送。")
    staff.goto("/")
    expect(staff.get_by_test_id("open-reminders")).to_have_count(0)
    bureau.goto(f"/reminders/{reminder.pk}/")
    expect(bureau.get_by_test_id("reminder-state")).to_contain_text("已回复")
    expect(bureau.get_by_test_id("history")).to_contain_text("王晓明")


def test_sign_off_is_refused_to_staff_and_to_the_bureau_until_the_lead_reports_completed(
    new_context, people, lead_share, live_server
):
    task = lead_share.task
    url = f"/tasks/{task.pk}/"

    # --- Staff: the state, no button; a forged POST is refused.
    staff = login(new_context().new_page(), people["staff"])
    staff.goto(url)
    expect(staff.get_by_test_id("sign-off")).to_contain_text("未办结")
    expect(staff.get_by_test_id("sign-off-button")).to_have_count(0)
    forged = csrf_post(staff, f"{live_server.url}{url}sign-off/")
    assert forged.status == 403, forged.text()[:300]

    # --- The bureau: the button is there but disabled, with what is missing.
    bureau = login(new_context().new_page(), people["coordinator"])
    bureau.goto(url)
    expect(bureau.get_by_test_id("sign-off-button")).to_be_disabled()
    expect(bureau.get_by_test_id("sign-off-blockers")).to_contain_text(
        "牵头单位市编办尚无审核通过的填报"
    )
    forced = csrf_post(bureau, f"{live_server.url}{url}sign-off/", form={"next": url})
    assert forced.status == 302
    assert not SignOff.objects.exists()

    # The lead reports 90%, approved: still not finished, and the page says so.
    report = report_services.report_create(
        assignment=lead_share,
        by=people["staff"],
        status="in_progress",
        percent=90,
        progress="基本完成",
    )
    report = report_services.report_submit(report=report, by=people["staff"])
    report_services.report_approve(report=report, by=people["reviewer"])
    bureau.reload()
    expect(bureau.get_by_test_id("sign-off-blockers")).to_contain_text("“推进中 90%”，尚未完成")
    expect(bureau.get_by_test_id("sign-off-button")).to_be_disabled()

    # Completed and approved: the bureau signs it off.
    report = report_services.report_create(
        assignment=lead_share,
        by=people["staff"],
        status="completed",
        percent=100,
        progress="已全部完成",
    )
    report = report_services.report_submit(report=report, by=people["staff"])
    report_services.report_approve(report=report, by=people["reviewer"])
    bureau.reload()
    expect(bureau.get_by_test_id("sign-off-blockers")).to_have_count(0)
    bureau.get_by_test_id("sign-off-button").click()
    expect(bureau.get_by_role("alert").filter(has_text="已办结")).to_be_visible()
    expect(bureau.get_by_test_id("signed")).to_be_visible()
    assert SignOff.objects.get(task=task).signed_by == people["coordinator"]

    # Reopened with a reason, kept in the record.
    bureau.get_by_text("重新打开", exact=True).first.click()
    bureau.get_by_label("重新打开理由").fill("督查发现部分执法事项尚未下放")
    bureau.get_by_test_id("reopen-button").click()
    expect(bureau.get_by_test_id("reopened")).to_be_visible()
    expect(bureau.get_by_test_id("sign-off")).to_contain_text("督查发现部分执法事项尚未下放")
    staff.reload()
    expect(staff.get_by_test_id("reopened")).to_be_visible()


def test_an_inspection_finding_becomes_a_rectification_item_and_closing_it_lowers_the_figure(
    new_context, people
):
    assert selectors.open_findings_count() == 0

    # --- The bureau records an inspection with one finding for 市编办.
    bureau = login(new_context().new_page(), people["coordinator"])
    bureau.goto("/inspections/")
    bureau.get_by_test_id("new-inspection").click()
    bureau.get_by_label("督查日期").fill(timezone.localdate().isoformat())
    bureau.get_by_label("督查人员").fill("张督查、李督查")
    bureau.get_by_label("督查情况").fill("对平定县乡镇综合执法改革开展专项督查")
    rows = bureau.get_by_test_id("finding-row")
    first = rows.first
    first.get_by_label("发现的问题及整改要求").fill("张庄镇综合执法队伍人员未配齐")
    first.get_by_label("整改单位").select_option(label="市编办")
    first.get_by_label("所在县(区)或乡镇").select_option(label="平定县张庄镇")
    first.get_by_label("整改时限").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    bureau.get_by_test_id("save-inspection").click()
    expect(bureau.get_by_role("alert").filter(has_text="1条发现已作为整改任务交办")).to_be_visible()

    finding = Finding.objects.select_related("assignment", "task").get()
    assert selectors.open_findings_count() == 1
    row = bureau.locator(f'tr[data-finding="{finding.pk}"]')
    expect(row).to_contain_text("市编办")
    expect(row.locator(".light-green")).to_have_count(1)
    expect(row).to_contain_text("未填报")
    inspection_page = bureau.url
    bureau.goto("/dashboard/")
    expect(bureau.get_by_test_id("open-findings")).to_contain_text("未销号督查问题 1")
    bureau.goto(inspection_page)

    # --- 市编办 finds it among its own work, reports it done; its reviewer approves.
    staff = login(new_context().new_page(), people["staff"])
    item = staff.locator('[data-testid="assignment-row"]', has_text=finding.task.code)
    expect(item).to_have_count(1)
    item.get_by_role("link", name="填报").click()
    staff.get_by_label("进度状态").select_option(label="已完成")
    staff.get_by_label("完成百分比").fill("100")
    staff.get_by_label("进展情况").fill("已为张庄镇综合执法队配齐执法人员8名")
    staff.get_by_role("button", name="保存并报送").click()
    expect(staff.get_by_role("alert").filter(has_text="已报送")).to_be_visible()
    reviewer = login(new_context().new_page(), people["reviewer"])
    reviewer.get_by_test_id("review-queue").get_by_role("link").first.click()
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_role("alert").filter(has_text="已审核通过")).to_be_visible()

    # --- The bureau closes it (销号): the open-findings figure goes down.
    bureau.reload()
    row = bureau.locator(f'tr[data-finding="{finding.pk}"]')
    expect(row.locator(".light-done")).to_have_count(1)
    row.get_by_test_id("close-finding").click()
    expect(bureau.get_by_role("alert").filter(has_text="已办结")).to_be_visible()
    expect(
        bureau.locator(f'tr[data-finding="{finding.pk}"]').get_by_test_id("finding-closed")
    ).to_be_visible()
    assert selectors.open_findings_count() == 0
    bureau.goto("/inspections/")
    expect(bureau.get_by_test_id("open-findings")).to_contain_text("未销号的整改事项 0 项")
    # The dashboard's open-findings figure goes down with it.
    bureau.goto("/dashboard/")
    expect(bureau.get_by_test_id("open-findings")).to_contain_text("未销号督查问题 0")
    # The plan page does not list it among the plan's own work items.
    bureau.goto("/plan/")
    expect(bureau.get_by_text(finding.task.code)).to_have_count(0)


def test_a_pingding_county_user_ticks_a_checklist_line_and_the_bureau_confirms_it(
    new_context, people, tmp_path
):
    pingding = UserFactory(
        username="pingding_staff",
        first_name="孙县办",
        role=UserRole.STAFF,
        department=_body("平定县人民政府"),
    )
    line = ChecklistLine.objects.select_related("milestone").get(
        milestone__code="2019-03-county-plans", department__short_name="平定县人民政府"
    )
    evidence = tmp_path / "平定县实施方案.pdf"
    evidence.write_bytes(PDF)

    # --- From the home page's line to its form on the checklist page.
    county = login(new_context().new_page(), pingding)
    home_row = county.locator('tr[data-testid="line"]', has_text=line.milestone.title)
    home_row.get_by_test_id("line-report-link").click()
    expect(county).to_have_url(
        re.compile(rf"/checklists/\?milestone={line.milestone_id}#line-{line.pk}$")
    )
    card = county.locator(f"#line-{line.pk}")
    card.get_by_test_id("report-done-toggle").click()
    done_on = timezone.localdate() - timedelta(days=2)
    card.get_by_label("完成日期").fill(done_on.isoformat())
    card.get_by_label("说明").fill("县政府常务会议审议通过并印发实施方案")
    card.get_by_label("佐证材料").set_input_files(str(evidence))
    card.get_by_role("button", name="提交，报市民政局确认").click()
    expect(county.get_by_role("alert").filter(has_text="已报完成")).to_be_visible()
    card = county.locator(f"#line-{line.pk}")
    expect(card).to_have_attribute("data-state", "reported")
    expect(card).to_contain_text("平定县实施方案.pdf")
    line.refresh_from_db()
    assert (line.state, line.completed_on, line.reported_by) == ("reported", done_on, pingding)
    assert ChecklistEvidence.objects.get(line=line).original_name == "平定县实施方案.pdf"

    # --- The bureau confirms it from its queue.
    bureau = login(new_context().new_page(), people["coordinator"])
    bureau.goto("/checklists/")
    bureau.get_by_test_id("queue-link").click()
    queued = bureau.locator(f'[data-testid="queued-line"][data-line="{line.pk}"]')
    expect(queued).to_contain_text("平定县人民政府")
    expect(queued).to_contain_text("县政府常务会议审议通过并印发实施方案")
    queued.get_by_test_id("confirm").click()
    expect(bureau.get_by_role("alert").filter(has_text="已确认")).to_be_visible()
    expect(bureau.get_by_test_id("queue-empty")).to_be_visible()
    line.refresh_from_db()
    assert (line.state, line.confirmed_by) == ("confirmed", people["coordinator"])

    # --- The county sees it confirmed, with no form left to change it.
    county.reload()
    card = county.locator(f"#line-{line.pk}")
    expect(card).to_have_attribute("data-state", "confirmed")
    expect(card.get_by_test_id("report-done-form")).to_have_count(0)
    step = county.locator(f'[data-step="{line.milestone.code}"]')
    expect(step.get_by_test_id("step-count")).to_have_text("1 / 5")
