"""A coordinator in the admin cannot climb: no superuser, staff status, group or permission for
anyone, no superuser's or coordinator's account or password, no coordinator role, no deletes."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User, UserRole
from accounts.services import COORDINATOR_PERMISSIONS, account_create
from departments.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"


@pytest.fixture
def bureau():
    return Department.objects.get(short_name="市民政局")


@pytest.fixture
def superuser(bureau):
    return UserFactory(
        username="root_admin",
        is_superuser=True,
        is_staff=True,
        role=UserRole.COORDINATOR,
        department=bureau,
    )


@pytest.fixture
def coordinator(bureau):
    """A real coordinator: created by the service, so in the 协调员 group with its rights."""
    return account_create(
        username="minzheng_coord",
        department=bureau,
        role=UserRole.COORDINATOR,
        password="Xie-Tiao-Yuan-2019",
    )


@pytest.fixture
def other_coordinator(bureau):
    return account_create(
        username="minzheng_coord2",
        department=bureau,
        role=UserRole.COORDINATOR,
        password="Xie-Tiao-Yuan-2020",
    )


@pytest.fixture
def clerk():
    return UserFactory(
        username="bianban_clerk", department=Department.objects.get(short_name="市编办")
    )


@pytest.fixture
def coord_client(client, coordinator):
    client.force_login(coordinator)
    return client


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_form(user, **extra):
    """The fields of the admin's user form, as a browser would post them."""
    data = {
        "username": user.username,
        "department": user.department_id or "",
        "role": user.role,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2019-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(extra)
    return data


def test_coordinator_posting_superuser_staff_groups_and_permissions_grants_nothing(
    coord_client, coordinator, clerk
):
    group = Group.objects.create(name="全部权限")
    permission = Permission.objects.get(codename="delete_user")

    response = coord_client.post(
        change_url(clerk),
        change_form(
            clerk,
            is_superuser="on",
            is_staff="on",
            groups=[group.pk],
            user_permissions=[permission.pk],
            last_name="张",
        ),
    )

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    clerk.refresh_from_db()
    assert clerk.last_name == "张"  # the ordinary change went through
    assert not clerk.is_superuser and not clerk.is_staff
    assert not clerk.groups.exists() and not clerk.user_permissions.exists()


def test_coordinator_cannot_open_or_change_their_own_account_in_the_admin(
    coord_client, coordinator
):
    response = coord_client.post(
        change_url(coordinator), change_form(coordinator, is_superuser="on", is_staff="on")
    )

    # The admin treats an account outside the coordinator's list as missing.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:index")
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert list(coordinator.groups.values_list("name", flat=True)) == ["协调员"]


@pytest.mark.parametrize("target", ["superuser", "other_coordinator"])
def test_coordinator_cannot_see_change_or_set_the_password_of_admin_accounts(
    coord_client, request, target
):
    user = request.getfixturevalue(target)
    password_url = reverse("admin:auth_user_password_change", args=[user.pk])

    listing = coord_client.get(reverse("admin:accounts_user_changelist"))
    page = coord_client.get(change_url(user))
    form = coord_client.get(password_url)
    post = coord_client.post(
        password_url,
        {
            "password1": "Stolen-Pass-2024",
            "password2": "Stolen-Pass-2024",
            "usable_password": "true",
        },
    )

    assert user.username not in listing.content.decode()
    assert page.status_code == HTTPStatus.FOUND and page.url == reverse("admin:index")
    assert form.status_code == HTTPStatus.NOT_FOUND
    assert post.status_code == HTTPStatus.NOT_FOUND
    user.refresh_from_db()
    assert user.check_password(PASSWORD) or user.check_password("Xie-Tiao-Yuan-2020")
    assert not user.check_password("Stolen-Pass-2024")


def test_coordinator_user_form_has_no_privilege_fields_and_no_coordinator_role(coord_client, clerk):
    form = coord_client.get(change_url(clerk)).context["adminform"].form

    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)
    roles = [code for code, _label in form.fields["role"].choices if code]
    assert roles == [UserRole.STAFF, UserRole.REVIEWER, UserRole.VIEWER]


