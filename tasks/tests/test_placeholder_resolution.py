"""The bureau names the bodies a 相关部门 wording stands for in one clause."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from accounts.models import UserRole
from departments.models import Department
from tasks.models import Assignment, Responsibility
from tasks.services import placeholder_resolve
from tests.factories import UserFactory

CLAUSE = "三(一)4-1"  # (市财政局牵头,相关部门配合)


@pytest.fixture
def coordinator():
    return UserFactory(
        role=UserRole.COORDINATOR, department=Department.objects.get(short_name="市民政局")
    )


@pytest.fixture
def placeholder():
    return Responsibility.objects.get(task__code=CLAUSE, department__short_name="相关部门")


def _bodies(*names):
    return [Department.objects.get(short_name=n) for n in names]


@pytest.mark.django_db
def test_resolving_creates_responsibilities_and_assignments_for_the_named_bodies(
    placeholder, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = placeholder_resolve(
            responsibility=placeholder, departments=_bodies("市民政局", "市农委"), by=coordinator
        )
    assert [r.department.short_name for r in created] == ["市民政局", "市农委"]
    assert all(r.role == "support" and r.written_as == "相关部门" for r in created)
    shares = Assignment.objects.filter(task__code=CLAUSE).values_list(
        "department__short_name", "role"
    )
    assert set(shares) == {("市财政局", "lead"), ("市民政局", "support"), ("市农委", "support")}
    assert created[0].history.first().history_user == coordinator


@pytest.mark.django_db
def test_api_keeps_the_plans_wording_and_lists_the_resolution_apart(
    placeholder, coordinator, api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        placeholder_resolve(
            responsibility=placeholder, departments=_bodies("市农委"), by=coordinator
        )
    api_client.force_authenticate(coordinator)
    task = api_client.get("/api/v1/tasks/", {"code": CLAUSE}).json()["results"][0]
    assert [d["name"] for d in task["supporting_departments"]] == ["相关部门"]
    assert [(d["name"], d["role"], d["written_as"]) for d in task["resolved_departments"]] == [
        ("市农委", "support", "相关部门")
    ]


@pytest.mark.django_db
def test_only_placeholders_can_be_resolved(coordinator):
    lead = Responsibility.objects.get(task__code=CLAUSE, department__short_name="市财政局")
    with pytest.raises(ValidationError):
        placeholder_resolve(responsibility=lead, departments=_bodies("市农委"), by=coordinator)
    assert not Responsibility.objects.filter(resolved_from__isnull=False).exists()


@pytest.mark.django_db
def test_a_body_already_on_the_clause_is_refused_and_nothing_is_saved(placeholder, coordinator):
    with pytest.raises(ValidationError, match="市财政局"):
        placeholder_resolve(
            responsibility=placeholder, departments=_bodies("市农委", "市财政局"), by=coordinator
        )
    assert not placeholder.resolutions.exists()


@pytest.mark.django_db
def test_bureau_resolves_in_the_admin(client, placeholder, django_capture_on_commit_callbacks):
    admin = UserFactory(
        role=UserRole.COORDINATOR,
        is_superuser=True,
        is_staff=True,
        department=Department.objects.get(short_name="市民政局"),
    )
    client.force_login(admin)
    url = f"/admin/tasks/responsibility/{placeholder.pk}/resolve/"
    assert client.get(url).status_code == HTTPStatus.OK
    nongwei = Department.objects.get(short_name="市农委")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"departments": [nongwei.pk]})
    assert response.status_code == HTTPStatus.FOUND
    assert Assignment.objects.filter(task__code=CLAUSE, department=nongwei).exists()
