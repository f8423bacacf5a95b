"""Edge cases of the browser views found in review."""

from http import HTTPStatus

import pytest

from reports import services
from reports.models import ProgressReport

from .conftest import pdf_upload


@pytest.mark.django_db
def test_form_without_its_version_cannot_overwrite_a_draft(client, member, assignment, make_report):
    report = make_report(assignment)
    client.force_login(member)
    response = client.post(
        f"/assignments/{assignment.pk}/",
        {"action": "save", "status": "in_progress", "percent": 40, "progress": "无版本的保存"},
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert "页面已过期" in response.content.decode()
    report.refresh_from_db()
    assert report.progress != "无版本的保存"


@pytest.mark.django_db
def test_removed_evidence_can_no_longer_be_downloaded(client, member, assignment, make_report):
    report = make_report(assignment)
    evidence = services.evidence_add(report=report, by=member, upload=pdf_upload())
    client.force_login(member)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == HTTPStatus.OK
    services.evidence_remove(evidence=evidence, by=member)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert ProgressReport.objects.get(pk=report.pk).evidence.count() == 1  # hidden, not deleted
