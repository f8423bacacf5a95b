"""The browser workbench: the assignment page's form, the review buttons, evidence."""

from http import HTTPStatus

import pytest

from reports import services
from reports.models import Evidence, ProgressReport

from .conftest import browser_for, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_browser(member):
    return browser_for(member)


@pytest.fixture
def reviewer_browser(reviewer):
    return browser_for(reviewer)


def _form(report=None, **changes) -> dict:
    data = {
        "action": "save",
        "status": "in_progress",
        "percent": "30",
        "progress": "已召开专题会议",
        "problems": "人员不足",
        "next_steps": "印发方案",
        "version": str(report.version) if report else "",
    }
    data.update(changes)
    return data


def _page(assignment) -> str:
    return f"/assignments/{assignment.pk}/"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Saving a draft --------------------------------------------------------------------------


def test_staff_saves_a_draft_with_a_file_and_sees_it(staff_browser, assignment, member):
    response = staff_browser.post(
        _page(assignment), {**_form(), "file": pdf_upload("专题会议纪要.pdf")}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert "已保存草稿。" in _messages(response)
    report = assignment.reports.get()
    assert (report.state, report.percent, report.progress) == ("draft", 30, "已召开专题会议")
    assert report.created_by == member
    assert report.evidence.get().original_name == "专题会议纪要.pdf"
    assert "专题会议纪要.pdf" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"percent": "150"}, "percent", "完成百分比不能大于100"),
        ({"percent": "-1"}, "percent", ""),
        ({"status": "completed", "percent": "90"}, "percent", "完成百分比必须是100%"),
        ({"status": "finished"}, "status", ""),
    ],
    ids=["150", "-1", "completed-at-90", "unknown-status"],
)
def test_bad_form_input_shows_the_page_with_the_message_and_saves_nothing(
    staff_browser, assignment, changes, field, message
):
    response = staff_browser.post(_page(assignment), _form(**changes))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    html = response.content.decode()
    assert f'data-testid="error-{field}"' in html
    if message:
        assert message in html
    assert not assignment.reports.exists()
    assert ProgressReport.history.count() == 0


