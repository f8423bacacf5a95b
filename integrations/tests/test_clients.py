"""County systems as OAuth 2.0 clients: registration, tokens, scopes, rotation, revocation.

Every token here comes from a real HTTP request to /o/token/.
"""

import io
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.authtoken.models import Token

from accounts.models import UserRole
from departments.models import Department
from integrations.models import ApiClient
from integrations.services import api_client_revoke, api_client_rotate
from reports.models import ProgressReport
from tests.factories import UserFactory

from .conftest import (
    PINGDING,
    YUXIAN,
    BearerClient,
    assignment_of,
    county,
    token_for,
    token_response,
)

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments/"
REPORTS = "/api/v1/progress-reports/"


def test_create_api_client_prints_one_line_and_stores_the_secret_hashed():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_client",
        "--department",
        PINGDING,
        "--name",
        "平定县政务系统",
        "--scopes",
        "read,write",
        stdout=out,
        stderr=err,
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    match = re.fullmatch(r"client_id=(\S+) client_secret=(\S+)", lines[0])
    assert match, lines
    client_id, secret = match.groups()
    client = ApiClient.objects.select_related("application", "user").get(
        application__client_id=client_id
    )
    assert client.department.short_name == PINGDING
    assert client.scope_list == ["read", "write"]
    stored = client.application.client_secret
    assert stored != secret and check_password(secret, stored)
    # The service account acts for the body and cannot log in.
    assert client.user.role == UserRole.STAFF
    assert client.user.department.short_name == PINGDING
    assert not client.user.has_usable_password()
    assert token_response(client_id, secret).status_code == HTTPStatus.OK


def test_create_api_client_refuses_an_unknown_scope():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "create_api_client", "--department", PINGDING, "--name", "x", "--scopes", "admin"
        )
    assert not ApiClient.objects.exists()


def test_token_lasts_at_most_an_hour_and_carries_the_clients_scopes(pingding):
    response = token_response(pingding.client_id, pingding.secret)
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 3600
    assert set(body["scope"].split()) == {"read", "write"}


def test_wrong_secret_gets_no_token(pingding):
    response = token_response(pingding.client_id, "not-the-secret")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not AccessToken.objects.exists()


def test_read_only_client_cannot_ask_for_write():
    reader = county(YUXIAN, scopes=("read",))
    response = token_response(reader.client_id, reader.secret, scope="read write")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_scope"


def test_client_reads_its_bodys_assignments(pingding_api, pingding):
    response = pingding_api.get(ASSIGNMENTS, {"mine": "true"})
    assert response.status_code == HTTPStatus.OK
    rows = response.json()["results"]
    assert rows and {row["department"]["id"] for row in rows} == {pingding.department.pk}
    # …and, like any account, the whole plan.
    everything = pingding_api.get(ASSIGNMENTS).json()["count"]
    assert everything > len(rows)


def test_client_use_is_recorded(pingding_api, pingding):
    assert pingding.client.last_used_at is None
    pingding_api.get(ASSIGNMENTS)
    pingding.client.refresh_from_db()
    assert pingding.client.last_used_at is not None


