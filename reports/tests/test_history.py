"""Every write leaves a history record naming its actor; the task page shows the changes;
nothing is ever deleted."""

from http import HTTPStatus

import pytest

from reports import services
from reports.models import Evidence, ProgressReport

from .conftest import api_client_for, browser_for, pdf_upload

pytestmark = pytest.mark.django_db


def _latest(history_queryset):
    return history_queryset.order_by("-history_date", "-history_id").first()


def test_each_service_call_records_its_actor(assignment, member, reviewer, coordinator):
    report = services.report_create(assignment=assignment, by=member, progress="初稿")
    steps = [("+", member, "draft")]

    report = services.report_update(report=report, by=reviewer, version=1, progress="审核人改稿")
    steps.append(("~", reviewer, "draft"))
    report = services.report_submit(report=report, by=member)
    steps.append(("~", member, "submitted"))
    report = services.report_return(report=report, by=coordinator, reason="退回补充")
    steps.append(("~", coordinator, "returned"))
    report = services.report_submit(report=report, by=reviewer)
    steps.append(("~", reviewer, "submitted"))
    report = services.report_approve(report=report, by=coordinator)
    steps.append(("~", coordinator, "approved"))

    records = report.history.order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user, r.state) for r in records] == steps
    assert [r.version for r in records] == [1, 2, 3, 4, 5, 6]


def test_evidence_add_and_remove_record_their_actors(assignment, make_report, member, reviewer):
    report = make_report(assignment, by=member)

    evidence = services.evidence_add(report=report, by=reviewer, upload=pdf_upload())
    services.evidence_remove(evidence=evidence, by=member)

    records = Evidence.history.filter(id=evidence.pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user, r.removed_at is None) for r in records] == [
        ("+", reviewer, True),
        ("~", member, False),
    ]


def test_refused_writes_leave_no_history(assignment, make_report, member, other_staff):
    report = make_report(assignment, by=member)
    count = report.history.count()

    with pytest.raises(Exception):  # noqa: B017 — any refusal will do; the point is the count
        services.report_update(report=report, by=other_staff, version=1, progress="越权")
    with pytest.raises(Exception):  # noqa: B017
        services.report_update(report=report, by=member, version=1, percent=101)
    with pytest.raises(Exception):  # noqa: B017
        services.report_approve(report=report, by=member)

    assert report.history.count() == count


def test_api_writes_record_the_request_user(assignment, member, reviewer):
    staff_api = api_client_for(member)
    created = staff_api.post(
        "/api/v1/progress-reports/",
        {"assignment": assignment.pk, "progress": "接口填报"},
        format="json",
    ).json()
    api_client_for(reviewer).post(
        f"/api/v1/progress-reports/{created['id']}/submit/", {"version": 1}, format="json"
    )

    report = ProgressReport.objects.get(pk=created["id"])
    records = report.history.order_by("history_date", "history_id")
    assert [(r.history_user, r.state) for r in records] == [
        (member, "draft"),
        (reviewer, "submitted"),
    ]


def test_task_page_timeline_shows_the_change_and_who_made_it(
    clause, assignment, make_report, member, coordinator
):
    report = make_report(assignment, by=member, progress="完成调研")
    services.report_update(report=report, by=member, version=1, progress="起草改革方案")

    response = browser_for(coordinator).get(f"/tasks/{clause.pk}/")
    html = response.content.decode()
    timeline = html[html.index('data-testid="timeline"') :]

    assert "进展情况：完成调研 → 起草改革方案" in timeline
    assert "王晓明 修改 市编办的进展填报" in timeline  # member's full name, not the username
    entry = next(
        e
        for e in response.context["history"]
        if ("进展情况", "完成调研", "起草改革方案") in e.changes
    )
    assert (entry.who, entry.verb) == ("王晓明", "修改")


def test_task_page_timeline_shows_the_review(clause, assignment, make_report, member, coordinator):
    make_report(assignment, by=member, state="returned", reviewed_by=coordinator, reason="补充数据")

    response = browser_for(member).get(f"/tasks/{clause.pk}/")
    html = response.content.decode()
    timeline = html[html.index('data-testid="timeline"') :]

    assert "审核状态：已报送 → 退回" in timeline
    assert "退回理由：— → 补充数据" in timeline
    assert "赵协调 修改 市编办的进展填报" in timeline
    entry = next(
        e for e in response.context["history"] if ("退回理由", "—", "补充数据") in e.changes
    )
    assert entry.who == "赵协调"


def test_task_page_hides_a_drafts_history_from_other_bodies(
    clause, assignment, make_report, member, other_staff, viewer
):
    report = make_report(assignment, by=member, progress="内部草稿甲")
    services.report_update(report=report, by=member, version=1, progress="内部草稿乙")

    for user in (other_staff, viewer):
        html = browser_for(user).get(f"/tasks/{clause.pk}/").content.decode()
        assert "内部草稿" not in html, user.username


def test_no_endpoint_deletes_a_report(assignment, make_report, member, reviewer, coordinator):
    report = make_report(assignment, by=member)

    for user in (member, reviewer, coordinator):
        response = api_client_for(user).delete(f"/api/v1/progress-reports/{report.pk}/")
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, user.username

    assert ProgressReport.objects.filter(pk=report.pk).exists()
    assert not report.history.filter(history_type="-").exists()
