"""Drafts: reading a document in, correcting it (every change in the history), publishing it."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from accounts.models import UserRole
from core.errors import PermissionDenied
from departments.models import Department
from plan_import import services
from plan_import.models import ImportedBody, ImportedClause, PlanImport, Resolution
from plan_import.readers import read_document
from reports.models import ReportingPeriod
from tasks.models import Assignment, Plan, Responsibility, Role, Task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent / "documents"
SMALL = (
    "阳泉市社区服务工作方案\n"
    "一、重点任务\n"
    "（一）完善设施\n"
    "1.改造服务大厅。改造社区服务大厅。配齐自助终端（市住建局牵头，市大数据局、阳泉市民政局配合）。\n"
    "2.建设代办点。在村设立代办点（市民政局负责，2020年底前完成）。\n"
    "（二）加强保障\n"
    "落实经费（市财政局牵头，相关部门配合）；加强督查（各县〈区〉人民政府负责）。"
)


def counts() -> dict:
    return {
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "responsibilities": Responsibility.objects.count(),
        "assignments": Assignment.objects.count(),
        "departments": Department.objects.count(),
        "periods": ReportingPeriod.objects.count(),
    }


@pytest.fixture
def draft(coordinator):
    return services.import_create(text=SMALL, by=coordinator, source_name="方案.txt")


def clause(draft, code) -> ImportedClause:
    return draft.clauses.get(code=code)


def body(draft, code, written) -> ImportedBody:
    return ImportedBody.objects.get(
        clause__plan_import=draft, clause__code=code, written_as=written
    )


# --- reading in ---------------------------------------------------------------------------
def test_a_draft_holds_the_tree_clauses_and_bodies_but_nothing_live(draft):
    before = counts()
    assert draft.is_draft
    assert draft.title == "阳泉市社区服务工作方案"
    assert [c.code for c in draft.clauses.all()] == [
        "一(一)1-1",
        "一(一)2-1",
        "一(二)-1",
        "一(二)-2",
    ]
    assert [n.code for n in draft.nodes.all()] == ["一", "一(一)", "一(一)1", "一(一)2", "一(二)"]
    first = clause(draft, "一(一)1-1")
    assert (
        draft.source_text[first.start : first.end] == first.text == "改造社区服务大厅。配齐自助终端"
    )
    assert draft.source_text[first.paren_start : first.paren_end] == (
        "（市住建局牵头，市大数据局、阳泉市民政局配合）"
    )
    assert counts() == before


def test_known_names_are_matched_and_unknown_ones_proposed_never_merged(draft):
    rows = {b.written_as: b for b in ImportedBody.objects.filter(clause__plan_import=draft)}
    assert rows["市住建局"].resolution == Resolution.MATCHED
    assert rows["阳泉市民政局"].department.short_name == "市民政局"  # 阳泉市 prefix
    assert rows["相关部门"].department.kind == Department.Kind.PLACEHOLDER
    assert rows["各县〈区〉人民政府"].department.short_name == "各县(区)人民政府"
    assert rows["各县〈区〉人民政府"].department.kind == Department.Kind.COLLECTIVE
    unknown = rows["市大数据局"]
    assert (unknown.department, unknown.resolution, unknown.needs_review) == (
        None,
        Resolution.UNRESOLVED,
        True,
    )
    assert (unknown.new_short_name, unknown.new_kind) == ("市大数据局", "city_department")


def test_a_name_that_fits_two_bodies_is_left_for_the_coordinator(coordinator):
    Department.objects.create(
        short_name="市综合办", full_name="阳泉市综合办公室", kind="city_department"
    )
    Department.objects.create(short_name="市综合办公室", full_name="", kind="city_department")
    Department.objects.create(short_name="阳泉市综合办公室", kind="city_department")
    plan_import = services.import_create(
        text="一、任务\n1.推进改革。完善体系（阳泉市综合办公室负责）。", by=coordinator
    )
    row = ImportedBody.objects.get(clause__plan_import=plan_import)
    assert row.needs_review and row.department is None


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("各有关部门", "placeholder"),
        ("各乡（镇）人民政府", "placeholder"),
        ("市委政法委", "party_organ"),
        ("市科协", "mass_organisation"),
        ("市大数据局", "city_department"),
    ],
)
def test_unknown_names_get_a_proposed_kind(coordinator, written, kind):
    plan_import = services.import_create(
        text=f"一、任务\n1.推进改革。完善体系（{written}负责）。", by=coordinator
    )
    assert ImportedBody.objects.get(clause__plan_import=plan_import).new_kind == kind


def test_a_document_without_clauses_is_refused_and_nothing_saved(coordinator):
    with pytest.raises(ValidationError, match="没有识别到任何责任条款"):
        services.import_create(text="一、总体要求\n坚持以人民为中心。", by=coordinator)
    assert PlanImport.objects.count() == 0


@pytest.mark.parametrize("role", [UserRole.STAFF, UserRole.REVIEWER, UserRole.VIEWER])
def test_only_coordinators_import(role):
    user = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        services.import_create(text=SMALL, by=user)
    assert PlanImport.objects.count() == 0


def test_particulars_are_guessed_from_the_document(coordinator):
    plan_import = services.import_create(
        text=read_document(DOCUMENTS / "county_label_lines.txt"), by=coordinator
    )
    assert plan_import.title == "石门县村级综合服务站提档升级实施方案"
    assert plan_import.document_number == "石政办发〔2020〕15号"
    assert plan_import.issued_on == date(2020, 4, 8)
    dates = services.plan_dates(plan_import)
    assert (dates.starts_on, dates.ends_on) == (date(2020, 4, 8), date(2021, 12, 31))


# --- corrections, each kept in the history ----------------------------------------------------
def test_changing_a_role_is_recorded_with_its_author(draft, coordinator):
    row = body(draft, "一(一)1-1", "市住建局")
    services.body_update(body=row, by=coordinator, role=Role.SUPPORT)
    row.refresh_from_db()
    assert row.role == Role.SUPPORT
    latest, previous = row.history.all()[:2]
    assert (latest.role, latest.history_user) == (Role.SUPPORT, coordinator)
    assert previous.role == Role.LEAD


def test_choosing_a_body_for_an_unknown_name_resolves_it(draft, coordinator):
    row = body(draft, "一(一)1-1", "市大数据局")
    chosen = Department.objects.get(short_name="市政务中心")
    services.body_update(body=row, by=coordinator, department=chosen)
    row.refresh_from_db()
    assert (row.department, row.resolution) == (chosen, Resolution.CHOSEN)
    assert row.history.first().history_user == coordinator


def test_choosing_everywhere_resolves_every_mention_written_the_same_way(coordinator):
    plan_import = services.import_create(
        text="一、任务\n1.甲项。做甲（市大数据局负责）。\n2.乙项。做乙（市民政局牵头，市大数据局配合）。",
        by=coordinator,
    )
    first = ImportedBody.objects.filter(clause__plan_import=plan_import, written_as="市大数据局")[0]
    chosen = Department.objects.get(short_name="市政务中心")
    changed = services.body_update(body=first, by=coordinator, department=chosen, everywhere=True)
    assert len(changed) == 2
    assert set(
        ImportedBody.objects.filter(clause__plan_import=plan_import, written_as="市大数据局")
        .values_list("department__short_name", "resolution")
        .distinct()
    ) == {("市政务中心", "chosen")}


def test_confirming_a_new_body_creates_it_only_on_publishing(draft, coordinator):
    row = body(draft, "一(一)1-1", "市大数据局")
    before = Department.objects.count()
    services.body_confirm_new(
        body=row, by=coordinator, short_name="市大数据局", kind="city_department"
    )
    row.refresh_from_db()
    assert (row.resolution, row.is_new, row.needs_review) == (Resolution.NEW, True, False)
    assert Department.objects.count() == before


def test_confirming_new_a_name_the_table_has_is_refused(draft, coordinator):
    row = body(draft, "一(一)1-1", "市大数据局")
    with pytest.raises(ValidationError, match="已有“市民政局”"):
        services.body_confirm_new(
            body=row, by=coordinator, short_name="市民政局", kind="city_department"
        )
    with pytest.raises(ValidationError, match="管理后台"):
        services.body_confirm_new(
            body=row, by=coordinator, short_name="市大数据局", kind="county_government"
        )
    row.refresh_from_db()
    assert row.needs_review


def test_removing_a_body_keeps_it_in_the_history(draft, coordinator):
    row = body(draft, "一(一)1-1", "市住建局")
    pk, history = row.pk, row.history.model
    services.body_remove(body=row, by=coordinator)
    assert not ImportedBody.objects.filter(pk=pk).exists()
    removed = history.objects.filter(id=pk).order_by("-history_date").first()
    assert (removed.history_type, removed.history_user, removed.written_as) == (
        "-",
        coordinator,
        "市住建局",
    )


def test_adding_a_body_matches_it_or_proposes_it(draft, coordinator):
    target = clause(draft, "一(一)2-1")
    known = services.body_add(
        clause=target, by=coordinator, role=Role.SUPPORT, written_as="市财政局"
    )
    unknown = services.body_add(
        clause=target, by=coordinator, role=Role.SUPPORT, written_as="市数据局"
    )
    assert (known.department.short_name, known.added_in_review) == ("市财政局", True)
    assert unknown.needs_review
    assert [b.written_as for b in target.bodies.order_by("order")] == [
        "市民政局",
        "市财政局",
        "市数据局",
    ]


def test_retitling_a_clause(draft, coordinator):
    target = clause(draft, "一(一)1-1")
    services.clause_retitle(clause=target, by=coordinator, title="改造大厅、配齐终端")
    target.refresh_from_db()
    assert target.title == "改造大厅、配齐终端"
    assert target.history.first().history_user == coordinator
    with pytest.raises(ValidationError):
        services.clause_retitle(clause=target, by=coordinator, title="  ")


def test_split_points_are_sentence_ends_or_else_commas():
    assert [at for at, _label in services.split_points("甲。乙；丙")] == [2, 4]
    assert [at for at, _label in services.split_points("甲，乙，丙")] == [2, 4]
    assert services.split_points("甲乙丙") == []


def test_splitting_a_clause_copies_its_bodies_and_renumbers(draft, coordinator):
    target = clause(draft, "一(一)1-1")
    new = services.clause_split(clause=target, by=coordinator, at=len("改造社区服务大厅。"))
    target.refresh_from_db()
    assert (target.code, target.text) == ("一(一)1-1", "改造社区服务大厅。")
    assert (new.code, new.text) == ("一(一)1-2", "配齐自助终端")
    source = draft.source_text
    assert source[target.start : target.end] == target.text
    assert source[new.start : new.end] == new.text
    assert [(b.written_as, b.role) for b in new.bodies.order_by("order")] == [
        (b.written_as, b.role) for b in target.bodies.order_by("order")
    ]
    assert new.history.first().history_user == coordinator
    with pytest.raises(ValidationError):
        services.clause_split(clause=target, by=coordinator, at=0)


def test_merging_a_clause_with_the_next_joins_texts_and_bodies(draft, coordinator):
    first = clause(draft, "一(二)-1")
    second = clause(draft, "一(二)-2")
    merged = services.clause_merge_next(clause=first, by=coordinator)
    assert not ImportedClause.objects.filter(pk=second.pk).exists()
    assert merged.code == "一(二)-1"
    assert merged.text == "落实经费加强督查"
    assert [(b.written_as, b.role) for b in merged.bodies.order_by("order")] == [
        ("市财政局", "lead"),
        ("相关部门", "support"),
        ("各县〈区〉人民政府", "responsible"),
    ]
    assert merged.responsibility_text == "市财政局牵头，相关部门配合；各县〈区〉人民政府负责"
    # Split again where they were joined: the document's offsets are found again.
    again = services.clause_split(clause=merged, by=coordinator, at=len("落实经费"))
    assert draft.source_text[again.start : again.end] == "加强督查"


def test_merging_across_items_is_refused(draft, coordinator):
    with pytest.raises(ValidationError, match="同一条目"):
        services.clause_merge_next(clause=clause(draft, "一(一)1-1"), by=coordinator)


@pytest.mark.parametrize(
    "action",
    [
        lambda d, u: services.body_update(
            body=body(d, "一(一)1-1", "市住建局"), by=u, role="support"
        ),
        lambda d, u: services.body_remove(body=body(d, "一(一)1-1", "市住建局"), by=u),
        lambda d, u: services.clause_retitle(clause=clause(d, "一(一)1-1"), by=u, title="x"),
        lambda d, u: services.clause_merge_next(clause=clause(d, "一(二)-1"), by=u),
        lambda d, u: services.import_publish(plan_import=d, by=u),
    ],
    ids=["role", "remove", "title", "merge", "publish"],
)
def test_others_cannot_correct_or_publish(draft, action):
    staff = UserFactory(role=UserRole.STAFF)
    with pytest.raises(PermissionDenied):
        action(draft, staff)
    assert body(draft, "一(一)1-1", "市住建局").role == Role.LEAD
    assert draft.clauses.count() == 4
    assert ImportedBody.history.filter(history_user=staff).count() == 0


# --- publishing -----------------------------------------------------------------------------------
def test_publishing_is_refused_while_a_body_is_unresolved_listing_them(draft, coordinator):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.import_publish(plan_import=draft, by=coordinator)
    assert "一(一)1-1 市大数据局" in " ".join(refused.value.messages)
    assert counts() == before
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_is_refused_when_a_body_is_named_twice_in_a_clause(draft, coordinator):
    services.body_update(
        body=body(draft, "一(一)1-1", "市大数据局"),
        by=coordinator,
        department=Department.objects.get(short_name="市住建局"),
    )
    with pytest.raises(ValidationError, match="出现两次"):
        services.import_publish(plan_import=draft, by=coordinator)


def test_publishing_creates_the_plan_tree_responsibilities_new_bodies_and_shares(
    draft, coordinator
):
    services.body_confirm_new(
        body=body(draft, "一(一)1-1", "市大数据局"),
        by=coordinator,
        short_name="市大数据局",
        kind="city_department",
    )
    services.body_update(body=body(draft, "一(一)2-1", "市民政局"), by=coordinator, role=Role.LEAD)
    plan = services.import_publish(plan_import=draft, by=coordinator)

    big_data = Department.objects.get(short_name="市大数据局")
    assert big_data.kind == "city_department"
    assert big_data.history.first().history_user == coordinator
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    assert {code: t.kind for code, t in tasks.items()} == {
        "一": "part",
        "一(一)": "section",
        "一(一)1": "item",
        "一(一)1-1": "clause",
        "一(一)2": "item",
        "一(一)2-1": "clause",
        "一(二)": "section",
        "一(二)-1": "clause",
        "一(二)-2": "clause",
    }
    assert tasks["一(一)1-1"].parent == tasks["一(一)1"]
    assert tasks["一(二)-2"].parent == tasks["一(二)"]
    assert tasks["一(一)2-1"].due_date == date(2020, 12, 31)  # 2020年底前完成
    assert list(
        Responsibility.objects.filter(task=tasks["一(一)1-1"])
        .order_by("order")
        .values_list("department__short_name", "role", "written_as")
    ) == [
        ("市住建局", "lead", "市住建局"),
        ("市大数据局", "support", "市大数据局"),
        ("市民政局", "support", "阳泉市民政局"),
    ]
    shares = set(
        Assignment.objects.filter(task__plan=plan).values_list(
            "task__code", "department__short_name", "role"
        )
    )
    assert ("一(一)2-1", "市民政局", "lead") in shares
    assert ("一(一)1-1", "市大数据局", "support") in shares
    # 各县(区)人民政府 expands to one share per county; 相关部门 gets none yet.
    assert {d for c, d, _r in shares if c == "一(二)-2"} == {
        "城区人民政府",
        "矿区人民政府",
        "郊区人民政府",
        "平定县人民政府",
        "盂县人民政府",
    }
    assert not [s for s in shares if s[0] == "一(二)-1" and s[1] == "相关部门"]
    draft.refresh_from_db()
    assert (draft.status, draft.published_plan) == (PlanImport.Status.PUBLISHED, plan)
    assert plan.coordinator.short_name == "市民政局"  # the publisher's body
    # A published import is closed.
    with pytest.raises(ValidationError):
        services.clause_retitle(clause=clause(draft, "一(一)1-1"), by=coordinator, title="再改")
    with pytest.raises(ValidationError):
        services.import_publish(plan_import=draft, by=coordinator)


def test_a_taken_slug_is_refused_and_nothing_is_created(draft, coordinator):
    services.body_confirm_new(
        body=body(draft, "一(一)1-1", "市大数据局"),
        by=coordinator,
        short_name="市大数据局",
        kind="city_department",
    )
    services.import_update(
        plan_import=draft, by=coordinator, title=draft.title, slug="yq-2018-township-service"
    )
    before = counts()
    with pytest.raises(ValidationError, match="已有标识"):
        services.import_publish(plan_import=draft, by=coordinator)
    assert counts() == before


def test_discarding_closes_the_draft(draft, coordinator):
    services.import_discard(plan_import=draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.is_discarded
    with pytest.raises(ValidationError):
        services.import_publish(plan_import=draft, by=coordinator)


@pytest.mark.parametrize("name", sorted(p.stem for p in DOCUMENTS.glob("*.txt")))
def test_every_test_document_publishes_into_a_valid_tree(coordinator, name):
    """Parts, sections, items and sub-items of every shape the documents have become a
    tree the Task model accepts; every clause and body arrives."""
    plan_import = services.import_create(
        text=read_document(DOCUMENTS / f"{name}.txt"), by=coordinator
    )
    for row in ImportedBody.objects.filter(
        clause__plan_import=plan_import, resolution=Resolution.UNRESOLVED
    ):
        row.refresh_from_db()
        if row.needs_review:  # an earlier "everywhere" may have resolved it
            services.body_confirm_new(
                body=row,
                by=coordinator,
                short_name=row.new_short_name,
                kind=row.new_kind,
                everywhere=True,
            )
    plan = services.import_publish(plan_import=plan_import, by=coordinator)
    clauses = Task.objects.clauses().filter(plan=plan)
    assert clauses.count() == plan_import.clauses.count()
    assert all(t.parent_id for t in clauses)
    for task in Task.objects.filter(plan=plan).select_related("parent"):
        task.full_clean()  # the tree shape is one the model accepts
    assert (
        Responsibility.objects.filter(task__plan=plan).count()
        == ImportedBody.objects.filter(clause__plan_import=plan_import).count()
    )


def test_reading_a_document_in_takes_the_same_queries_whatever_its_size(
    coordinator, django_assert_max_num_queries
):
    """Clauses and bodies are inserted in bulk, history rows included."""
    seed = read_document(
        Path(__file__).resolve().parents[2] / "fixtures" / "source" / "plan_2018.txt"
    )
    for text in (SMALL, seed):
        with django_assert_max_num_queries(35):
            plan_import = services.import_create(text=text, by=coordinator)
    assert plan_import.clauses.count() == 38
    assert ImportedBody.history.filter(clause__plan_import=plan_import).count() == 94
