"""Importing a plan in real Chromium: upload, correct a role, confirm a new body, publish.

The screenshots of the upload and review pages are written to docs/ only with
UPDATE_SCREENSHOTS=1 (docs/plan-import-review.png is the one committed):

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -p no:cacheprovider -q tests/browser/test_plan_import_browser.py
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from plan_import.models import ImportedBody, PlanImport
from tasks.models import Assignment, Plan, Responsibility, Task
from tests.browser.conftest import PHONE, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(settings.BASE_DIR) / "docs"
PLAN = """阳泉市社区服务提升工作方案
（2021年3月1日）
为提升城乡社区服务水平，制定本方案。
一、重点任务
（一）完善社区服务设施
1.改造社区服务大厅。对面积不达标的社区服务大厅进行改扩建，统一标识（市住建局牵头，市民政局、市大数据局配合）。
2.建设村级代办点。在行政村设立便民服务代办点，配备代办员（市民政局负责，2021年底前完成）。
（二）加强队伍建设
1.开展业务培训。每年对社区工作者轮训一遍（市委组织部牵头，市人社局配合）。
二、保障措施
落实经费保障，将社区服务经费纳入财政预算（市财政局负责）。
"""


COMMITTED = {"plan-import-review.png"}


def _screenshot(page, name, tmp_path, **options):
    """Into docs/ for the committed picture with UPDATE_SCREENSHOTS=1; the others (and
    every picture otherwise) into SCREENSHOT_DIR if set, else the test's tmp_path."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" and name in COMMITTED:
        path = DOCS / name
    else:
        path = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, **options)
    return path


def _fits(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths


@pytest.fixture
def coordinator(loaded_plan_db):
    return UserFactory(
        username="minzheng_coord",
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )


def test_coordinator_uploads_corrects_a_role_and_publishes(
    new_context, coordinator, live_server, tmp_path
):
    source = tmp_path / "社区服务方案.txt"
    source.write_text(PLAN, encoding="utf-8")
    page = login(new_context().new_page(), coordinator)

    # From the plan page to the upload page.
    page.goto("/plan/")
    page.get_by_test_id("import-link").click()
    expect(page).to_have_url(re.compile(r"/plans/import/$"))
    _fits(page)
    _screenshot(page, "plan-import-upload.png", tmp_path, full_page=True)
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_role("button", name="读取并生成草稿").click()

    # The review page: the text with each clause marked, beside its bodies.
    expect(page).to_have_url(re.compile(r"/plans/import/\d+/$"))
    plan_import = PlanImport.objects.get()
    expect(page.get_by_test_id("message")).to_contain_text("识别出 4 条责任条款")
    expect(page.locator("mark.clause")).to_have_count(4)
    expect(page.locator("mark.clause").first).to_have_text(
        "对面积不达标的社区服务大厅进行改扩建，统一标识"
    )
    expect(page.get_by_test_id("publish-problems")).to_contain_text("一(一)1-1 市大数据局")
    _fits(page)

    card = page.locator('[data-testid="clause-card"][data-code="一(一)1-1"]')
    # Clicking the code in the text jumps to the clause's card.
    page.locator("a.clause-tag", has_text="一(一)1-1").click()
    expect(page).to_have_url(
        re.compile(rf"#card-{card.get_attribute('id').removeprefix('card-')}$")
    )

    # Correct one role: 市民政局 is responsible, not support, in 一(一)1-1.
    row = card.locator('[data-testid="body-row"][data-written="市民政局"]')
    row.get_by_label("分工").select_option(label="负责")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("message")).to_contain_text("已保存 一(一)1-1 中“市民政局”的修改")
    changed = ImportedBody.objects.get(
        clause__plan_import=plan_import, clause__code="一(一)1-1", written_as="市民政局"
    )
    assert changed.role == "responsible"
    assert changed.history.first().history_user == coordinator
    assert Plan.objects.count() == 1  # still only the seed plan: nothing is live yet

    # Publishing is refused while 市大数据局 is unknown…
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("message").first).to_contain_text("未能发布")
    assert Plan.objects.count() == 1
    # …so the coordinator confirms it as a new city department.
    new_row = card.get_by_test_id("new-body-row")
    expect(new_row).to_contain_text("单位表中没有“市大数据局”")
    new_row.get_by_role("button", name="确认新建").click()
    expect(page.get_by_test_id("publish-ready")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    assert _screenshot(page, "plan-import-review.png", tmp_path).stat().st_size < 300_000

    # Publish: the plan, its work items and their shares are live.
    page.get_by_test_id("publish").click()
    expect(page).to_have_url(re.compile(r"/plans/plan-2021-\d+/$"))
    expect(page.get_by_test_id("message")).to_contain_text(
        "已发布《阳泉市社区服务提升工作方案》：4 项工作任务"
    )
    tree = page.get_by_test_id("plan-tree")
    for code in ("一(一)1-1", "一(一)2-1", "一(二)1-1", "二-1"):
        expect(tree.get_by_role("link", name=re.compile(re.escape(code)))).to_be_visible()

    plan = Plan.objects.get(slug__startswith="plan-2021-")
    assert plan.issued_on.isoformat() == "2021-03-01"
    assert set(
        Responsibility.objects.filter(task__code="一(一)1-1", task__plan=plan).values_list(
            "department__short_name", "role"
        )
    ) == {("市住建局", "lead"), ("市民政局", "responsible"), ("市大数据局", "support")}
    shares = set(
        Assignment.objects.filter(task__plan=plan).values_list(
            "task__code", "department__short_name", "role"
        )
    )
    assert shares == {
        ("一(一)1-1", "市住建局", "lead"),
        ("一(一)1-1", "市民政局", "responsible"),
        ("一(一)1-1", "市大数据局", "support"),
        ("一(一)2-1", "市民政局", "responsible"),
        ("一(二)1-1", "市委组织部", "lead"),
        ("一(二)1-1", "市人社局", "support"),
        ("二-1", "市财政局", "responsible"),
    }
    assert Task.objects.get(plan=plan, code="一(一)2-1").due_date.isoformat() == "2021-12-31"

    # The work item's page lists its shares, the corrected role included.
    tree.get_by_role("link", name=re.compile(re.escape("一(一)1-1"))).click()
    table = page.get_by_test_id("assignments")
    expect(table.locator("tr[data-department]")).to_have_count(3)
    expect(table.locator('tr[data-department="市民政局"]')).to_contain_text("负责")
    expect(table.locator('tr[data-department="市大数据局"]')).to_contain_text("配合")
    plan_import.refresh_from_db()
    assert plan_import.is_published and plan_import.published_plan == plan


def test_review_page_on_a_phone(new_context, coordinator, tmp_path):
    """The upload and review pages at 390×844: no sideways scrolling, the forms reachable."""
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="utf-8")
    page = login(new_context(**{**PHONE, "device_scale_factor": 1}).new_page(), coordinator)
    page.goto("/plans/import/")
    _fits(page)
    _screenshot(page, "plan-import-upload-phone.png", tmp_path, full_page=True)
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_role("button", name="读取并生成草稿").click()
    expect(page.locator("mark.clause")).to_have_count(4)
    _fits(page)
    card = page.locator('[data-testid="clause-card"][data-code="一(一)1-1"]')
    card.scroll_into_view_if_needed()
    expect(card.get_by_role("button", name="确认新建")).to_be_visible()
    _screenshot(page, "plan-import-review-phone.png", tmp_path, full_page=True)
