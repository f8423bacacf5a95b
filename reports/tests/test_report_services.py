"""reports.services: the reporting cycle, optimistic locking, who may do what, locked periods."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ApplicationError, ConflictError, PermissionDenied
from reports import selectors, services
from reports.models import Evidence, ProgressReport, ReportingPeriod

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

State = ProgressReport.State
Status = ProgressReport.Status


def _row(assignment):
    return selectors.assignment_list().get(pk=assignment.pk)


def test_report_goes_from_draft_through_return_to_approval(
    assignment, member, reviewer, coordinator
):
    report = services.report_create(
        assignment=assignment, by=member, status=Status.IN_PROGRESS, percent=40, progress="初稿"
    )
    assert (report.state, report.version) == (State.DRAFT, 1)
    assert report.created_by == report.updated_by == member

    report = services.report_submit(report=report, by=member, version=1)
    assert (report.state, report.version) == (State.SUBMITTED, 2)
    assert report.submitted_by == member and report.submitted_at is not None

    report = services.report_return(report=report, by=reviewer, reason="  请补充数据  ", version=2)
    assert (report.state, report.version) == (State.RETURNED, 3)
    assert report.return_reason == "请补充数据"
    assert report.reviewed_by == reviewer and report.reviewed_at is not None

    report = services.report_update(
        report=report, by=member, version=3, status=Status.COMPLETED, percent=100, progress="已完成"
    )
    assert (report.state, report.version) == (State.RETURNED, 4)
    assert report.return_reason == "请补充数据"

    report = services.report_submit(report=report, by=member, version=4)
    assert (report.state, report.version) == (State.SUBMITTED, 5)

    report = services.report_approve(report=report, by=coordinator, version=5)
    assert (report.state, report.version) == (State.APPROVED, 6)
    assert report.reviewed_by == coordinator
    assert report.return_reason == "请补充数据"  # kept: the page still shows why it was returned

    report.refresh_from_db()
    assert (report.state, report.version, report.progress) == (State.APPROVED, 6, "已完成")


def test_only_approved_reports_count_in_the_assignment_list(
    assignment, make_report, member, reviewer
):
    report = make_report(assignment, by=member, status=Status.COMPLETED, percent=100)
    row = _row(assignment)
    assert (row.report_state, row.report_status) == (State.DRAFT, Status.COMPLETED)
    assert row.approved_status is None and row.approved_percent is None

    report = services.report_submit(report=report, by=member)
    assert _row(assignment).approved_status is None

    report = services.report_return(report=report, by=reviewer, reason="退回")
    assert _row(assignment).approved_status is None

    report = services.report_submit(report=report, by=member)
    services.report_approve(report=report, by=reviewer)
    row = _row(assignment)
    assert (row.approved_status, row.approved_percent) == (Status.COMPLETED, 100)


def test_a_later_draft_does_not_replace_the_approved_figures(assignment, make_report, member):
    make_report(assignment, by=member, state=State.APPROVED, status=Status.IN_PROGRESS, percent=60)
    make_report(assignment, by=member, status=Status.BLOCKED, percent=10)

    row = _row(assignment)

    assert (row.report_status, row.report_percent) == (Status.BLOCKED, 10)
    assert (row.approved_status, row.approved_percent) == (Status.IN_PROGRESS, 60)


def test_version_increments_on_every_write(assignment, make_report, member):
    report = make_report(assignment, by=member)
    versions = [report.version]
    for text in ("一", "二", "三"):
        report = services.report_update(
            report=report, by=member, version=report.version, progress=text
        )
        versions.append(report.version)

    assert versions == [1, 2, 3, 4]


def test_stale_version_raises_conflict_and_keeps_the_first_writers_text(
    assignment, make_report, member, reviewer
):
    report = make_report(assignment, by=member)
    services.report_update(report=report, by=member, version=1, progress="先到")

    with pytest.raises(ConflictError) as caught:
        services.report_update(report=report, by=reviewer, version=1, progress="后到")

    assert caught.value.extra == {"current_version": 2}
    report.refresh_from_db()
    assert (report.progress, report.version, report.updated_by) == ("先到", 2, member)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"percent": -1}, "percent"),
        ({"percent": 101}, "percent"),
        ({"status": Status.COMPLETED, "percent": 90}, "percent"),
        ({"status": "finished"}, "status"),
    ],
)
def test_invalid_fields_are_refused_on_create_and_update(
    assignment, make_report, member, fields, key
):
    with pytest.raises(ValidationError) as caught:
        services.report_create(assignment=assignment, by=member, **fields)
    assert key in caught.value.message_dict
    assert not assignment.reports.exists()

    report = make_report(assignment, by=member)
    with pytest.raises(ValidationError) as caught:
        services.report_update(report=report, by=member, version=1, **fields)
    assert key in caught.value.message_dict
    report.refresh_from_db()
    assert (report.version, report.percent, report.status) == (1, 40, Status.IN_PROGRESS)


def test_fields_outside_the_form_cannot_be_written(assignment, make_report, member):
    with pytest.raises(ValidationError):
        services.report_create(assignment=assignment, by=member, state=State.APPROVED)
    assert not assignment.reports.exists()

    report = make_report(assignment, by=member)
    with pytest.raises(ValidationError):
        services.report_update(report=report, by=member, version=1, state=State.APPROVED)
    report.refresh_from_db()
    assert report.state == State.DRAFT


def test_other_bodies_coordinators_and_viewers_cannot_create(
    other_assignment, member, reviewer, coordinator, viewer
):
    for user in (member, reviewer, coordinator, viewer):
        with pytest.raises(PermissionDenied):
            services.report_create(assignment=other_assignment, by=user, progress="越权")

    assert not other_assignment.reports.exists()


def test_inactive_assignment_takes_no_reports(assignment, member):
    assignment.is_active = False
    assignment.save()

    with pytest.raises(PermissionDenied):
        services.report_create(assignment=assignment, by=member)


def test_staff_cannot_review_even_their_own_bodys_report(assignment, make_report, member):
    report = make_report(assignment, by=member, state=State.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=member)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, by=member, reason="自己退回")

    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_reviewer_of_another_body_cannot_review(assignment, make_report, member, other_reviewer):
    report = make_report(assignment, by=member, state=State.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=other_reviewer)

    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_return_needs_a_reason(assignment, make_report, member, reviewer):
    report = make_report(assignment, by=member, state=State.SUBMITTED)

    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            services.report_return(report=report, by=reviewer, reason=reason)
        assert "return_reason" in caught.value.message_dict

    report.refresh_from_db()
    assert (report.state, report.version) == (State.SUBMITTED, 2)


def test_reviewing_a_draft_is_an_application_error_not_a_permission_error(
    assignment, make_report, member, reviewer, coordinator
):
    report = make_report(assignment, by=member)

    for user in (reviewer, coordinator):
        with pytest.raises(ApplicationError) as caught:
            services.report_approve(report=report, by=user)
        assert not isinstance(caught.value, PermissionDenied)


def test_submitted_report_cannot_be_edited_by_its_body(assignment, make_report, member):
    report = make_report(assignment, by=member, state=State.SUBMITTED)

    with pytest.raises(ApplicationError) as caught:
        services.report_update(report=report, by=member, version=report.version, progress="改")

    assert not isinstance(caught.value, PermissionDenied)
    report.refresh_from_db()
    assert report.progress == "已起草行政执法改革方案"


# --- Reporting periods -----------------------------------------------------------------------


def test_report_belongs_to_the_half_year_covering_today(plan, assignment, member):
    today = timezone.localdate()

    report = services.report_create(assignment=assignment, by=member, progress="已启动")

    assert report.period.plan == plan
    assert report.period.starts_on <= today <= report.period.ends_on


def test_locked_period_refuses_edits_and_submission(assignment, make_report, member):
    report = make_report(assignment, by=member)
    ReportingPeriod.objects.filter(pk=report.period_id).update(is_locked=True)

    with pytest.raises(ApplicationError, match="已关闭"):
        services.report_update(report=report, by=member, version=1, progress="迟到的修改")
    with pytest.raises(ApplicationError, match="已关闭"):
        services.report_submit(report=report, by=member)

    report.refresh_from_db()
    assert (report.state, report.version) == (State.DRAFT, 1)


# --- Evidence --------------------------------------------------------------------------------


def test_evidence_is_added_and_removed_only_while_the_report_is_editable(
    assignment, make_report, member, reviewer
):
    report = make_report(assignment, by=member)
    evidence = services.evidence_add(report=report, by=reviewer, upload=pdf_upload())
    assert evidence.uploaded_by == reviewer

    services.report_submit(report=report, by=member, version=report.version)
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.evidence_add(report=report, by=member, upload=pdf_upload("迟到.pdf"))
    evidence.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.evidence_remove(evidence=evidence, by=member)

    evidence.refresh_from_db()
    assert evidence.removed_at is None
    assert Evidence.objects.filter(report=report).count() == 1


def test_evidence_remove_hides_but_keeps_the_file(assignment, make_report, member):
    report = make_report(assignment, by=member)
    evidence = services.evidence_add(report=report, by=member, upload=pdf_upload())

    services.evidence_remove(evidence=evidence, by=member)

    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert evidence.file.storage.exists(evidence.file.name)
