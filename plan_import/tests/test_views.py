"""The upload and review pages: who may use them, bad input, the highlighted text, the actions."""

import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UserRole
from departments.models import Department
from plan_import import services
from plan_import.models import ImportedBody, ImportedClause, PlanImport
from tasks.models import Assignment, Plan, Responsibility, Task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent / "documents"
TEXT = (
    "一、重点任务\n"
    "1.改造服务大厅。改造社区服务大厅（市住建局牵头，市大数据局配合）。\n"
    "2.建设代办点。在村设立代办点（市民政局负责）。"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def written() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "imports": PlanImport.objects.count(),
        "import_history": PlanImport.history.count(),
        "clauses": ImportedClause.objects.count(),
        "clause_history": ImportedClause.history.count(),
        "bodies": ImportedBody.objects.count(),
        "body_history": ImportedBody.history.count(),
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "responsibilities": Responsibility.objects.count(),
        "assignments": Assignment.objects.count(),
        "departments": Department.objects.count(),
    }


@pytest.fixture
def draft(coordinator):
    return services.import_create(text=TEXT, by=coordinator, source_name="方案.txt")


def body_of(draft, written_as) -> ImportedBody:
    return ImportedBody.objects.get(clause__plan_import=draft, written_as=written_as)


# --- who may -------------------------------------------------------------------------------------
def _requests(draft):
    clause = draft.clauses.first()
    body = clause.bodies.first()
    base = f"/plans/import/{draft.pk}"
    return [
        ("get", "/plans/import/", {}),
        ("post", "/plans/import/", {"text": TEXT}),
        ("get", f"{base}/", {}),
        ("post", f"{base}/", {"title": "改过的标题"}),
        ("post", f"{base}/bodies/{body.pk}/", {f"b{body.pk}-role": "guide", "action": "save"}),
        ("post", f"{base}/bodies/{body.pk}/", {"action": "remove"}),
        (
            "post",
            f"{base}/bodies/{body.pk}/new/",
            {f"n{body.pk}-short_name": "甲", f"n{body.pk}-kind": "city_department"},
        ),
        (
            "post",
            f"{base}/clauses/{clause.pk}/bodies/",
            {f"a{clause.pk}-name": "市财政局", f"a{clause.pk}-role": "support"},
        ),
        ("post", f"{base}/clauses/{clause.pk}/title/", {f"t{clause.pk}-title": "新标题"}),
        ("post", f"{base}/clauses/{clause.pk}/split/", {f"s{clause.pk}-at": "3"}),
        ("post", f"{base}/clauses/{clause.pk}/merge/", {}),
        ("post", f"{base}/publish/", {}),
        ("post", f"{base}/discard/", {}),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, HTTPStatus.FOUND),
        (UserRole.STAFF, HTTPStatus.FORBIDDEN),
        (UserRole.REVIEWER, HTTPStatus.FORBIDDEN),
        (UserRole.VIEWER, HTTPStatus.FORBIDDEN),
    ],
    ids=["anonymous", "staff", "reviewer", "viewer"],
)
def test_only_coordinators_reach_the_pages_and_nothing_is_written_otherwise(
    client, draft, role, expected
):
    if role is not None:
        client.force_login(UserFactory(role=role))
    before = written()
    for method, url, data in _requests(draft):
        response = getattr(client, method)(url, data)
        assert response.status_code == expected, (method, url)
        if role is None:
            assert response["Location"].startswith("/accounts/login/"), url
    assert written() == before


def test_coordinators_get_the_pages(client, draft, coordinator):
    client.force_login(coordinator)
    assert client.get("/plans/import/").status_code == HTTPStatus.OK
    assert client.get(f"/plans/import/{draft.pk}/").status_code == HTTPStatus.OK
    superuser = UserFactory(role=UserRole.VIEWER, is_superuser=True)
    client.force_login(superuser)
    assert client.get(f"/plans/import/{draft.pk}/").status_code == HTTPStatus.OK


def test_the_plan_page_links_coordinators_to_the_import_page(client, coordinator):
    client.force_login(coordinator)
    assert 'href="/plans/import/"' in client.get("/plan/").content.decode()
    client.force_login(UserFactory(role=UserRole.VIEWER))
    assert "/plans/import/" not in client.get("/plan/").content.decode()


