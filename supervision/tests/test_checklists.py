"""County checklists (节点任务清单): a county reports its lines done with evidence, the bureau
confirms or sends back; a dated step is met when every line is confirmed."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from milestones import selectors, services
from milestones.models import ChecklistEvidence, ChecklistLine, Milestone

from .conftest import api_client_for, browser_for, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pingding(county_users):
    return county_users["member"]


def _report_form(line, **changes):
    data = {
        f"line{line.pk}-completed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        f"line{line.pk}-note": "县政府常务会议审议通过实施方案",
        "next": "/checklists/",
    }
    data.update(changes)
    return data


def test_county_page_lists_the_countys_own_lines_with_a_form_each(pingding, county, county_line):
    page = browser_for(pingding).get("/checklists/")

    lines = list(page.context["page"])
    assert lines and {line.department_id for line in lines} == {county.pk}
    assert all(line.report_form is not None for line in lines)
    assert f'id="line-{county_line.pk}"' in page.content.decode()


def test_county_reports_a_line_done_with_a_file_and_the_bureau_confirms_it(
    pingding, coordinator, county_line
):
    upload = pdf_upload("实施方案.pdf")
    response = browser_for(pingding).post(
        f"/checklists/lines/{county_line.pk}/report-done/",
        {**_report_form(county_line), f"line{county_line.pk}-file": upload},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/checklists/#line-{county_line.pk}"
    county_line.refresh_from_db()
    assert (county_line.state, county_line.reported_by) == (ChecklistLine.State.REPORTED, pingding)
    evidence = ChecklistEvidence.objects.get(line=county_line)
    assert (evidence.original_name, evidence.extension) == ("实施方案.pdf", "pdf")

    queue = browser_for(coordinator).get("/checklists/confirm/")
    assert [line.pk for line in queue.context["page"]] == [county_line.pk]
    browser_for(coordinator).post(f"/checklists/lines/{county_line.pk}/confirm/")

    county_line.refresh_from_db()
    assert (county_line.state, county_line.confirmed_by) == (
        ChecklistLine.State.CONFIRMED,
        coordinator,
    )
    assert list(selectors.confirmation_queue()) == []


def test_a_file_that_is_not_what_it_says_leaves_the_line_as_it_was(pingding, county_line):
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client = browser_for(pingding)

    response = client.post(
        f"/checklists/lines/{county_line.pk}/report-done/",
        {**_report_form(county_line), f"line{county_line.pk}-file": fake},
        follow=True,
    )

    county_line.refresh_from_db()
    assert county_line.state == ChecklistLine.State.OPEN
    assert not ChecklistEvidence.objects.exists()
    assert "文件内容与扩展名“pdf”不符" in response.content.decode()


def test_a_date_in_the_future_is_refused_with_a_message(pingding, county_line):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = browser_for(pingding).post(
        f"/checklists/lines/{county_line.pk}/report-done/",
        _report_form(county_line, **{f"line{county_line.pk}-completed_on": future}),
        follow=True,
    )

    county_line.refresh_from_db()
    assert county_line.state == ChecklistLine.State.OPEN
    assert "完成日期不能晚于今天" in response.content.decode()


def test_the_bureau_sends_a_line_back_with_a_reason_and_the_county_reports_again(
    pingding, coordinator, county_line
):
    services.checklist_line_report_done(
        line=county_line, by=pingding, completed_on=timezone.localdate(), note="已出台"
    )
    client = browser_for(coordinator)
    empty = client.post(f"/checklists/lines/{county_line.pk}/return/", {})
    assert empty.status_code == HTTPStatus.FOUND
    county_line.refresh_from_db()
    assert county_line.state == ChecklistLine.State.REPORTED  # no reason, not returned

    client.post(
        f"/checklists/lines/{county_line.pk}/return/",
        {f"line{county_line.pk}-reason": "请附县政府印发的文件"},
    )
    county_line.refresh_from_db()
    assert (county_line.state, county_line.return_reason) == (
        ChecklistLine.State.RETURNED,
        "请附县政府印发的文件",
    )
    page = browser_for(pingding).get("/checklists/").content.decode()
    assert "请附县政府印发的文件" in page

    browser_for(pingding).post(
        f"/checklists/lines/{county_line.pk}/report-done/",
        {**_report_form(county_line), f"line{county_line.pk}-file": pdf_upload("印发文件.pdf")},
    )
    county_line.refresh_from_db()
    assert county_line.state == ChecklistLine.State.REPORTED


def test_a_step_is_met_only_when_every_line_is_confirmed(plan, coordinator, county_users):
    step = Milestone.objects.get(plan=plan, code="2019-03-county-plans")
    lines = list(step.lines.select_related("department"))
    assert len(lines) == 5 and not selectors.milestone_met(step)

    for line in lines:
        reporter = county_users["member"].__class__.objects.create(
            username=f"reporter_{line.pk}", role="staff", department=line.department
        )
        services.checklist_line_report_done(
            line=line, by=reporter, completed_on=timezone.localdate()
        )
        if line is not lines[-1]:
            services.checklist_line_confirm(line=line, by=coordinator)
    assert not selectors.milestone_met(step)  # four of five confirmed, the fifth only reported
    (counted,) = [m for m in selectors.milestone_progress() if m.pk == step.pk]
    assert (counted.lines_done, counted.lines_total) == (4, 5)

    services.checklist_line_confirm(line=lines[-1], by=coordinator)
    assert selectors.milestone_met(step)
    met = api_client_for(coordinator).get(f"/api/v1/milestones/{step.pk}/").json()["met"]
    assert met is True


def test_the_home_page_links_the_countys_open_lines_to_the_form(pingding, county_line):
    page = browser_for(pingding).get("/").content.decode()

    assert f'href="/checklists/?milestone={county_line.milestone_id}#line-{county_line.pk}"' in page


# --- API -------------------------------------------------------------------------------------


def test_api_lists_lines_filtered_by_department_milestone_and_state(
    pingding, coordinator, county, county_line
):
    services.checklist_line_report_done(
        line=county_line, by=pingding, completed_on=timezone.localdate()
    )
    client = api_client_for(coordinator)

    mine = client.get(f"/api/v1/checklist-lines/?department={county.pk}&page_size=200").json()
    assert mine["count"] == ChecklistLine.objects.filter(department=county).count()
    reported = client.get("/api/v1/checklist-lines/?state=reported").json()
    assert [row["id"] for row in reported["results"]] == [county_line.pk]
    row = reported["results"][0]
    assert (row["state"], row["milestone"]["code"], row["county"]) == (
        "reported",
        "2019-03-county-plans",
        "平定县",
    )
    step = client.get(f"/api/v1/checklist-lines/?milestone={county_line.milestone_id}").json()
    assert step["count"] == 5


def test_api_report_done_confirm_and_return(pingding, coordinator, county_line):
    county = api_client_for(pingding)
    done = county.post(
        f"/api/v1/checklist-lines/{county_line.pk}/report-done/",
        {"completed_on": timezone.localdate().isoformat(), "note": "已完成", "file": pdf_upload()},
        format="multipart",
    )
    assert done.status_code == HTTPStatus.OK, done.json()
    assert done.json()["state"] == "reported"
    assert [e["original_name"] for e in done.json()["evidence"]] == ["会议纪要.pdf"]

    bureau = api_client_for(coordinator)
    returned = bureau.post(
        f"/api/v1/checklist-lines/{county_line.pk}/return/", {"reason": "材料不全"}, format="json"
    )
    assert returned.json()["state"] == "returned"
    twice = bureau.post(f"/api/v1/checklist-lines/{county_line.pk}/confirm/")
    assert twice.status_code == HTTPStatus.CONFLICT  # only reported lines are confirmed

    county.post(
        f"/api/v1/checklist-lines/{county_line.pk}/report-done/",
        {"completed_on": timezone.localdate().isoformat()},
        format="json",
    )
    confirmed = bureau.post(f"/api/v1/checklist-lines/{county_line.pk}/confirm/")
    assert confirmed.json()["state"] == "confirmed"


def test_evidence_is_listed_and_served_to_the_county_and_the_bureau_only(county_users, county_line):
    evidence_line = services.checklist_line_report_done(
        line=county_line,
        by=county_users["member"],
        completed_on=timezone.localdate(),
        upload=pdf_upload(),
    )
    evidence = ChecklistEvidence.objects.get(line=evidence_line)
    seen = {}
    for role, user in county_users.items():
        if user is None:
            continue
        listed = api_client_for(user).get(f"/api/v1/checklist-lines/{county_line.pk}/").json()
        download = browser_for(user).get(f"/checklists/evidence/{evidence.pk}/")
        seen[role] = (len(listed["evidence"]), download.status_code)

    assert seen == {
        "member": (1, 200),
        "reviewer": (1, 200),
        "other_staff": (0, 403),
        "other_reviewer": (0, 403),
        "coordinator": (1, 200),
        "viewer": (0, 403),
    }


def test_history_of_a_line_names_the_county_and_the_bureau(pingding, coordinator, county_line):
    services.checklist_line_report_done(
        line=county_line, by=pingding, completed_on=timezone.localdate(), upload=pdf_upload()
    )
    services.checklist_line_confirm(line=county_line, by=coordinator)

    rows = ChecklistLine.history.filter(id=county_line.pk).order_by("history_date", "history_id")
    assert [(r.state, r.history_user) for r in rows][-2:] == [
        ("reported", pingding),
        ("confirmed", coordinator),
    ]
    assert ChecklistEvidence.history.get().history_user == pingding
