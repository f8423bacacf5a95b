"""Coordinators register, rotate and revoke county systems in the admin; the secret is shown once."""

import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages

from accounts.models import UserRole
from accounts.services import account_create
from departments.models import Department
from integrations.models import ApiClient

from .conftest import PINGDING, token_response

pytestmark = pytest.mark.django_db

URL = "/admin/integrations/apiclient/"


@pytest.fixture
def coordinator_client(client):
    coordinator = account_create(
        username="mzj_admin",
        department=Department.objects.get(short_name="市民政局"),
        role=UserRole.COORDINATOR,
        password="Xie-Tiao-Yuan-2019",
    )
    client.force_login(coordinator)
    return client


def _secret_from(response) -> tuple[str, str]:
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    match = re.search(r"client_id=(\S+) client_secret=(\S+)", text)
    assert match, text
    return match.groups()


def test_coordinator_registers_a_client_and_sees_the_secret_once(coordinator_client):
    department = Department.objects.get(short_name=PINGDING)
    response = coordinator_client.post(
        f"{URL}add/",
        {"department": department.pk, "name": "平定县政务系统", "scope_choices": ["read"]},
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    client_id, secret = _secret_from(response)
    client = ApiClient.objects.get(application__client_id=client_id)
    assert client.scope_list == ["read"] and client.department == department
    assert token_response(client_id, secret).status_code == HTTPStatus.OK
    first = coordinator_client.get(f"{URL}{client.pk}/change/")
    assert secret in first.content.decode()  # the message, on the page after saving
    again = coordinator_client.get(f"{URL}{client.pk}/change/")
    assert again.status_code == HTTPStatus.OK
    assert secret not in again.content.decode()


def test_rotate_and_revoke_actions(coordinator_client, pingding):
    rotate = coordinator_client.post(
        URL, {"action": "rotate", "_selected_action": [pingding.client.pk]}
    )
    _, new_secret = _secret_from(rotate)
    assert token_response(pingding.client_id, pingding.secret).status_code != HTTPStatus.OK
    assert token_response(pingding.client_id, new_secret).status_code == HTTPStatus.OK
    coordinator_client.post(URL, {"action": "revoke", "_selected_action": [pingding.client.pk]})
    pingding.client.refresh_from_db()
    assert pingding.client.revoked_at is not None
    assert token_response(pingding.client_id, new_secret).status_code != HTTPStatus.OK


def test_body_staff_cannot_open_the_clients_admin(client, pingding):
    from tests.factories import UserFactory

    staff = UserFactory(
        username="pd_admin_try", role=UserRole.STAFF, department=pingding.department
    )
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(URL).status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
