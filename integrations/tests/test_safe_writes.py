"""Safe retries (Idempotency-Key) and no lost updates (ETag / If-Match), as county systems."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import UserRole
from integrations.models import IdempotencyRecord
from integrations.tasks import idempotency_expire_task
from reports.models import Evidence, ProgressReport
from tests.factories import UserFactory

from .conftest import assignment_of

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/progress-reports/"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _body(assignment, **fields):
    return {
        "assignment": assignment.pk,
        "status": "in_progress",
        "percent": 30,
        "progress": "已召开部署会",
        **fields,
    }


# --- Idempotency-Key ---------------------------------------------------------------------


def test_repeated_post_with_the_same_key_returns_the_first_answer_and_creates_nothing(
    pingding_api, pingding
):
    body = _body(assignment_of(pingding.department))
    first = pingding_api.post_json(REPORTS, body, HTTP_IDEMPOTENCY_KEY="pd-2026-0001")
    assert first.status_code == HTTPStatus.CREATED, first.content
    again = pingding_api.post_json(REPORTS, body, HTTP_IDEMPOTENCY_KEY="pd-2026-0001")
    assert again.status_code == HTTPStatus.CREATED
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ProgressReport.objects.filter(created_by=pingding.client.user).count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_with_another_body_is_a_422_and_creates_nothing(pingding_api, pingding):
    assignment = assignment_of(pingding.department)
    first = pingding_api.post_json(REPORTS, _body(assignment), HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == HTTPStatus.CREATED
    other = pingding_api.post_json(
        REPORTS, _body(assignment, percent=40), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert other.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert other.json()["code"] == "unprocessable"
    assert ProgressReport.objects.filter(created_by=pingding.client.user).count() == 1


def test_a_transition_repeated_with_its_key_runs_once(pingding_api, pingding):
    created = pingding_api.post_json(REPORTS, _body(assignment_of(pingding.department)))
    report = created.json()
    submit = f"{REPORTS}{report['id']}/submit/"
    first = pingding_api.post_json(submit, {"version": report["version"]}, HTTP_IDEMPOTENCY_KEY="s")
    again = pingding_api.post_json(submit, {"version": report["version"]}, HTTP_IDEMPOTENCY_KEY="s")
    # Without the key the retry would be a 409 (the version moved on); with it, the first 200.
    assert first.status_code == again.status_code == HTTPStatus.OK
    assert again.json()["version"] == first.json()["version"] == report["version"] + 1
    assert ProgressReport.objects.get(pk=report["id"]).history.count() == 2


def test_keys_are_per_caller(pingding_api, yuxian_api, pingding, yuxian):
    a = pingding_api.post_json(
        REPORTS, _body(assignment_of(pingding.department)), HTTP_IDEMPOTENCY_KEY="same"
    )
    b = yuxian_api.post_json(
        REPORTS, _body(assignment_of(yuxian.department)), HTTP_IDEMPOTENCY_KEY="same"
    )
    assert a.status_code == b.status_code == HTTPStatus.CREATED
    assert a.json()["id"] != b.json()["id"]


def test_people_use_idempotency_keys_too(pingding):
    person = UserFactory(username="pd_p", role=UserRole.STAFF, department=pingding.department)
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    body = _body(assignment_of(pingding.department))
    for _ in range(2):
        response = client.post(
            REPORTS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p-1"
        )
        assert response.status_code == HTTPStatus.CREATED
    assert ProgressReport.objects.filter(created_by=person).count() == 1


def test_a_request_still_running_answers_409_and_runs_nothing(pingding_api, pingding):
    from integrations.middleware import request_hash  # noqa: F401  (the hash is compared)

    assignment = assignment_of(pingding.department)
    IdempotencyRecord.objects.create(
        user=pingding.client.user, key="busy", method="POST", path=REPORTS, request_hash="x"
    )
    # Another body → 422 even while running; the same body would meet the running record.
    response = pingding_api.post_json(REPORTS, _body(assignment), HTTP_IDEMPOTENCY_KEY="busy")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    record = IdempotencyRecord.objects.get(key="busy")
    from django.test import RequestFactory

    from integrations.middleware import request_hash as fingerprint

    factory_request = RequestFactory().post(
        REPORTS, data=_body(assignment), content_type="application/json"
    )
    record.request_hash = fingerprint(factory_request)
    record.save()
    response = pingding_api.post_json(REPORTS, _body(assignment), HTTP_IDEMPOTENCY_KEY="busy")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Retry-After"] == "1"
    assert not ProgressReport.objects.filter(created_by=pingding.client.user).exists()


def test_keys_expire_after_24_hours_and_the_job_removes_them(pingding_api, pingding):
    assignment = assignment_of(pingding.department)
    first = pingding_api.post_json(REPORTS, _body(assignment), HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    # Expired: the key is free again (the body differs, and it is not a 422).
    other = assignment_of(pingding.department)
    ProgressReport.objects.filter(pk=first.json()["id"]).update(state="approved")
    again = pingding_api.post_json(REPORTS, _body(other, percent=50), HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code != HTTPStatus.UNPROCESSABLE_ENTITY
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.create(
        user=pingding.client.user, key="fresh", method="POST", path=REPORTS, request_hash="x"
    )
    assert idempotency_expire_task.delay().get() >= 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_an_upload_repeated_with_its_key_stores_one_file(pingding_api, pingding):
    created = pingding_api.post_json(REPORTS, _body(assignment_of(pingding.department)))
    url = f"{REPORTS}{created.json()['id']}/evidence/"
    answers = [
        pingding_api.post(
            url,
            {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
            HTTP_IDEMPOTENCY_KEY="u-1",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [HTTPStatus.CREATED, HTTPStatus.CREATED]
    assert answers[0].json() == answers[1].json()
    assert Evidence.objects.filter(report_id=created.json()["id"]).count() == 1


def test_idempotency_key_on_an_upload_over_2_mb_is_refused(pingding_api, pingding):
    created = pingding_api.post_json(REPORTS, _body(assignment_of(pingding.department)))
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = pingding_api.post(
        f"{REPORTS}{created.json()['id']}/evidence/",
        {"file": SimpleUploadedFile("big.pdf", big, content_type="application/pdf")},
        HTTP_IDEMPOTENCY_KEY="u-2",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Evidence.objects.filter(report_id=created.json()["id"]).exists()


# --- ETag / If-Match ---------------------------------------------------------------------


@pytest.fixture
def draft(pingding_api, pingding):
    response = pingding_api.post_json(REPORTS, _body(assignment_of(pingding.department)))
    assert response.status_code == HTTPStatus.CREATED
    return response


def test_single_report_carries_its_etag(pingding_api, draft):
    report = draft.json()
    assert draft["ETag"] == f'"{report["id"]}-v{report["version"]}"'
    got = pingding_api.get(f"{REPORTS}{report['id']}/")
    assert got["ETag"] == draft["ETag"]


def test_county_change_without_if_match_is_a_428_and_changes_nothing(pingding_api, draft):
    report = draft.json()
    response = pingding_api.patch_json(
        f"{REPORTS}{report['id']}/", {"percent": 60, "version": report["version"]}
    )
    assert response.status_code == HTTPStatus.PRECONDITION_REQUIRED
    assert response.json()["code"] == "precondition_required"
    assert ProgressReport.objects.get(pk=report["id"]).percent == 30


def test_county_change_with_current_if_match_saves_and_returns_the_new_etag(pingding_api, draft):
    report = draft.json()
    response = pingding_api.patch_json(
        f"{REPORTS}{report['id']}/", {"percent": 60}, HTTP_IF_MATCH=draft["ETag"]
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["percent"] == 60
    assert response["ETag"] == f'"{report["id"]}-v{report["version"] + 1}"'


def test_stale_if_match_is_a_412_with_the_current_report_and_changes_nothing(pingding_api, draft):
    report = draft.json()
    stale = draft["ETag"]
    moved = pingding_api.patch_json(
        f"{REPORTS}{report['id']}/", {"percent": 50}, HTTP_IF_MATCH=stale
    )
    assert moved.status_code == HTTPStatus.OK
    history = ProgressReport.objects.get(pk=report["id"]).history.count()
    response = pingding_api.put_json(
        f"{REPORTS}{report['id']}/", {"percent": 90, "progress": "覆盖"}, HTTP_IF_MATCH=stale
    )
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    body = response.json()
    assert body["code"] == "precondition_failed"
    assert body["current"]["percent"] == 50
    assert body["current"]["version"] == report["version"] + 1
    assert response["ETag"] == moved["ETag"]
    fresh = ProgressReport.objects.get(pk=report["id"])
    assert (fresh.percent, fresh.history.count()) == (50, history)


def test_if_match_and_body_version_that_disagree_are_a_412(pingding_api, draft):
    report = draft.json()
    response = pingding_api.patch_json(
        f"{REPORTS}{report['id']}/",
        {"percent": 70, "version": report["version"] + 5},
        HTTP_IF_MATCH=draft["ETag"],
    )
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert ProgressReport.objects.get(pk=report["id"]).percent == 30


def test_submit_takes_if_match_instead_of_the_body_version(pingding_api, draft):
    report = draft.json()
    response = pingding_api.post_json(
        f"{REPORTS}{report['id']}/submit/", {}, HTTP_IF_MATCH=draft["ETag"]
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["state"] == "submitted"


def test_people_keep_the_body_version_without_if_match(pingding, draft):
    person = UserFactory(username="pd_q", role=UserRole.STAFF, department=pingding.department)
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    report = draft.json()
    response = client.patch(
        f"{REPORTS}{report['id']}/",
        {"percent": 35, "version": report["version"]},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.OK
    stale = client.patch(
        f"{REPORTS}{report['id']}/",
        {"percent": 36, "version": report["version"]},
        content_type="application/json",
    )
    assert stale.status_code == HTTPStatus.CONFLICT


def test_an_answer_the_database_cannot_hold_is_not_kept_and_is_not_a_500(pingding_api):
    # An unknown field whose name holds a NUL is echoed in the 400 (found by the contract run).
    response = pingding_api.post(
        "/api/v1/external-ids/",
        "a%00b=1",
        content_type="application/x-www-form-urlencoded",
        HTTP_IDEMPOTENCY_KEY="nul-1",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    from django.db import connection

    if connection.vendor == "postgresql":
        assert not IdempotencyRecord.objects.filter(key="nul-1").exists()
