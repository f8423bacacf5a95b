"""The progress-report API: refused input (and that nothing is saved), the lifecycle,
the assignment list with its lights."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from reports import services
from reports.models import Evidence, ProgressReport
from tests.factories import AssignmentFactory, PlanFactory

from .conftest import PDF_BYTES, api_client_for, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/progress-reports/"


def _messages(response, key: str) -> str:
    body = response.json()
    assert key in body, body
    value = body[key]
    return " ".join(value) if isinstance(value, list) else str(value)


def _snapshot(report: ProgressReport) -> dict:
    """What a refused write must leave as it was."""
    fresh = ProgressReport.objects.get(pk=report.pk)
    return {
        "state": fresh.state,
        "status": fresh.status,
        "percent": fresh.percent,
        "progress": fresh.progress,
        "version": fresh.version,
        "return_reason": fresh.return_reason,
        "history": fresh.history.count(),
        "evidence": fresh.evidence.count(),
    }


@pytest.fixture
def staff_api(member):
    return api_client_for(member)


@pytest.fixture
def reviewer_api(reviewer):
    return api_client_for(reviewer)


def _create(client, assignment, **fields):
    data = {"assignment": assignment.pk, "status": "in_progress", "percent": 30, **fields}
    return client.post(REPORTS, data, format="json")


# --- Creating: refused input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"percent": -1}, "完成百分比不能小于0"),
        ({"percent": 101}, "完成百分比不能大于100"),
        ({"status": "completed", "percent": 90}, "完成百分比必须是100%"),
    ],
    ids=["below-0", "above-100", "completed-at-90"],
)
def test_create_with_bad_percent_is_refused_in_chinese_and_saves_nothing(
    staff_api, assignment, fields, message
):
    before = ProgressReport.objects.count()

    response = _create(staff_api, assignment, **fields)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in _messages(response, "percent")
    assert ProgressReport.objects.count() == before
    assert ProgressReport.history.count() == 0


def test_create_with_unknown_status_is_refused(staff_api, assignment):
    response = _create(staff_api, assignment, status="finished")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "status" in response.json()
    assert not assignment.reports.exists()


def test_create_with_unknown_field_value_types_is_refused(staff_api, assignment):
    response = _create(staff_api, assignment, percent="很多")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "percent" in response.json()
    assert not assignment.reports.exists()


def test_staff_cannot_report_on_another_bodys_assignment(staff_api, other_assignment):
    response = _create(staff_api, other_assignment, progress="越权填报")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not other_assignment.reports.exists()


def test_second_open_report_on_the_same_assignment_is_refused(
    staff_api, assignment, make_report, member
):
    first = make_report(assignment, by=member)
    before = _snapshot(first)

    response = _create(staff_api, assignment, progress="第二份")

    assert response.status_code == HTTPStatus.CONFLICT
    assert "未审核的填报" in response.json()["detail"]
    assert assignment.reports.count() == 1
    assert _snapshot(first) == before


@pytest.mark.parametrize("state", ["submitted", "returned"])
def test_second_report_is_refused_while_one_is_submitted_or_returned(
    staff_api, assignment, make_report, member, state
):
    make_report(assignment, by=member, state=state)

    response = _create(staff_api, assignment)

    assert response.status_code == HTTPStatus.CONFLICT
    assert assignment.reports.count() == 1


def test_a_new_report_may_follow_an_approved_one(staff_api, assignment, make_report, member):
    make_report(assignment, by=member, state="approved")

    response = _create(staff_api, assignment, progress="下半年进展")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["state"] == "draft"
    assert assignment.reports.count() == 2


# --- Editing: refused input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"percent": -1}, "percent", "完成百分比不能小于0"),
        ({"percent": 101}, "percent", "完成百分比不能大于100"),
        ({"status": "completed", "percent": 90}, "percent", "完成百分比必须是100%"),
        ({"status": "finished"}, "status", ""),
    ],
    ids=["below-0", "above-100", "completed-at-90", "unknown-status"],
)
def test_edit_with_bad_input_is_refused_and_the_row_is_unchanged(
    staff_api, assignment, make_report, member, fields, key, message
):
    report = make_report(assignment, by=member)
    before = _snapshot(report)

    response = staff_api.patch(
        f"{REPORTS}{report.pk}/", {"version": report.version, **fields}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in _messages(response, key)
    assert _snapshot(report) == before


def test_edit_without_version_is_refused(staff_api, assignment, make_report, member):
    report = make_report(assignment, by=member)
    before = _snapshot(report)

    response = staff_api.patch(f"{REPORTS}{report.pk}/", {"progress": "没有版本号"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "version" in response.json()
    assert _snapshot(report) == before


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_editing_a_submitted_or_approved_report_is_refused(
    staff_api, assignment, make_report, member, state
):
    report = make_report(assignment, by=member, state=state)
    before = _snapshot(report)

    response = staff_api.patch(
        f"{REPORTS}{report.pk}/", {"version": report.version, "progress": "偷偷修改"}, format="json"
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert "只有草稿或退回的填报可以修改" in response.json()["detail"]
    assert _snapshot(report) == before


def test_stale_version_gets_409_and_keeps_the_first_writers_text(
    staff_api, reviewer_api, assignment, make_report, member
):
    report = make_report(assignment, by=member)
    edited = report.version

    first = staff_api.patch(
        f"{REPORTS}{report.pk}/",
        {"version": edited, "progress": "经办人先保存的内容"},
        format="json",
    )
    second = reviewer_api.patch(
        f"{REPORTS}{report.pk}/",
        {"version": edited, "progress": "审核人后保存的内容"},
        format="json",
    )

    assert first.status_code == HTTPStatus.OK
    assert second.status_code == HTTPStatus.CONFLICT
    assert second.json()["current_version"] == edited + 1
    assert "保存失败" in second.json()["detail"]
    report.refresh_from_db()
    assert report.progress == "经办人先保存的内容"
    assert report.version == edited + 1
    assert report.updated_by == member


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_stale_version_on_a_transition_gets_409(
    staff_api, reviewer_api, assignment, make_report, member, action
):
    state = "draft" if action == "submit" else "submitted"
    report = make_report(assignment, by=member, state=state)
    before = _snapshot(report)
    client = staff_api if action == "submit" else reviewer_api

    body = {"version": report.version - 1}
    if action == "return":
        body["reason"] = "理由"

    response = client.post(f"{REPORTS}{report.pk}/{action}/", body, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["current_version"] == report.version
    assert _snapshot(report) == before


# --- Transitions: refused in the wrong state ---------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("submitted", "submit"),
        ("approved", "submit"),
        ("draft", "approve"),
        ("returned", "approve"),
        ("approved", "approve"),
        ("draft", "return"),
        ("approved", "return"),
    ],
)
def test_transition_from_the_wrong_state_is_refused(
    staff_api, reviewer_api, assignment, make_report, member, state, action
):
    report = make_report(assignment, by=member, state=state)
    before = _snapshot(report)
    client = staff_api if action == "submit" else reviewer_api

    body = {"version": report.version}
    if action == "return":
        body["reason"] = "理由"

    response = client.post(f"{REPORTS}{report.pk}/{action}/", body, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["detail"]
    assert _snapshot(report) == before


@pytest.mark.parametrize(
    "data", [{}, {"reason": ""}, {"reason": "   "}], ids=["missing", "empty", "blank"]
)
def test_return_without_reason_is_refused(reviewer_api, assignment, make_report, member, data):
    report = make_report(assignment, by=member, state="submitted")
    before = _snapshot(report)

    response = reviewer_api.post(f"{REPORTS}{report.pk}/return/", data, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "reason" in response.json()
    assert _snapshot(report) == before


# --- Evidence --------------------------------------------------------------------------------


def _upload(client, report, upload):
    return client.post(f"{REPORTS}{report.pk}/evidence/", {"file": upload}, format="multipart")


def _stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_upload("伪装.pdf", b"just some plain text, not a PDF at all\n" * 5), "不符"),
        (pdf_upload("截图.png"), "不符"),  # a real PDF named .png
        (pdf_upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 60), "不支持的文件类型"),
        # Without an extension a file is named by its content (a real PDF is taken); this is none.
        (pdf_upload("无扩展名", b"plain words, not a document at all\n"), "不支持的文件类型"),
    ],
    ids=["text-as-pdf", "pdf-as-png", "exe", "no-extension"],
)
def test_evidence_of_the_wrong_type_is_refused_and_nothing_is_stored(
    staff_api, assignment, make_report, member, media_root, upload, message
):
    report = make_report(assignment, by=member)
    before = _snapshot(report)

    response = _upload(staff_api, report, upload)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in _messages(response, "file")
    assert not Evidence.objects.exists()
    assert Evidence.history.count() == 0
    assert _stored_files(media_root) == []
    assert _snapshot(report) == before


def test_evidence_over_the_size_limit_is_refused_as_too_large(
    staff_api, assignment, make_report, member, settings, media_root
):
    """Refused while it streams in (core.uploads.LimitedUploadHandler): a 413, not a field error."""
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES) - 1
    report = make_report(assignment, by=member)

    response = _upload(staff_api, report, pdf_upload())

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["code"] == "too_large"
    assert "文件过大" in response.json()["detail"]
    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


def test_evidence_at_the_size_limit_is_accepted(
    staff_api, assignment, make_report, member, settings
):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    report = make_report(assignment, by=member)

    response = _upload(staff_api, report, pdf_upload())

    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("upload", "extension", "content_type"),
    [(pdf_upload(), "pdf", "application/pdf"), (png_upload(), "png", "image/png")],
    ids=["pdf", "png"],
)
def test_a_real_pdf_or_png_is_accepted_and_stored(
    staff_api, assignment, make_report, member, media_root, upload, extension, content_type
):
    import hashlib

    report = make_report(assignment, by=member)
    content = upload.read()
    upload.seek(0)

    response = _upload(staff_api, report, upload)

    assert response.status_code == HTTPStatus.CREATED
    evidence = Evidence.objects.get(report=report)
    assert response.json()["id"] == evidence.pk
    assert evidence.original_name == upload.name
    assert (evidence.extension, evidence.content_type) == (extension, content_type)
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == member
    # Stored under our own name, not the user's.
    assert upload.name not in evidence.file.name
    assert evidence.file.open("rb").read() == content
    listed = staff_api.get(f"{REPORTS}{report.pk}/").json()["evidence"]
    assert [e["id"] for e in listed] == [evidence.pk]


def test_removed_evidence_disappears_from_the_report(staff_api, assignment, make_report, member):
    from reports import services

    report = make_report(assignment, by=member)
    kept = services.evidence_add(report=report, by=member, upload=pdf_upload("保留.pdf"))
    gone = services.evidence_add(report=report, by=member, upload=png_upload("移除.png"))
    services.evidence_remove(evidence=gone, by=member)

    listed = staff_api.get(f"{REPORTS}{report.pk}/").json()["evidence"]

    assert [e["id"] for e in listed] == [kept.pk]
    assert Evidence.objects.filter(pk=gone.pk).exists()  # hidden, not deleted


# --- Lifecycle -------------------------------------------------------------------------------


def test_full_lifecycle_through_the_api(
    staff_api, reviewer_api, coordinator, assignment, member, reviewer
):
    coordinator_api = api_client_for(coordinator)

    created = _create(staff_api, assignment, status="in_progress", percent=50, progress="初稿")
    assert created.status_code == HTTPStatus.CREATED
    report = created.json()
    assert (report["state"], report["version"], report["created_by"]) == (
        "draft",
        1,
        "bianban_staff",
    )
    url = f"{REPORTS}{report['id']}/"

    submitted = staff_api.post(f"{url}submit/", {"version": 1}, format="json").json()
    assert (submitted["state"], submitted["version"]) == ("submitted", 2)
    assert submitted["submitted_by"] == "bianban_staff"

    returned = reviewer_api.post(
        f"{url}return/", {"version": 2, "reason": "请补充执法改革方案文本"}, format="json"
    ).json()
    assert (returned["state"], returned["version"]) == ("returned", 3)
    assert returned["return_reason"] == "请补充执法改革方案文本"
    assert returned["reviewed_by"] == "bianban_reviewer"

    edited = staff_api.patch(
        url,
        {"version": 3, "status": "completed", "percent": 100, "progress": "方案已印发"},
        format="json",
    ).json()
    assert (edited["state"], edited["version"]) == ("returned", 4)
    assert edited["return_reason"] == "请补充执法改革方案文本"  # kept while it is being fixed

    resubmitted = staff_api.post(f"{url}submit/", {"version": 4}, format="json").json()
    assert (resubmitted["state"], resubmitted["version"]) == ("submitted", 5)

    row = _assignment_row(coordinator_api, assignment)
    assert (row["report_state"], row["report_status"]) == ("submitted", "completed")
    assert row["approved_status"] is None  # not counted until approved

    approved = coordinator_api.post(f"{url}approve/", {"version": 5}, format="json").json()
    assert (approved["state"], approved["version"]) == ("approved", 6)
    assert approved["reviewed_by"] == "minzheng_coordinator"
    assert approved["return_reason"] == "请补充执法改革方案文本"  # the trail keeps why

    row = _assignment_row(coordinator_api, assignment)
    assert (row["approved_status"], row["approved_percent"]) == ("completed", 100)
    assert row["light"] == "done"


def _assignment_row(client, assignment) -> dict:
    response = client.get(f"/api/v1/assignments/{assignment.pk}/")
    assert response.status_code == HTTPStatus.OK
    return response.json()


# --- Assignment list: the light filter -----------------------------------------------------------


def _ids(client, query: str) -> set[int]:
    response = client.get(f"/api/v1/assignments/?{query}&page_size=200")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] <= 200
    return {row["id"] for row in response.json()["results"]}


def test_assignment_list_filters_by_light(staff_api, assignment, make_report, member):
    # The real plan ended in 2020: everything is past its deadline, so red...
    make_report(assignment, by=member, state="approved", status="completed", percent=100)
    # ...except this finished one (done) and a new assignment due in ten days, a third of
    # its time gone with nothing reported (yellow).
    today = timezone.localdate()
    soon = AssignmentFactory(
        deadline=today + timedelta(days=10),
        responsibility__task__plan=PlanFactory(
            starts_on=today - timedelta(days=5),
            issued_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=10),
        ),
    )
    services.lights_refresh(stale_only=True)

    red, yellow, green, done = (
        _ids(staff_api, f"light={light}") for light in ("red", "yellow", "green", "done")
    )

    assert assignment.pk in done and assignment.pk not in red
    assert soon.pk in yellow and soon.pk not in red | green | done
    assert not (red & yellow or red & green or yellow & green or done & (red | yellow | green))
    everything = _ids(staff_api, "is_active=true")
    assert red | yellow | green | done == everything


def test_assignment_list_refuses_an_unknown_light(staff_api):
    response = staff_api.get("/api/v1/assignments/?light=blue")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "light" in response.json()


def test_submitted_completed_report_does_not_turn_the_light_green(
    staff_api, assignment, make_report, member
):
    make_report(assignment, by=member, state="submitted", status="completed", percent=100)

    assert assignment.pk in _ids(staff_api, "light=red")