def test_bad_input_while_editing_leaves_the_draft_unchanged(
    staff_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member)

    response = staff_browser.post(
        _page(assignment), _form(report, percent="150", progress="新内容")
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    report.refresh_from_db()
    assert (report.percent, report.progress, report.version) == (40, "已起草行政执法改革方案", 1)


@pytest.mark.parametrize(
    "upload",
    [
        pdf_upload("伪装.pdf", b"plain text pretending to be a PDF\n" * 4),
        pdf_upload("program.exe", b"MZ" + b"\x00" * 62),
    ],
    ids=["text-as-pdf", "exe"],
)
def test_bad_file_refuses_the_whole_save(staff_browser, assignment, upload, media_root):
    response = staff_browser.post(_page(assignment), {**_form(), "file": upload})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "file" in response.context["form"].errors
    assert 'data-testid="error-file"' in response.content.decode()
    assert not assignment.reports.exists()
    assert not Evidence.objects.exists()


def test_file_over_the_limit_refuses_the_whole_save(staff_browser, assignment, settings):
    """Refused while the body streams in (core.uploads): a Chinese 413 page, nothing saved."""
    settings.EVIDENCE_MAX_BYTES = 10

    response = staff_browser.post(_page(assignment), {**_form(), "file": png_upload()})

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "文件过大" in response.content.decode()
    assert not assignment.reports.exists()


def test_stale_form_shows_both_versions_and_keeps_the_saved_one(
    staff_browser, reviewer_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member)
    staff_browser.post(_page(assignment), _form(report, progress="经办人的版本"))

    response = reviewer_browser.post(_page(assignment), _form(report, progress="审核人的版本"))

    assert response.status_code == HTTPStatus.CONFLICT
    html = response.content.decode()
    assert 'data-testid="conflict"' in html
    assert "经办人的版本" in html and "审核人的版本" in html
    # Saving again is a deliberate overwrite: the form now carries the current version.
    assert response.context["form"].data["version"] == 2
    report.refresh_from_db()
    assert (report.progress, report.version) == ("经办人的版本", 2)


def test_submitted_report_has_no_form_and_refuses_a_post(
    staff_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member, state="submitted")

    page = staff_browser.get(_page(assignment))
    response = staff_browser.post(
        _page(assignment), _form(report, progress="报送后修改"), follow=True
    )

    assert page.context["form"] is None
    assert "已报送的填报不能修改；如需修改，请先撤回。" in _messages(response)
    report.refresh_from_db()
    assert (report.state, report.progress) == ("submitted", "已起草行政执法改革方案")


# --- Submitting and reviewing ----------------------------------------------------------------


def test_browser_lifecycle_save_submit_return_edit_submit_approve(
    staff_browser, reviewer_browser, coordinator, assignment, member, reviewer
):
    staff_browser.post(_page(assignment), _form())
    report = assignment.reports.get()

    response = staff_browser.post(f"/reports/{report.pk}/submit/", {"version": 1}, follow=True)
    assert "已报送，等待审核。" in _messages(response)
    report.refresh_from_db()
    assert (report.state, report.version, report.submitted_by) == ("submitted", 2, member)

    page = reviewer_browser.get(_page(assignment))
    assert page.context["may_review"] is True
    assert 'data-testid="review-actions"' in page.content.decode()

    reviewer_browser.post(f"/reports/{report.pk}/return/", {"version": 2, "reason": "请附会议纪要"})
    report.refresh_from_db()
    assert (report.state, report.return_reason, report.reviewed_by) == (
        "returned",
        "请附会议纪要",
        reviewer,
    )
    page = staff_browser.get(_page(assignment))
    assert "请附会议纪要" in page.content.decode()
    assert page.context["form"] is not None

    response = staff_browser.post(
        _page(assignment),
        {
            **_form(report, action="submit", status="completed", percent="100"),
            "file": pdf_upload("会议纪要.pdf"),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert (report.state, report.status, report.version) == ("submitted", "completed", 5)
    assert report.evidence.count() == 1

    response = browser_for(coordinator).post(
        f"/reports/{report.pk}/approve/", {"version": 5}, follow=True
    )
    assert "已审核通过。" in _messages(response)
    report.refresh_from_db()
    assert (report.state, report.version, report.reviewed_by) == ("approved", 6, coordinator)


def test_return_without_reason_is_refused_with_a_message(
    reviewer_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member, state="submitted")

    response = reviewer_browser.post(
        f"/reports/{report.pk}/return/", {"reason": "  ", "version": 2}, follow=True
    )

    assert "退回时必须填写理由。" in " ".join(_messages(response))
    report.refresh_from_db()
    assert (report.state, report.version) == ("submitted", 2)


def test_approving_a_draft_is_refused_with_a_message(
    reviewer_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member)

    response = reviewer_browser.post(
        f"/reports/{report.pk}/approve/", {"version": report.version}, follow=True
    )

    assert any("只有已报送的填报可以审核或退回" in m for m in _messages(response))
    report.refresh_from_db()
    assert report.state == "draft"


def test_stale_version_on_approve_is_refused_with_a_message(
    reviewer_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member, state="submitted")

    response = reviewer_browser.post(f"/reports/{report.pk}/approve/", {"version": 1}, follow=True)

    assert any("保存失败" in m for m in _messages(response))
    report.refresh_from_db()
    assert report.state == "submitted"


@pytest.mark.parametrize(
    "url", ["/reports/{pk}/submit/", "/reports/{pk}/approve/", "/reports/{pk}/return/"]
)
def test_review_actions_take_post_only(staff_browser, assignment, make_report, member, url):
    report = make_report(assignment, by=member)

    response = staff_browser.get(url.format(pk=report.pk))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_unknown_report_or_evidence_is_404(staff_browser):
    assert staff_browser.post("/reports/999999/submit/").status_code == HTTPStatus.NOT_FOUND
    assert staff_browser.post("/evidence/999999/remove/").status_code == HTTPStatus.NOT_FOUND
    assert staff_browser.get("/assignments/999999/").status_code == HTTPStatus.NOT_FOUND


# --- Evidence --------------------------------------------------------------------------------


def test_staff_removes_evidence_and_it_leaves_the_page(
    staff_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member)
    evidence = services.evidence_add(report=report, by=member, upload=pdf_upload("旧版方案.pdf"))
    assert (
        f'href="/evidence/{evidence.pk}/"' in staff_browser.get(_page(assignment)).content.decode()
    )

    response = staff_browser.post(f"/evidence/{evidence.pk}/remove/", follow=True)

    assert "已移除佐证材料“旧版方案.pdf”。" in _messages(response)
    assert f'href="/evidence/{evidence.pk}/"' not in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.removed_at is not None


def test_evidence_download_returns_the_file_under_its_own_name(
    staff_browser, assignment, make_report, member
):
    report = make_report(assignment, by=member)
    evidence = services.evidence_add(report=report, by=member, upload=png_upload("现场照片.png"))

    response = staff_browser.get(f"/evidence/{evidence.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
