"""Layout on an office screen and a phone; no request leaves the intranet server.

The screenshots in docs/ are rewritten only with UPDATE_SCREENSHOTS=1, so an
ordinary test run leaves the working tree clean:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -p no:cacheprovider -q tests/browser/test_layout_browser.py
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from reports import services
from tasks.models import Assignment
from tests.browser.conftest import DESKTOP, PHONE, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.fixture
def workbench(loaded_plan_db):
    """市编办 with reports in every state, so lights and badges all show."""
    bianban = Department.objects.get(short_name="市编办")
    staff = UserFactory(username="bianban_staff", role=UserRole.STAFF, department=bianban)
    staff.first_name = "王晓"
    staff.save()
    reviewer = UserFactory(username="bianban_reviewer", role=UserRole.REVIEWER, department=bianban)
    mine = {
        a.task.code: a for a in Assignment.objects.select_related("task").filter(department=bianban)
    }

    def report(code, *, status, percent, progress, then=()):
        r = services.report_create(
            assignment=mine[code], by=staff, status=status, percent=percent, progress=progress
        )
        if "submit" in then:
            r = services.report_submit(report=r, by=staff)
        if "approve" in then:
            r = services.report_approve(report=r, by=reviewer)
        if "return" in then:
            r = services.report_return(report=r, by=reviewer, reason="请补充数据")
        return r

    # Completed and approved: green.
    report(
        "三(一)2-1",
        status="completed",
        percent=100,
        progress="综合执法改革已完成",
        then=("submit", "approve"),
    )
    report(
        "三(一)3-1",
        status="in_progress",
        percent=60,
        progress="站所分类改革推进中",
        then=("submit",),
    )
    report(
        "三(一)1-1",
        status="in_progress",
        percent=30,
        progress="扩权事项清单起草中",
        then=("submit", "return"),
    )
    # A deadline extended to within 30 days: yellow.
    draft_assignment = next(
        a for code, a in mine.items() if code not in ("三(一)2-1", "三(一)3-1", "三(一)1-1")
    )
    Assignment.objects.filter(pk=draft_assignment.pk).update(
        deadline=timezone.localdate() + timedelta(days=20)
    )
    report(draft_assignment.task.code, status="not_started", percent=0, progress="已拟定工作方案")
    return {"staff": staff, "assignment": mine["三(一)2-1"]}


def _check_page(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"{path} overflows horizontally: {widths}"


def _record_requests(context):
    requests, failures = [], []
    context.on("request", lambda r: requests.append(r.url))
    context.on("requestfailed", lambda r: failures.append((r.url, r.failure)))
    context.on("response", lambda r: r.status >= 400 and failures.append((r.url, r.status)))
    return requests, failures


def _screenshot_path(name, tmp_path):
    return DOCS / name if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / name


@pytest.mark.parametrize(
    ("device", "options", "screenshot"),
    [
        ("desktop", {"viewport": DESKTOP}, "workbench.png"),
        ("phone", {**PHONE, "device_scale_factor": 1}, "workbench-phone.png"),
    ],
)
def test_pages_fit_the_screen_and_use_only_the_server(
    device, options, screenshot, new_context, workbench, live_server, tmp_path
):
    context = new_context(**options)
    requests, failures = _record_requests(context)
    page = login(context.new_page(), workbench["staff"])

    _check_page(page, "/")
    # Every state and light is on the workbench.
    for text in ("已审核", "已报送", "退回", "草稿"):
        expect(page.locator("main").get_by_text(text, exact=True).first).to_be_visible()
    for light in ("red", "yellow", "green"):
        expect(page.locator(f'[data-light="{light}"]').first).to_be_attached()

    path = _screenshot_path(screenshot, tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=device == "phone")
    assert path.stat().st_size < 400_000

    _check_page(page, f"/assignments/{workbench['assignment'].pk}/")
    _check_page(page, f"/tasks/{workbench['assignment'].task_id}/")

    assert requests, "no requests recorded"
    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert not outside, f"requests outside the intranet server: {outside}"
    assert not failures, f"failed requests: {failures}"


def test_the_widest_header_stays_on_one_line_at_1366(new_context, loaded_plan_db):
    """A coordinator's header has every menu (汇总, 督办, admin); it must not wrap or scroll."""
    bureau = Department.objects.get(short_name="市民政局")
    coordinator = UserFactory(
        username="minzheng_coordinator_long",
        role=UserRole.COORDINATOR,
        department=bureau,
        is_staff=True,
    )
    page = login(new_context(viewport=DESKTOP).new_page(), coordinator)

    sizes = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                   navbar: document.querySelector('nav.navbar').getBoundingClientRect().height})"""
    )
    assert sizes["scroll"] <= sizes["inner"], sizes
    assert sizes["navbar"] < 70, sizes  # one line of links, not two

    page.get_by_test_id("whoami").click()
    expect(page.get_by_role("link", name="管理后台")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
