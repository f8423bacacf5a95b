"""A county system writes for its own body only, through the same services as the browser:
checklist lines done with evidence, report evidence; another body's data is a 403 and
nothing changes. Throttled per client."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from milestones.models import ChecklistEvidence, ChecklistLine, LineState
from reports.models import Evidence

from .conftest import BearerClient, assignment_of, token_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
LINES = "/api/v1/checklist-lines/"
REPORTS = "/api/v1/progress-reports/"


def _pdf(name="验收报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _line_of(department) -> ChecklistLine:
    return ChecklistLine.objects.filter(department=department).order_by("pk").first()


def test_county_marks_its_own_checklist_line_done_with_evidence(pingding_api, pingding):
    line = _line_of(pingding.department)
    response = pingding_api.post(
        f"{LINES}{line.pk}/report-done/",
        {"completed_on": "2020-06-30", "note": "已挂牌运行", "file": _pdf()},
    )
    assert response.status_code == HTTPStatus.OK, response.content
    line.refresh_from_db()
    assert line.state == LineState.REPORTED and line.reported_by == pingding.client.user
    assert ChecklistEvidence.objects.filter(line=line).count() == 1
    assert response.json()["evidence"][0]["original_name"] == "验收报告.pdf"


def test_county_cannot_mark_another_countys_line_and_nothing_changes(pingding_api, yuxian):
    line = _line_of(yuxian.department)
    before = (line.state, line.updated_at, line.history.count())
    response = pingding_api.post_json(
        f"{LINES}{line.pk}/report-done/", {"completed_on": "2020-06-30", "note": "冒报"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    line.refresh_from_db()
    assert (line.state, line.updated_at, line.history.count()) == before
    with_file = pingding_api.post(
        f"{LINES}{line.pk}/report-done/", {"completed_on": "2020-06-30", "file": _pdf()}
    )
    assert with_file.status_code == HTTPStatus.FORBIDDEN
    assert not ChecklistEvidence.objects.filter(line=line).exists()


def test_county_cannot_confirm_its_own_line(pingding_api, pingding):
    line = _line_of(pingding.department)
    pingding_api.post_json(f"{LINES}{line.pk}/report-done/", {"completed_on": "2020-06-30"})
    response = pingding_api.post_json(f"{LINES}{line.pk}/confirm/", {})
    assert response.status_code == HTTPStatus.FORBIDDEN
    line.refresh_from_db()
    assert line.state == LineState.REPORTED


def test_county_uploads_evidence_to_its_report_but_not_to_anothers(
    pingding_api, yuxian_api, pingding
):
    data = {
        "assignment": assignment_of(pingding.department).pk,
        "percent": 10,
        "status": "in_progress",
    }
    report = pingding_api.post_json(REPORTS, data).json()
    refused = yuxian_api.post(f"{REPORTS}{report['id']}/evidence/", {"file": _pdf()})
    assert refused.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert not Evidence.objects.filter(report_id=report["id"]).exists()
    stored = pingding_api.post(f"{REPORTS}{report['id']}/evidence/", {"file": _pdf()})
    assert stored.status_code == HTTPStatus.CREATED, stored.content
    assert Evidence.objects.filter(report_id=report["id"]).count() == 1


def test_county_cannot_approve_reports_even_of_its_own_body(pingding_api, pingding):
    data = {
        "assignment": assignment_of(pingding.department).pk,
        "percent": 10,
        "status": "in_progress",
        "progress": "x",
    }
    report = pingding_api.post_json(REPORTS, data).json()
    submitted = pingding_api.post_json(
        f"{REPORTS}{report['id']}/submit/", {"version": report["version"]}
    ).json()
    response = pingding_api.post_json(
        f"{REPORTS}{report['id']}/approve/", {"version": submitted["version"]}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_each_client_is_throttled_on_its_own_with_retry_after(settings, pingding, yuxian):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_client": "3/min"}
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        pd, yx = BearerClient(token_for(pingding)), BearerClient(token_for(yuxian))
        codes = [pd.get("/api/v1/regions/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = pd.get("/api/v1/regions/")
        assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert int(limited["Retry-After"]) > 0
        assert limited.json()["code"] == "throttled"
        # Another county is not slowed by the first.
        assert yx.get("/api/v1/regions/").status_code == HTTPStatus.OK
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
