"""The seed plan's own text, imported and published as a second plan, is the hand-encoded plan.

fixtures/plan_2018.yaml was encoded by hand and loaded (by conftest) as the plan
yq-2018-township-service. Importing fixtures/source/plan_2018.txt through the
import pipeline (reader → parser → draft → publish) must give, clause by clause
(38 of 38), the same code, the same text and the same bodies in the same roles,
bodies compared as the Department they resolve to, plus the same shares.
"""

import pytest
import yaml
from django.conf import settings

from departments.services import department_resolve_name
from plan_import import services
from plan_import.models import PlanImport
from plan_import.readers import read_document
from tasks.models import Assignment, Plan, Responsibility, Task

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures"
ROLE_KEYS = ("lead", "support", "responsible")


def fixture_clauses() -> list[dict]:
    data = yaml.safe_load((FIXTURES / "plan_2018.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if any(key in node for key in ROLE_KEYS):
            found.append(node)
        for child in node.get("children", []):
            walk(child)

    for node in data["tasks"]:
        walk(node)
    return found


@pytest.fixture
def published(coordinator):
    text = read_document(FIXTURES / "source" / "plan_2018.txt")
    draft = services.import_create(text=text, by=coordinator, source_name="plan_2018.txt")
    plan = services.import_publish(plan_import=draft, by=coordinator)
    return draft, plan


def test_the_seed_text_is_read_with_every_body_matched(coordinator):
    draft = services.import_create(
        text=read_document(FIXTURES / "source" / "plan_2018.txt"), by=coordinator
    )
    assert draft.title == "关于加强乡镇政府服务能力建设的实施方案"
    assert draft.issued_on.isoformat() == "2018-11-09"
    assert {d.short_name for d in draft.issuers.all()} == {"市委办公厅", "市政府办公厅"}
    assert draft.clauses.count() == 38
    assert not draft.clauses.filter(bodies__resolution="unresolved").exists()
    assert Plan.objects.count() == 1  # a draft is not a plan


def test_published_seed_plan_has_the_fixtures_38_clauses_code_text_bodies_and_roles(published):
    draft, plan = published
    seed = Plan.objects.get(slug="yq-2018-township-service")
    assert plan.slug != seed.slug
    expected = fixture_clauses()
    assert len(expected) == 38
    clauses = list(Task.objects.clauses().filter(plan=plan).order_by("order"))
    assert [t.code for t in clauses] == [node["code"] for node in expected]
    matched = 0
    for task, node in zip(clauses, expected, strict=True):
        assert task.text == node["text"], node["code"]
        assert task.responsibility_text == node["responsibility_text"], node["code"]
        want = [
            (department_resolve_name(name).pk, role, name)
            for role in ROLE_KEYS
            for name in node.get(role, [])
        ]
        got = list(
            Responsibility.objects.filter(task=task)
            .order_by("order")
            .values_list("department_id", "role", "written_as")
        )
        assert got == want, node["code"]
        # …and the same as the plan loaded from the fixture.
        seed_rows = set(
            Responsibility.objects.filter(task__plan=seed, task__code=node["code"]).values_list(
                "department_id", "role", "written_as"
            )
        )
        assert set(got) == seed_rows, node["code"]
        matched += 1
    assert matched == 38


def test_published_seed_plan_has_the_same_shares_as_the_loaded_plan(published):
    _draft, plan = published
    seed = Plan.objects.get(slug="yq-2018-township-service")

    def shares(p):
        return set(
            Assignment.objects.filter(task__plan=p).values_list(
                "task__code", "department_id", "role"
            )
        )

    assert shares(plan) == shares(seed)
    assert len(shares(plan)) > 38


def test_published_plan_tree_and_dates(published):
    draft, plan = published
    assert (plan.issued_on.isoformat(), plan.starts_on.isoformat(), plan.ends_on.isoformat()) == (
        "2018-11-09",
        "2018-11-09",
        "2020-12-31",
    )
    assert plan.coordinator.short_name == "市民政局"
    assert plan.title == "关于加强乡镇政府服务能力建设的实施方案"
    item = Task.objects.get(plan=plan, code="三(二)7")
    assert (item.kind, item.title, item.parent.code) == (
        "item",
        "健全公共服务需求表达反馈机制",
        "三(二)",
    )
    clause = Task.objects.get(plan=plan, code="四(一)-1")
    assert (clause.parent.code, clause.parent.kind) == ("四(一)", "section")
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.PUBLISHED
    assert draft.published_plan == plan
    assert plan.reporting_periods.exists()
