"""The overview page, its lists, and its API's answers to bad input."""

import json
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from departments.models import Region

from .conftest import LARGE, api_client_for, browser_for

pytestmark = pytest.mark.django_db


def _figures(response) -> dict:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its figures for the charts"
    return json.loads(match.group(1))["figures"]


def test_page_shows_the_same_figures_as_the_api(scene, coordinator):
    scene.grow(LARGE)
    county = Region.objects.get(name="平定县", kind="county").pk
    query = {"county": county}
    page = _figures(browser_for(coordinator).get("/dashboard/", query))
    api = api_client_for(coordinator).get("/api/v1/dashboard/", query).json()
    for key in ("total", "status", "lights", "reporting", "open_findings", "overdue_reminders"):
        assert page[key] == api[key], key
    assert [r["total"] for r in page["by_section"]] == [r["total"] for r in api["by_section"]]


def test_every_light_count_links_to_a_list_of_that_many(scene, coordinator):
    scene.grow(LARGE)
    client = browser_for(coordinator)
    county = Region.objects.get(name="平定县", kind="county").pk
    response = client.get("/dashboard/", {"county": county})
    figures = _figures(response)
    html = response.content.decode()
    for light, n in figures["lights"].items():
        href = unescape(re.search(rf'href="([^"]+)" data-testid="light-{light}"', html).group(1))
        assert f"light={light}" in href and f"county={county}" in href
        listed = client.get(href)
        assert listed.context["page"].paginator.count == n, light


def test_bad_filter_on_the_page_is_a_message_and_the_rest_still_applies(coordinator):
    county = Region.objects.get(name="平定县", kind="county").pk
    client = browser_for(coordinator)
    response = client.get("/dashboard/", {"department": "abc", "county": county})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("单位" in m and "无效" in m for m in messages)
    assert response.context["scope"] == {"county": str(county)}
    assert (
        _figures(response)["total"]
        == client.get("/dashboard/", {"county": county}).context["figures"]["total"]
    )


def test_htmx_request_gets_only_the_figures(coordinator):
    response = browser_for(coordinator).get("/dashboard/?light=red", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="dashboard-body"')
    assert "<html" not in html and "dashboard-data" in html


@pytest.mark.parametrize(
    "query, field",
    [
        ("light=purple", "light"),
        ("county=abc", "county"),
        ("department=", "department"),
        ("as_of=2019-02-30", "as_of"),
        ("section=-1", "section"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_parameter(coordinator, query, field):
    response = api_client_for(coordinator).get(f"/api/v1/dashboard/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_an_id_that_names_nothing_gives_empty_figures(coordinator):
    data = api_client_for(coordinator).get("/api/v1/dashboard/?county=999999").json()
    assert data["total"] == 0 and data["lights"] == {"red": 0, "yellow": 0, "green": 0, "done": 0}


def test_reporting_status_lists_each_state_sorted_and_paginated(scene, coordinator):
    scene.grow(LARGE)
    client = browser_for(coordinator)
    response = client.get("/dashboard/reporting/", {"sort": "state"})
    counts = {state: n for state, _label, n, _url in response.context["counts"]}
    assert sum(counts.values()) == response.context["page"].paginator.count
    order = ["approved", "submitted", "returned", "draft", "none"]
    ranks = [order.index(a.period_state) for a in response.context["page"]]
    assert ranks == sorted(ranks)
    for state, n in counts.items():
        listed = client.get("/dashboard/reporting/", {"report_state": state})
        assert listed.context["page"].paginator.count == n, state
        assert {a.period_state for a in listed.context["page"]} <= {state}
    assert response.context["page"].paginator.num_pages > 1  # 120+ rows, 50 a page
    second = client.get("/dashboard/reporting/", {"sort": "state", "page": 2})
    assert second.context["page"].number == 2


def test_reporting_status_bad_sort_is_a_message(coordinator):
    response = browser_for(coordinator).get("/dashboard/reporting/", {"sort": "nope"})
    assert response.status_code == 200
    assert any("排序" in str(m) for m in response.context["messages"])


def _sheet_rows(response):
    content = b"".join(response.streaming_content)
    import io

    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, [list(r) for r in sheet.iter_rows(values_only=True)]


def test_drilldown_export_rows_equal_the_list_on_screen(scene, coordinator):
    scene.grow(LARGE)
    client = browser_for(coordinator)
    query = {"light": "red", "page": 1}
    on_screen = list(client.get("/dashboard/assignments/", query).context["page"])
    response = client.get("/dashboard/assignments/", {"light": "red", "export": "xlsx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet, rows = _sheet_rows(response)
    assert rows[0] == [
        "序号",
        "任务编号",
        "工作任务",
        "牵头单位",
        "配合单位",
        "完成时限",
        "进度",
        "完成百分比",
        "状态灯",
        "最新进展",
        "存在问题",
    ]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:K")
    body = rows[1:]
    total = client.get("/dashboard/assignments/", query).context["page"].paginator.count
    assert len(body) == total
    for row, a in zip(body, on_screen, strict=False):
        assert row[1] == a.task.code and row[2] == a.task.title
        assert a.department.short_name in (row[3], row[4])
        assert row[5].date() == a.deadline
        assert row[8] == "红灯"
        assert row[9] == (a.approved_progress or None)


def test_reporting_export_rows_equal_the_list_on_screen(scene, coordinator):
    scene.grow(LARGE)
    client = browser_for(coordinator)
    screen = client.get("/dashboard/reporting/", {"sort": "-state"})
    on_screen = list(screen.context["page"])
    response = client.get("/dashboard/reporting/", {"sort": "-state", "export": "xlsx"})
    _sheet, rows = _sheet_rows(response)
    assert rows[0][-1] == "本期填报"
    assert len(rows) - 1 == screen.context["page"].paginator.count
    labels = {
        "approved": "已审核",
        "submitted": "已报送",
        "draft": "草稿",
        "returned": "退回",
        "none": "未填报",
    }
    for row, a in zip(rows[1:], on_screen, strict=False):
        assert row[1] == a.task.code
        assert a.department.short_name in (row[3], row[4])
        assert row[-1] == labels[a.period_state]
