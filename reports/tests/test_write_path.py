"""A lean write path: a PATCH of a report in a bounded number of queries, whatever the data."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import ProgressReport

from .conftest import api_client_for, pdf_upload

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/progress-reports/"
PATCH_MAX_QUERIES = 10


def _statements(captured) -> list[str]:
    """SQL that reads or writes rows; savepoints are transaction bookkeeping (the test's
    own transaction adds a pair that a request in production does not have)."""
    return [
        q["sql"]
        for q in captured
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def _patch(client, report, text):
    with CaptureQueriesContext(connection) as captured:
        response = client.patch(
            f"{REPORTS}{report.pk}/",
            {"progress": text, "version": report.version},
            format="json",
        )
    assert response.status_code == HTTPStatus.OK, response.content
    return captured


def test_patch_of_a_report_takes_at_most_ten_queries_and_is_saved(member, assignment, make_report):
    report = make_report(assignment, by=member)
    client = api_client_for(member)
    client.get(f"{REPORTS}{report.pk}/")  # the session and the user are read once per request
    captured = _patch(client, report, "已完成执法改革方案初稿")
    statements = _statements(captured)
    assert len(statements) <= PATCH_MAX_QUERIES, "\n".join(statements)
    # The report is read once (locked, with what the response shows), never re-read.
    reads = [sql for sql in statements if 'FROM "reports_progressreport"' in sql]
    assert len(reads) == 2 and '"progress"' not in reads[0]
    if connection.vendor == "postgresql":  # SQLite locks the whole database instead
        assert "FOR UPDATE" in reads[1]
    report.refresh_from_db()
    assert report.progress == "已完成执法改革方案初稿" and report.version == 2
    assert report.history.count() == 2


def test_patch_query_count_does_not_grow_with_history_or_evidence(member, assignment, make_report):
    report = make_report(assignment, by=member)
    client = api_client_for(member)
    client.get(f"{REPORTS}{report.pk}/")
    first = _patch(client, report, "第一稿")
    for n in range(5):
        report = ProgressReport.objects.get(pk=report.pk)
        services.evidence_add(report=report, by=member, upload=pdf_upload(f"纪要{n}.pdf"))
        _patch(client, report, f"第{n + 2}稿")
    report.refresh_from_db()
    last = _patch(client, report, "定稿")
    assert len(first) == len(last)
    assert len(client.get(f"{REPORTS}{report.pk}/").json()["evidence"]) == 5