def test_each_county_writes_its_own_report_and_not_the_others(
    pingding_api, yuxian_api, pingding, yuxian
):
    mine = assignment_of(pingding.department)
    theirs = assignment_of(yuxian.department)
    data = {"assignment": mine.pk, "status": "in_progress", "percent": 20, "progress": "已部署"}
    created = pingding_api.post_json(REPORTS, data)
    assert created.status_code == HTTPStatus.CREATED, created.content
    report = ProgressReport.objects.get(pk=created.json()["id"])
    assert report.created_by == pingding.client.user

    before = ProgressReport.objects.count()
    refused = pingding_api.post_json(REPORTS, {**data, "assignment": theirs.pk})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert ProgressReport.objects.count() == before

    # 盂县 cannot change or submit 平定县's draft; it stays as it was.
    version = report.version
    change = yuxian_api.patch_json(
        f"{REPORTS}{report.pk}/",
        {"percent": 90, "version": version},
        HTTP_IF_MATCH=created["ETag"],
    )
    assert change.status_code == HTTPStatus.FORBIDDEN
    submit = yuxian_api.post_json(f"{REPORTS}{report.pk}/submit/", {"version": version})
    assert submit.status_code == HTTPStatus.FORBIDDEN
    report.refresh_from_db()
    assert (report.percent, report.version, report.state) == (20, version, "draft")
    # Nor does it see the draft at all.
    assert yuxian_api.get(f"{REPORTS}{report.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_read_only_client_cannot_write():
    reader = county(YUXIAN, scopes=("read",))
    api = BearerClient(token_for(reader))
    assert api.get(ASSIGNMENTS).status_code == HTTPStatus.OK
    data = {"assignment": assignment_of(reader.department).pk, "percent": 10}
    response = api.post_json(REPORTS, data)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "write" in response.json()["detail"]
    assert not ProgressReport.objects.filter(created_by=reader.client.user).exists()


def test_read_token_of_a_read_write_client_cannot_write(pingding):
    api = BearerClient(token_for(pingding, scope="read"))
    data = {"assignment": assignment_of(pingding.department).pk, "percent": 10}
    assert api.post_json(REPORTS, data).status_code == HTTPStatus.FORBIDDEN
    assert not ProgressReport.objects.filter(created_by=pingding.client.user).exists()


def test_revoked_client_is_refused_at_once_and_gets_no_new_token(pingding_api, pingding):
    assert pingding_api.get(ASSIGNMENTS).status_code == HTTPStatus.OK
    call_command("revoke_api_client", "--client-id", pingding.client_id, stdout=io.StringIO())
    response = pingding_api.get(ASSIGNMENTS)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "not_authenticated"
    assert token_response(pingding.client_id, pingding.secret).status_code in (
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.BAD_REQUEST,
    )


def test_revoked_client_is_refused_even_if_a_token_row_survived(pingding):
    token = token_for(pingding)
    ApiClient.objects.filter(pk=pingding.client.pk).update(revoked_at=timezone.now())
    assert BearerClient(token).get(ASSIGNMENTS).status_code == HTTPStatus.UNAUTHORIZED


def test_expired_token_is_refused(pingding):
    token = token_for(pingding)
    api = BearerClient(token)
    assert api.get(ASSIGNMENTS).status_code == HTTPStatus.OK
    AccessToken.objects.filter(token_checksum__isnull=False).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    assert api.get(ASSIGNMENTS).status_code == HTTPStatus.UNAUTHORIZED


def test_rotation_stops_the_old_secret_and_its_tokens(pingding):
    old_token = token_for(pingding)
    new_secret = api_client_rotate(client=pingding.client)
    assert BearerClient(old_token).get(ASSIGNMENTS).status_code == HTTPStatus.UNAUTHORIZED
    assert token_response(pingding.client_id, pingding.secret).status_code != HTTPStatus.OK
    assert token_response(pingding.client_id, new_secret).status_code == HTTPStatus.OK


def test_personal_tokens_and_sessions_keep_working(pingding):
    person = UserFactory(
        username="pd_staff",
        role=UserRole.STAFF,
        department=Department.objects.get(short_name=PINGDING),
    )
    from django.test import Client

    by_token = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    assert by_token.get(ASSIGNMENTS).status_code == HTTPStatus.OK
    by_session = Client()
    by_session.force_login(person)
    assert by_session.get(ASSIGNMENTS).status_code == HTTPStatus.OK


def test_revoke_is_idempotent_and_rotation_of_a_revoked_client_is_refused(pingding):
    from core.errors import ApplicationError

    api_client_revoke(client=pingding.client)
    again = api_client_revoke(client=pingding.client)
    assert again.revoked_at is not None
    with pytest.raises(ApplicationError):
        api_client_rotate(client=pingding.client)
