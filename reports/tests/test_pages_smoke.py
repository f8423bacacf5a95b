from http import HTTPStatus

import pytest

from accounts.models import Role as UserRole
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
    for url in ["/", "/plan/", "/tasks/", "/tasks/?q=执法", f"/tasks/{task.pk}/", f"/assignments/{assignment.pk}/"]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
    assert "推进行政执法改革" in client.get("/").content.decode()
