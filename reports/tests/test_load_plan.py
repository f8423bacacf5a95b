"""Loading the plan: a second run writes nothing, bad input saves nothing."""

import shutil
from datetime import date
from io import StringIO

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Max

from departments.models import Department, Region
from milestones.models import ChecklistLine, Milestone
from reports.services import plan_load
from tasks.models import Assignment, Plan, Responsibility, Role, Task
from tasks.services import DEFAULT_FIXTURES
from tests.factories import PlanFactory

PLAN_FILE = "plan_2018.yaml"
BROKEN_SLUG = "yq-2018-broken-copy"


def _row_counts() -> dict[str, int]:
    """Rows of every model, history tables and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _history_counts() -> dict[str, int]:
    return {
        model.__name__: model.history.count()
        for model in (
            Region,
            Department,
            Plan,
            Task,
            Responsibility,
            Assignment,
            Milestone,
            ChecklistLine,
        )
    }


def _find(nodes: list[dict], code: str) -> dict:
    for node in nodes:
        if node["code"] == code:
            return node
        found = _find(node.get("children", []), code) if node.get("children") else None
        if found:
            return found
    return None


@pytest.fixture
def broken_fixtures(tmp_path):
    """A copy of fixtures/ whose plan has a new slug; the test breaks one clause."""
    target = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, target)
    path = target / PLAN_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plan"]["slug"] = BROKEN_SLUG

    def write(edit):
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return target

    return write


# --- Loading twice -----------------------------------------------------------


@pytest.mark.django_db
def test_loading_the_plan_again_changes_no_row_and_no_history(plan):
    rows_before = _row_counts()
    history_before = _history_counts()
    last_task_update = Task.objects.aggregate(last=Max("updated_at"))["last"]
    out = StringIO()

    call_command("load_plan", stdout=out)

    assert _row_counts() == rows_before
    assert _history_counts() == history_before
    assert Task.objects.aggregate(last=Max("updated_at"))["last"] == last_task_update
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_loading_the_plan_again_reports_zero_changes_per_kind_of_row(plan):
    changed = plan_load(fixtures_dir=DEFAULT_FIXTURES, plan_file=PLAN_FILE)

    assert changed == dict.fromkeys(changed, 0)
    assert set(changed) >= {"regions", "departments", "plan", "tasks", "milestones", "periods"}


@pytest.mark.django_db
def test_loaded_plan_has_its_whole_tree(plan):
    tasks = Task.objects.filter(plan=plan)

    assert tasks.filter(kind=Task.Kind.PART).count() == 2
    assert tasks.filter(kind=Task.Kind.SECTION).count() == 6
    assert tasks.filter(kind=Task.Kind.ITEM).count() == 15
    assert tasks.clauses().count() == 38
    assert not tasks.clauses().filter(responsibilities__isnull=True).exists()


@pytest.mark.django_db
def test_collectives_become_one_share_per_county_and_placeholders_none(plan):
    clause = Task.objects.get(plan=plan, code="三(二)1-1")  # 各县〈区〉人民政府负责
    shares = Assignment.objects.filter(task=clause)

    assert sorted(a.department.short_name for a in shares) == sorted(
        ["城区人民政府", "矿区人民政府", "郊区人民政府", "平定县人民政府", "盂县人民政府"]
    )
    assert {a.role for a in shares} == {Role.RESPONSIBLE}
    assert not Assignment.objects.filter(
        task__plan=plan, department__kind=Department.Kind.PLACEHOLDER
    ).exists()


# --- Bad fixtures: nothing half-saved ----------------------------------------


@pytest.mark.django_db
def test_clause_naming_an_unknown_body_loads_nothing(plan, broken_fixtures):
    def name_unknown_body(data):
        # The last clause: everything before it has been written when it fails.
        _find(data["tasks"], "四(三)-1")["responsible"] = ["市不存在局"]

    fixtures = broken_fixtures(name_unknown_body)
    rows_before = _row_counts()

    with pytest.raises(ValidationError, match="市不存在局"):
        plan_load(fixtures_dir=fixtures, plan_file=PLAN_FILE)

    assert not Plan.objects.filter(slug=BROKEN_SLUG).exists()
    assert not Task.objects.filter(plan__slug=BROKEN_SLUG).exists()
    assert _row_counts() == rows_before


@pytest.mark.django_db
def test_clause_with_an_unknown_role_key_is_refused_and_loads_nothing(plan, broken_fixtures):
    def misspell_lead(data):
        clause = _find(data["tasks"], "三(二)4-2")
        clause["leads"] = clause.pop("lead")  # a typo for `lead:`

    fixtures = broken_fixtures(misspell_lead)

    with pytest.raises(ValidationError):
        plan_load(fixtures_dir=fixtures, plan_file=PLAN_FILE)

    assert not Task.objects.filter(plan__slug=BROKEN_SLUG).exists()


@pytest.mark.django_db
def test_pilot_town_with_an_unknown_code_loads_nothing(plan, broken_fixtures):
    def unknown_town(data):
        data["plan"]["pilot_towns"][-1] = "140399999000"

    fixtures = broken_fixtures(unknown_town)

    with pytest.raises(ValidationError):
        plan_load(fixtures_dir=fixtures, plan_file=PLAN_FILE)

    assert not Plan.objects.filter(slug=BROKEN_SLUG).exists()


# --- Bad rows: refused by the models -----------------------------------------


@pytest.mark.django_db
def test_responsibility_with_an_unknown_role_is_refused(plan):
    responsibility = Responsibility(
        task=Task.objects.get(plan=plan, code="三(一)2-1"),
        department=Department.objects.get(short_name="市民政局"),
        role="boss",
        written_as="市民政局",
    )

    with pytest.raises(ValidationError) as error:
        responsibility.full_clean()
    assert "role" in error.value.message_dict


@pytest.mark.django_db
def test_task_under_a_parent_of_another_plan_is_refused(plan):
    other_plan = PlanFactory()
    task = Task(
        plan=other_plan,
        parent=Task.objects.get(plan=plan, code="三(一)1"),
        kind=Task.Kind.CLAUSE,
        code="三(一)1-9",
        title="错挂的条款",
        text="错挂的条款",
    )

    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "parent" in error.value.message_dict


@pytest.mark.django_db
def test_region_under_a_town_is_refused():
    region = Region(
        code="140311100001",
        name="荫营镇下的镇",
        kind=Region.Kind.TOWN,
        parent=Region.objects.get(code="140311100000"),  # 荫营镇
    )

    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "parent" in error.value.message_dict


@pytest.mark.django_db
def test_responsibility_on_a_task_that_is_not_a_clause_is_refused(plan):
    responsibility = Responsibility(
        task=Task.objects.get(plan=plan, code="三(一)1", kind=Task.Kind.ITEM),
        department=Department.objects.get(short_name="市编办"),
        role=Role.LEAD,
        written_as="市编办",
    )

    with pytest.raises(ValidationError) as error:
        responsibility.full_clean()
    assert "task" in error.value.message_dict


@pytest.mark.django_db
def test_assignment_to_a_collective_is_refused(plan):
    clause = Task.objects.get(plan=plan, code="三(二)1-1")
    responsibility = clause.responsibilities.get()
    assert responsibility.department.short_name == "各县(区)人民政府"
    assignment = Assignment(
        task=clause,
        department=responsibility.department,
        role=responsibility.role,
        responsibility=responsibility,
        deadline=date(2020, 12, 31),
    )

    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "department" in error.value.message_dict
