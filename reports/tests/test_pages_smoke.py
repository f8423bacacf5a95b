from http import HTTPStatus

import pytest

from accounts.models import UserRole
from departments.models import Department
from tasks.models import Assignment, Task
from tests.factories import UserFactory


@pytest.fixture
def bianban_staff():
    return UserFactory(role=UserRole.STAFF, department=Department.objects.get(short_name="市编办"))


@pytest.mark.django_db
def test_every_workbench_page_renders_for_staff(client, bianban_staff):
    client.force_login(bianban_staff)
    task = Task.objects.get(code="三(一)2-1")
    assignment = Assignment.objects.get(task=task, department=bianban_staff.department)
    for url in [
        "/",
        "/plan/",
        "/tasks/",
        "/tasks/?q=执法",
        f"/tasks/{task.pk}/",
        f"/assignments/{assignment.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
    assert "推进行政执法改革" in client.get("/").content.decode()


@pytest.mark.django_db
def test_county_home_lists_its_dated_steps_with_the_early_one_flagged(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    county = Department.objects.get(short_name="平定县人民政府")
    client.force_login(UserFactory(role=UserRole.STAFF, department=county))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert "各县(区)制定试点工作实施方案" in page
    assert "早于印发日期" in page
    assert "张庄镇" in page and "冶西镇" in page  # the pilot towns' lines
    # 平定县 has 17 checklist lines; one query reads them all.
    assert sum("milestones_checklistline" in q["sql"] for q in ctx.captured_queries) == 1
