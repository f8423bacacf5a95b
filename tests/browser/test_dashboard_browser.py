"""The bureau's overview in real Chromium: charts drawn, a county's bar opens its late work,
filters kept in the URL (reload, a copied link).

Run alone with `pytest -p no:cacheprovider -q tests/browser/test_dashboard_browser.py`.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department, Region
from reports.selectors import assignment_list, with_light
from tests.browser.conftest import PHONE, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(loaded_plan_db):
    return UserFactory(
        username="minzheng_coord_b",
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )


def _charts_drawn(page) -> dict:
    """Chart name -> number of drawn SVG shapes inside its container."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-chart]')).map(
            el => [el.dataset.chart + (el.dataset.role ? ':' + el.dataset.role : ''),
                   el.querySelectorAll('svg path, svg rect').length]))"""
    )


def test_coordinator_sees_every_chart_drawn(new_context, coordinator):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None
    )
    login(page, coordinator)
    page.get_by_test_id("overview-menu").click()
    page.get_by_test_id("dashboard-link").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    expect(page.locator("[data-chart='counties'] svg")).to_be_visible()
    drawn = _charts_drawn(page)
    assert set(drawn) >= {"status", "lights", "reporting", "sections", "counties", "timeline"}
    assert all(n > 5 for n in drawn.values()), drawn
    assert errors == []


def _bar_point(page, chart: str, category: str) -> dict:
    """Page coordinates of the middle of the red segment of a category's bar."""
    return page.evaluate(
        """([chart, category]) => {
            const el = document.querySelector(`[data-chart='${chart}']`);
            const c = echarts.getInstanceByDom(el);
            const option = c.getOption();
            const i = option.yAxis[0].data.indexOf(category);
            const red = option.series[0].data[i].value;
            const [x, y] = c.convertToPixel({seriesIndex: 0}, [red / 2, i]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y, red: red};
        }""",
        [chart, category],
    )


def test_clicking_a_county_bar_opens_that_countys_late_assignments(new_context, coordinator):
    county = Region.objects.get(name="平定县", kind=Region.Kind.COUNTY)
    late = with_light(
        assignment_list().filter(department__region=county, is_active=True, task__origin="plan"),
        "red",
    )
    expected = set(late.values_list("pk", flat=True))
    assert expected
    page = new_context().new_page()
    login(page, coordinator)
    page.goto("/dashboard/")
    chart = page.locator("[data-chart='counties']")
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg")).to_be_visible()
    point = _bar_point(page, "counties", "平定县")
    assert point["red"] == len(expected)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/dashboard/assignments/"))
    assert f"county={county.pk}" in page.url and "light=red" in page.url
    listed = {
        int(v)
        for v in page.locator("[data-testid=assignments] tr[data-assignment]").evaluate_all(
            "rows => rows.map(r => r.dataset.assignment)"
        )
    }
    assert listed == expected


def test_filters_survive_a_reload_and_a_copied_link(new_context, coordinator):
    county = Region.objects.get(name="平定县", kind=Region.Kind.COUNTY)
    page = new_context().new_page()
    login(page, coordinator)
    page.goto("/dashboard/")
    before = page.get_by_test_id("dashboard-scope").inner_text()
    page.select_option("#f-county", str(county.pk))
    page.wait_for_url(re.compile(rf"county={county.pk}"))  # htmx pushed the filter to the URL
    expect(page.get_by_test_id("dashboard-scope")).not_to_have_text(before)
    page.select_option("#f-light", "red")
    page.wait_for_url(re.compile(r"light=red"))
    url = page.url
    assert "department=" not in url  # empty filters stay out of the link
    expect(page.locator("[data-chart='lights'] svg")).to_be_visible()  # redrawn after the swap
    counted = page.get_by_test_id("light-red").inner_text()

    page.reload()
    assert page.locator("#f-county").input_value() == str(county.pk)
    assert page.locator("#f-light").input_value() == "red"
    assert page.get_by_test_id("light-red").inner_text() == counted

    other = new_context(**PHONE).new_page()  # someone the link was sent to
    login(other, coordinator)
    other.goto(url)
    assert other.locator("#f-county").input_value() == str(county.pk)
    assert other.get_by_test_id("light-red").inner_text() == counted
    assert other.get_by_test_id("light-green").inner_text() == "0"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_dashboard_pages_fit_the_screen_and_fetch_nothing_outside(
    new_context, coordinator, live_server, viewport
):
    from tests.browser.conftest import DESKTOP

    options = {"viewport": DESKTOP} if viewport == "desktop" else PHONE
    page = new_context(**options).new_page()
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    login(page, coordinator)
    for url in ("/dashboard/", "/dashboard/assignments/?light=red", "/dashboard/reporting/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (url, viewport, overflow)
    assert outside == []


def test_public_page_in_the_browser_shows_nothing_private(new_context, loaded_plan_db):
    from reports import services as report_services
    from tasks.models import Assignment

    body = Department.objects.get(short_name="市编办")
    staff = UserFactory(first_name="王晓明", role=UserRole.STAFF, department=body)
    reviewer = UserFactory(first_name="李审核", role=UserRole.REVIEWER, department=body)
    share = Assignment.objects.filter(department=body, role="lead").first()
    report = report_services.report_create(
        assignment=share, by=staff, status="in_progress", percent=50,
        progress="公开的进展：已完成调研", problems="不公开的问题：人手不足",
    )  # fmt: skip
    report = report_services.report_submit(report=report, by=staff, version=report.version)
    report_services.report_approve(report=report, by=reviewer, version=report.version)
    report_services.report_create(
        assignment=Assignment.objects.filter(department=body).exclude(pk=share.pk).first(),
        by=staff, status="in_progress", percent=10, progress="草稿：还没审核",
    )  # fmt: skip
    page = new_context().new_page()  # anonymous
    page.goto("/public/yq-2018-township-service/")
    text = page.locator("main").inner_text()
    assert "公开的进展：已完成调研" in text
    for private in ("不公开的问题", "草稿：还没审核", "王晓明", "李审核", staff.username):
        assert private not in text, private
    assert page.locator("a[href*='/evidence/']").count() == 0