# --- upload ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.txt", TEXT.encode("utf-8")),
        ("plan.txt", TEXT.encode("gb18030")),
        ("plan.docx", None),
    ],
    ids=["utf8", "gb18030", "docx"],
)
def test_uploading_a_file_creates_a_draft_and_opens_its_review(client, coordinator, name, data):
    if data is None:
        import docx

        document = docx.Document()
        for line in TEXT.splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    client.force_login(coordinator)
    response = client.post(
        "/plans/import/", {"file": SimpleUploadedFile(name, data), "title": "社区服务方案"}
    )
    plan_import = PlanImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/plans/import/{plan_import.pk}/"
    assert (plan_import.title, plan_import.source_name, plan_import.created_by) == (
        "社区服务方案",
        name,
        coordinator,
    )
    assert plan_import.clauses.count() == 2
    assert Plan.objects.count() == 1  # only the seed plan: a draft is not live


def test_pasted_text_with_particulars(client, coordinator):
    client.force_login(coordinator)
    city = Department.objects.get(short_name="市民政局")
    response = client.post(
        "/plans/import/",
        {
            "text": "\r\n  " + TEXT.replace("\n", "\r\n"),
            "issued_on": "2021-03-01",
            "coordinator": city.pk,
            "issuers": [city.pk],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    plan_import = PlanImport.objects.get()
    assert plan_import.source_text == TEXT
    assert (plan_import.issued_on.isoformat(), plan_import.coordinator) == ("2021-03-01", city)
    assert list(plan_import.issuers.all()) == [city]


def _big_upload(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.txt", b"a" * size)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": SimpleUploadedFile("plan.txt", b"")}, "文件是空的"),
        ({"file": SimpleUploadedFile("plan.txt", PNG)}, "PNG 图片"),
        ({"file": SimpleUploadedFile("scan.png", PNG)}, "不支持的文件类型"),
        ({"file": SimpleUploadedFile("plan.docx", b"not a zip at all")}, "不是有效的 Word 文档"),
        (
            {"file": SimpleUploadedFile("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
            "另存为 .docx",
        ),
        ({"text": "一、总体要求\n坚持以人民为中心，完善服务体系。"}, "没有识别到任何责任条款"),
        ({"text": " \n\u3000 "}, "请上传方案文件，或粘贴方案全文"),
        ({}, "请上传方案文件，或粘贴方案全文"),
        ({"text": TEXT, "file": SimpleUploadedFile("plan.txt", TEXT.encode())}, "请只选择一种方式"),
    ],
    ids=[
        "empty",
        "png-as-txt",
        "png",
        "docx-not-zip",
        "old-doc",
        "no-clause",
        "blank-text",
        "nothing",
        "both",
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(client, coordinator, data, message):
    client.force_login(coordinator)
    before = written()
    response = client.post("/plans/import/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert written() == before


def test_a_50_mb_file_is_refused_without_being_stored(client, coordinator, monkeypatch):
    from django.core.files import uploadhandler

    stored = []
    keep = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        stored.append(len(raw_data))
        return keep(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", counting)
    client.force_login(coordinator)
    before = written()
    response = client.post(
        "/plans/import/", {"title": "大文件", "file": _big_upload(50 * 1024 * 1024)}
    )
    page = response.content.decode()
    # The declared length is past every limit: refused before the body is read.
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "文件过大：方案文件不能超过 5.0 MB" in page
    assert sum(stored) <= 5 * 1024 * 1024  # nothing past the limit went to a temporary file
    assert written() == before


def test_a_file_just_over_the_plan_limit_is_refused_with_the_form_kept(client, coordinator):
    """Under the site-wide upload limit but over the plan's: the form comes back filled in."""
    client.force_login(coordinator)
    before = written()
    response = client.post(
        "/plans/import/", {"title": "大文件", "file": _big_upload(6 * 1024 * 1024)}
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "文件过大：方案文件不能超过 5.0 MB" in page
    assert 'value="大文件"' in page  # fields sent before the file are kept
    assert written() == before


def test_pasted_text_over_the_request_limit_is_refused(client, coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(coordinator)
    before = written()
    response = client.post("/plans/import/", {"text": TEXT * 50})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "文件过大" in response.content.decode()
    assert written() == before


# --- review ---------------------------------------------------------------------------------------
def test_the_review_page_highlights_each_clause_in_the_text_beside_its_bodies(
    client, draft, coordinator
):
    client.force_login(coordinator)
    page = client.get(f"/plans/import/{draft.pk}/").content.decode()
    for clause in draft.clauses.all():
        mark = re.search(
            rf'<mark class="clause[^"]*" id="clause-{clause.pk}"[^>]*>([^<]*)</mark>', page
        )
        assert mark is not None, clause.code
        assert mark.group(1) == clause.text
        assert f'href="#card-{clause.pk}"' in page
        assert f'id="card-{clause.pk}"' in page
    assert '<span class="paren">（市住建局牵头，市大数据局配合）</span>' in page
    assert "<script>" not in page.split("<main", 1)[1]  # no inline script
    unknown = body_of(draft, "市大数据局")
    assert "待确认" in page
    assert f'id="n{unknown.pk}"' in page  # the confirm-new form for the unknown name
    assert "以下单位尚未确认" in page and "市大数据局" in page


def _queries(client, url) -> int:
    client.get(url)  # warm up: the first request of a session writes the session row
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(captured)


def test_review_page_queries_do_not_grow_with_the_document(client, coordinator):
    client.force_login(coordinator)
    small = services.import_create(text=TEXT, by=coordinator)
    big = services.import_create(
        text=(DOCUMENTS.parent.parent.parent / "fixtures" / "source" / "plan_2018.txt").read_text(
            encoding="utf-8"
        ),
        by=coordinator,
    )
    assert big.clauses.count() > 10 * small.clauses.count()
    sizes = [_queries(client, f"/plans/import/{p.pk}/") for p in (small, big)]
    assert sizes[0] == sizes[1], sizes


def test_upload_page_queries_do_not_grow_with_the_imports(client, coordinator):
    client.force_login(coordinator)
    services.import_create(text=TEXT, by=coordinator)
    one = _queries(client, "/plans/import/")
    for _ in range(3):
        services.import_create(text=TEXT, by=coordinator)
    assert _queries(client, "/plans/import/") == one


def test_correcting_a_role_through_the_page(client, draft, coordinator):
    client.force_login(coordinator)
    row = body_of(draft, "市住建局")
    response = client.post(
        f"/plans/import/{draft.pk}/bodies/{row.pk}/",
        {f"b{row.pk}-role": "responsible", f"b{row.pk}-department": "市住建局", "action": "save"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(f"#card-{row.clause_id}")
    row.refresh_from_db()
    assert row.role == "responsible"
    assert row.history.first().history_user == coordinator


def test_choosing_an_unknown_name_by_typing_a_known_one(client, draft, coordinator):
    client.force_login(coordinator)
    row = body_of(draft, "市大数据局")
    client.post(
        f"/plans/import/{draft.pk}/bodies/{row.pk}/",
        {
            f"b{row.pk}-role": "support",
            f"b{row.pk}-department": "阳泉市政务服务中心",
            "action": "save",
        },
    )
    row.refresh_from_db()
    assert (row.department.short_name, row.resolution) == ("市政务中心", "chosen")


def test_typing_a_name_the_table_lacks_is_refused_with_a_message(client, draft, coordinator):
    client.force_login(coordinator)
    row = body_of(draft, "市大数据局")
    before = written()
    response = client.post(
        f"/plans/import/{draft.pk}/bodies/{row.pk}/",
        {f"b{row.pk}-role": "support", f"b{row.pk}-department": "市不存在局", "action": "save"},
        follow=True,
    )
    assert "单位表中没有“市不存在局”" in response.content.decode()
    assert written() == before


def test_confirm_new_add_split_merge_title_remove_through_the_page(client, draft, coordinator):
    client.force_login(coordinator)
    base = f"/plans/import/{draft.pk}"
    row = body_of(draft, "市大数据局")
    client.post(
        f"{base}/bodies/{row.pk}/new/",
        {f"n{row.pk}-short_name": "市大数据局", f"n{row.pk}-kind": "city_department"},
    )
    row.refresh_from_db()
    assert row.is_new
    second = draft.clauses.get(code="一2-1")
    client.post(
        f"{base}/clauses/{second.pk}/bodies/",
        {f"a{second.pk}-name": "市财政局", f"a{second.pk}-role": "support"},
    )
    assert second.bodies.filter(department__short_name="市财政局", role="support").exists()
    client.post(f"{base}/clauses/{second.pk}/title/", {f"t{second.pk}-title": "设立村级代办点"})
    second.refresh_from_db()
    assert second.title == "设立村级代办点"
    response = client.post(
        f"{base}/clauses/{second.pk}/split/", {f"s{second.pk}-at": "3"}, follow=True
    )
    assert "已将 一2-1 拆分为两条" in response.content.decode()
    assert list(draft.clauses.filter(node_code="一2").values_list("code", "text")) == [
        ("一2-1", "在村设"),
        ("一2-2", "立代办点"),
    ]
    client.post(f"{base}/clauses/{second.pk}/merge/")
    assert list(draft.clauses.filter(node_code="一2").values_list("code", "text")) == [
        ("一2-1", "在村设立代办点")
    ]
    added = second.bodies.get(department__short_name="市财政局")
    client.post(f"{base}/bodies/{added.pk}/", {"action": "remove"})
    assert not second.bodies.filter(department__short_name="市财政局").exists()


def test_publishing_is_refused_with_the_unresolved_names_then_goes_through(
    client, draft, coordinator
):
    client.force_login(coordinator)
    before = written()
    response = client.post(f"/plans/import/{draft.pk}/publish/", follow=True)
    assert "未能发布" in response.content.decode()
    assert "一1-1 市大数据局" in response.content.decode()
    assert written() == before
    row = body_of(draft, "市大数据局")
    client.post(
        f"/plans/import/{draft.pk}/bodies/{row.pk}/",
        {f"b{row.pk}-role": "support", f"b{row.pk}-department": "市政务中心", "action": "save"},
    )
    client.post(
        f"/plans/import/{draft.pk}/",
        {"title": "社区服务方案", "slug": "community-2021", "issued_on": "2021-03-01"},
    )
    response = client.post(f"/plans/import/{draft.pk}/publish/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/plans/community-2021/"
    plan = Plan.objects.get(slug="community-2021")
    assert (plan.title, plan.issued_on.isoformat()) == ("社区服务方案", "2021-03-01")
    page = client.get(response["Location"]).content.decode()
    assert "一1-1" in page and "一2-1" in page
    assert set(
        Assignment.objects.filter(task__plan=plan).values_list(
            "task__code", "department__short_name", "role"
        )
    ) == {
        ("一1-1", "市住建局", "lead"),
        ("一1-1", "市政务中心", "support"),
        ("一2-1", "市民政局", "responsible"),
    }


def test_the_particulars_form_shows_its_errors(client, draft, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/plans/import/{draft.pk}/",
        {"title": "x", "starts_on": "2021-05-01", "ends_on": "2020-01-01"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    draft.refresh_from_db()
    assert draft.title != "x"


def test_discarding_through_the_page(client, draft, coordinator):
    client.force_login(coordinator)
    response = client.post(f"/plans/import/{draft.pk}/discard/")
    assert response["Location"] == "/plans/import/"
    draft.refresh_from_db()
    assert draft.is_discarded
    page = client.get(f"/plans/import/{draft.pk}/").content.decode()
    assert "该导入已放弃" in page
    assert "/publish/" not in page


# --- several plans ----------------------------------------------------------------------------------
def test_plan_page_lists_plans_once_there_are_several(client, coordinator):
    client.force_login(UserFactory(role=UserRole.VIEWER))
    seed = Plan.objects.get()
    assert "三(一)1-1" in client.get("/plan/").content.decode()  # one plan: shown as before
    draft = services.import_create(text=TEXT, by=coordinator)
    services.body_update(
        body=body_of(draft, "市大数据局"),
        by=coordinator,
        department=Department.objects.get(short_name="市政务中心"),
    )
    plan = services.import_publish(plan_import=draft, by=coordinator)
    page = client.get("/plan/").content.decode()
    assert f'href="/plans/{seed.slug}/"' in page and f'href="/plans/{plan.slug}/"' in page
    assert "三(一)1-1" not in page
    assert "一2-1" in client.get(f"/plans/{plan.slug}/").content.decode()
    assert "三(一)1-1" in client.get(f"/plans/{seed.slug}/").content.decode()
    assert client.get("/plans/no-such-plan/").status_code == HTTPStatus.NOT_FOUND
