"""Pages and lists that do not grow with the number of counties (measured on load_scale data)."""

import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UserRole
from departments.models import Department
from supervision.selectors import SIGN_OFF_BLOCKERS_SHOWN
from tasks.models import Assignment, Task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CLAUSE = "三(二)1-1"  # 各县(区)人民政府负责: one share per county


@pytest.fixture
def coordinator(client):
    user = UserFactory(
        role=UserRole.COORDINATOR, department=Department.objects.get(short_name="市民政局")
    )
    client.force_login(user)
    client.get("/")  # the session's first request writes it; later ones only read it
    return user


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response, captured


def test_task_page_shows_counts_and_one_page_of_shares_and_names_ten_blockers(client, coordinator):
    call_command("load_scale", counties=40, verbosity=0)
    task = Task.objects.get(code=CLAUSE)
    shares = Assignment.objects.filter(task=task).count()
    assert shares == 45
    response, _ = _get(client, f"/tasks/{task.pk}/")
    html = response.content.decode()
    assert response.context["total"] == shares
    assert len(response.context["page"].object_list) == 25
    assert sum(response.context["light_counts"].values()) == shares
    blockers = re.search(r'data-testid="sign-off-blockers">(.*?)</div>', html, re.S).group(1)
    assert (
        blockers.count("尚未完成") + blockers.count("尚无审核通过") <= SIGN_OFF_BLOCKERS_SHOWN + 1
    )
    assert "另有" in blockers


def test_task_page_and_task_api_cost_the_same_at_two_sizes(client, coordinator):
    task = Task.objects.get(code=CLAUSE)
    call_command("load_scale", counties=2, verbosity=0)
    page_small, page_small_q = _get(client, f"/tasks/{task.pk}/")
    api_small, api_small_q = _get(client, "/api/v1/tasks/?page_size=200")
    call_command("load_scale", counties=40, verbosity=0)
    page_large, page_large_q = _get(client, f"/tasks/{task.pk}/")
    api_large, api_large_q = _get(client, "/api/v1/tasks/?page_size=200")
    assert len(page_small_q) == len(page_large_q)
    assert len(api_small_q) == len(api_large_q)
    # The task representation links to its shares; it does not inline them.
    assert api_small.content == api_large.content
    row = next(t for t in api_large.json()["results"] if t["id"] == task.pk)
    assert row["assignments"].endswith(f"/api/v1/assignments/?task={task.pk}")
    linked = client.get(row["assignments"]).json()
    assert linked["count"] == Assignment.objects.filter(task=task).count() == 45


def test_list_endpoints_leave_the_task_text_they_do_not_show_in_the_database(client, coordinator):
    for url in ("/api/v1/assignments/", "/api/v1/progress-reports/"):
        call_command("load_demo", verbosity=0)
        _response, captured = _get(client, url)
        listing = [q["sql"] for q in captured if '"tasks_task"' in q["sql"]]
        assert listing, url
        assert not any('"tasks_task"."text"' in sql for sql in listing), url
