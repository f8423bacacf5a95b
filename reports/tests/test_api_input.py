"""What a report write refuses: fields it does not take, a missing version, over-long text."""

from http import HTTPStatus

import pytest

from reports.models import ProgressReport

from .conftest import api_client_for

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/progress-reports/"


@pytest.fixture
def staff_api(member):
    return api_client_for(member)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_read_only_and_unknown_fields_are_a_400_naming_each(
    staff_api, assignment, make_report, member, method, other_assignment
):
    report = make_report(assignment, by=member)

    response = getattr(staff_api, method)(
        f"{REPORTS}{report.pk}/",
        {
            "version": report.version,
            "progress": "改了进展",
            "state": "approved",
            "assignment": other_assignment.pk,
            "created_by": "someone",
            "colour": "red",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert set(body) == {"state", "assignment", "created_by", "colour"}
    assert body["state"] == ["只读字段，不能修改。"]
    assert body["colour"] == ["未知字段，不能提交。"]
    report.refresh_from_db()
    assert (report.progress, report.state, report.version) == (
        "已起草行政执法改革方案",
        ProgressReport.State.DRAFT,
        1,
    )


def test_patch_without_version_is_a_400(staff_api, assignment, make_report, member):
    report = make_report(assignment, by=member)

    response = staff_api.patch(f"{REPORTS}{report.pk}/", {"progress": "x"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "version" in response.json()


def test_schema_says_patch_requires_version(api_client, member):
    api_client.force_authenticate(member)
    schema = api_client.get("/api/schema/?format=json").json()

    body = schema["paths"]["/api/v1/progress-reports/{id}/"]["patch"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    component = schema["components"]["schemas"][ref]
    assert "version" in component["required"]
    assert component["additionalProperties"] is False


@pytest.mark.parametrize("field", ["progress", "problems", "next_steps"])
def test_report_text_over_5000_characters_is_a_400(staff_api, assignment, field):
    response = staff_api.post(
        REPORTS, {"assignment": assignment.pk, field: "字" * 5001}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.json()
    assert not assignment.reports.exists()


def test_an_assignment_that_does_not_exist_is_a_404(staff_api):
    response = staff_api.post(REPORTS, {"assignment": 99999999, "progress": "x"}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_approving_a_report_that_is_not_submitted_is_a_409(
    assignment, make_report, member, reviewer
):
    report = make_report(assignment, by=member)

    response = api_client_for(reviewer).post(
        f"{REPORTS}{report.pk}/approve/", {"version": report.version}, format="json"
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "conflict"


def test_not_started_with_a_percent_above_zero_is_a_400_and_creates_nothing(staff_api, assignment):
    response = staff_api.post(
        REPORTS,
        {
            "assignment": assignment.pk,
            "status": "not_started",
            "percent": 80,
            "progress": "尚未启动",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "未启动" in response.json()["percent"][0]
    assert not ProgressReport.objects.filter(assignment=assignment).exists()