def test_superuser_user_form_keeps_the_privilege_fields(client, superuser, clerk):
    client.force_login(superuser)

    form = client.get(change_url(clerk)).context["adminform"].form

    assert {"is_superuser", "is_staff", "groups", "user_permissions"} <= set(form.fields)


def test_coordinator_cannot_create_a_coordinator_or_superuser(coord_client, bureau):
    response = coord_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_coord",
            "department": bureau.pk,
            "role": UserRole.COORDINATOR,
            "usable_password": "true",
            "password1": "Xin-Mima-2024-abc",
            "password2": "Xin-Mima-2024-abc",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new_coord").exists()


def test_coordinator_creates_a_body_account_without_rights(coord_client):
    response = coord_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_staff",
            "department": Department.objects.get(short_name="市财政局").pk,
            "role": UserRole.STAFF,
            "usable_password": "true",
            "password1": "Xin-Mima-2024-abc",
            "password2": "Xin-Mima-2024-abc",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(username="new_staff")
    assert (user.is_superuser, user.is_staff, user.groups.count()) == (False, False, 0)


def test_coordinator_cannot_import_a_coordinator_account_by_csv(coord_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "username,department,role,password\nsneaky,市民政局,coordinator,Chu-Shi-Mima-2019\n"
    response = coord_client.post(
        reverse("admin:accounts_user_import_csv"),
        {"file": SimpleUploadedFile("a.csv", csv.encode(), content_type="text/csv")},
    )

    assert "只有系统管理员可以开设" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_history_revert_cannot_bring_back_a_superuser_version(coord_client, clerk):
    """A revert builds the row from its old version: a past superuser flag must not come back."""
    clerk.is_superuser = clerk.is_staff = True
    clerk.save()
    clerk.is_superuser = clerk.is_staff = False
    clerk.save()
    old = clerk.history.filter(is_superuser=True).get()
    revert_url = reverse("admin:accounts_user_simple_history", args=[clerk.pk, old.history_id])

    coord_client.post(revert_url, change_form(clerk))

    clerk.refresh_from_db()
    assert not clerk.is_superuser and not clerk.is_staff


def _all_permissions_user():
    """Not a superuser, but holding every permission there is: deletes still refused."""
    user = UserFactory(username="has_everything", is_staff=True, role=UserRole.COORDINATOR)
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)  # fresh: no permission cache


def test_no_admin_class_or_inline_lets_a_non_superuser_delete():
    request = RequestFactory().get("/admin/")
    request.user = _all_permissions_user()
    allowed = []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.first()
        if model_admin.has_delete_permission(request) or model_admin.has_delete_permission(
            request, obj
        ):
            allowed.append(model._meta.label)
        for inline in model_admin.get_inline_instances(request, obj):
            if inline.has_delete_permission(request, obj):
                allowed.append(f"{model._meta.label} inline {type(inline).__name__}")
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label

    assert allowed == []


def test_coordinator_delete_of_an_account_is_refused(coord_client, clerk):
    response = coord_client.post(
        reverse("admin:accounts_user_delete", args=[clerk.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert User.objects.filter(pk=clerk.pk).exists()


def test_coordinator_delete_of_a_department_alias_in_its_inline_is_ignored(coord_client):
    from departments.models import DepartmentAlias

    alias = DepartmentAlias.objects.select_related("department").first()
    department = alias.department
    page = coord_client.get(reverse("admin:departments_department_change", args=[department.pk]))

    inline = page.context["inline_admin_formsets"][0]
    assert not inline.formset.can_delete


def test_every_model_a_coordinator_may_change_keeps_history():
    from django.apps import apps

    without = [
        f"{app}.{model}"
        for app, models in COORDINATOR_PERMISSIONS.items()
        for model, actions in models.items()
        if {"add", "change"} & set(actions) and not hasattr(apps.get_model(app, model), "history")
    ]

    assert without == []
