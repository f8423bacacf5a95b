"""The overview, its lists and its API cost the same number of queries at both data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import LARGE, SMALL, api_client_for, browser_for

pytestmark = pytest.mark.django_db


def _count(client, url) -> tuple[int, list[str]]:
    client.get(url)  # warm up: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/?light=red",
        "/dashboard/?county=5&section=12",
        "/dashboard/assignments/",
        "/dashboard/assignments/?light=done",
        "/dashboard/reporting/",
        "/dashboard/reporting/?report_state=approved&sort=-state",
    ],
)
def test_dashboard_pages_are_constant(scene, coordinator, url):
    client = browser_for(coordinator)
    scene.grow(SMALL)
    small, _ = _count(client, url)
    scene.grow(LARGE)
    large, sql = _count(client, url)
    assert small == large, "\n".join(sql)


@pytest.mark.parametrize(
    "url", ["/api/v1/dashboard/", "/api/v1/dashboard/?light=red&as_of=2020-06-30"]
)
def test_dashboard_api_is_constant(scene, coordinator, url):
    client = api_client_for(coordinator)
    scene.grow(SMALL)
    small, _ = _count(client, url)
    scene.grow(LARGE)
    large, sql = _count(client, url)
    assert small == large, "\n".join(sql)
    assert large <= 20  # the figures are ~14 aggregate queries, not one per row


@pytest.mark.parametrize(
    "url", ["/dashboard/assignments/?export=xlsx", "/dashboard/reporting/?export=xlsx"]
)
def test_exports_are_constant(scene, coordinator, url):
    client = browser_for(coordinator)
    scene.grow(SMALL)
    small, _ = _count(client, url)
    scene.grow(LARGE)
    large, sql = _count(client, url)
    assert small == large, "\n".join(sql)
