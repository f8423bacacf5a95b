"""A county system names what it creates with its own ids (unique per client) and finds them."""

from http import HTTPStatus

import pytest

from integrations.models import ExternalId
from reports.models import ProgressReport

from .conftest import assignment_of

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/progress-reports/"
EXTERNAL = "/api/v1/external-ids/"


def _body(department):
    return {"assignment": assignment_of(department).pk, "status": "in_progress", "percent": 5}


def test_create_with_external_id_and_look_it_up(pingding_api, pingding):
    created = pingding_api.post_json(
        REPORTS, _body(pingding.department), HTTP_X_EXTERNAL_ID="PD-2026-0153"
    )
    assert created.status_code == HTTPStatus.CREATED
    found = pingding_api.get(EXTERNAL, {"external_id": "PD-2026-0153"}).json()["results"]
    assert [(row["kind"], row["id"]) for row in found] == [
        ("progress-report", created.json()["id"])
    ]
    assert found[0]["url"] == f"{REPORTS}{created.json()['id']}/"
    assert pingding_api.get(EXTERNAL, {"external_id": "nothing"}).json()["count"] == 0


def test_an_external_id_used_again_is_a_409_naming_the_record_and_creates_nothing(
    pingding_api, pingding
):
    first = pingding_api.post_json(REPORTS, _body(pingding.department), HTTP_X_EXTERNAL_ID="X1")
    ProgressReport.objects.filter(pk=first.json()["id"]).update(state="approved")
    again = pingding_api.post_json(REPORTS, _body(pingding.department), HTTP_X_EXTERNAL_ID="X1")
    assert again.status_code == HTTPStatus.CONFLICT
    assert again.json()["id"] == first.json()["id"]
    assert ProgressReport.objects.filter(created_by=pingding.client.user).count() == 1


def test_external_ids_are_unique_per_client_not_across_clients(
    pingding_api, yuxian_api, pingding, yuxian
):
    a = pingding_api.post_json(REPORTS, _body(pingding.department), HTTP_X_EXTERNAL_ID="0001")
    b = yuxian_api.post_json(REPORTS, _body(yuxian.department), HTTP_X_EXTERNAL_ID="0001")
    assert a.status_code == b.status_code == HTTPStatus.CREATED
    # Each sees only its own.
    assert [r["id"] for r in yuxian_api.get(EXTERNAL).json()["results"]] == [b.json()["id"]]


def test_attach_to_an_own_record_but_not_to_another_bodys(pingding_api, yuxian_api, pingding):
    report = pingding_api.post_json(REPORTS, _body(pingding.department)).json()
    data = {"external_id": "PD-7", "kind": "progress-report", "id": report["id"]}
    refused = yuxian_api.post_json(EXTERNAL, data)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert not ExternalId.objects.exists()
    attached = pingding_api.post_json(EXTERNAL, data)
    assert attached.status_code == HTTPStatus.CREATED
    twice = pingding_api.post_json(EXTERNAL, {**data, "external_id": "PD-8"})
    assert twice.status_code == HTTPStatus.CONFLICT
    missing = pingding_api.post_json(EXTERNAL, {**data, "external_id": "PD-9", "id": 10**9})
    assert missing.status_code == HTTPStatus.NOT_FOUND
