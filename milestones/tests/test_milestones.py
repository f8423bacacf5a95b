"""The dated steps of 二、目标步骤 and the checklist behind each."""

from collections import Counter
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from departments.models import Department, Region
from milestones.models import ChecklistLine, Milestone
from tests.factories import UserFactory

FIVE_COUNTIES = ["城区", "矿区", "郊区", "平定县", "盂县"]
# 二、目标步骤: 平定县张庄镇、冶西镇,盂县秀水镇、孙家庄镇,郊区荫营镇、河底镇
PILOT_TOWNS = {
    ("张庄镇", "平定县"),
    ("冶西镇", "平定县"),
    ("秀水镇", "盂县"),
    ("孙家庄镇", "盂县"),
    ("荫营镇", "郊区"),
    ("河底镇", "郊区"),
}
PILOT_COUNTIES = {"平定县", "盂县", "郊区"}


@pytest.fixture
def milestones(api_client, plan):
    api_client.force_login(UserFactory())
    response = api_client.get("/api/v1/milestones/", {"plan": plan.pk})
    assert response.status_code == HTTPStatus.OK
    return response.json()["results"]


def _by_code(milestones, code):
    (milestone,) = [m for m in milestones if m["code"] == code]
    return milestone


@pytest.mark.django_db
def test_all_nine_dated_steps_come_back_with_iso_due_dates(milestones):
    assert len(milestones) == 9
    assert Counter(m["due_date"] for m in milestones) == Counter(
        [
            "2018-10-31",
            "2018-12-31",
            "2018-12-31",
            "2019-02-28",
            "2019-03-31",
            "2019-10-31",
            "2019-10-31",
            "2019-12-31",
            "2020-12-31",
        ]
    )
    assert [m["due_date"] for m in milestones] == sorted(m["due_date"] for m in milestones)


@pytest.mark.django_db
def test_only_the_october_2018_step_falls_due_before_the_plan_was_issued(milestones):
    early = [m["due_date"] for m in milestones if m["due_before_plan_issued"]]

    assert early == ["2018-10-31"]
    assert all(
        m["due_before_plan_issued"] is False for m in milestones if m["due_date"] != early[0]
    )


@pytest.mark.django_db
def test_each_steps_text_is_the_plans_own_words(milestones, plan):
    for milestone in milestones:
        assert milestone["text"] in plan.source_text, milestone["code"]


@pytest.mark.django_db
def test_county_scoped_steps_list_exactly_the_five_counties(milestones):
    county_steps = [m for m in milestones if m["scope"] == "counties"]

    assert {m["code"] for m in county_steps} == {
        "2018-10-pilot-plans",
        "2019-03-county-plans",
        "2019-10-promotion-meetings",
        "2019-12-annual-summary",
        "2020-consolidation",
    }
    for milestone in county_steps:
        regions = [t["region"] for t in milestone["lines"]]
        assert sorted(r["name"] for r in regions) == sorted(FIVE_COUNTIES), milestone["code"]
        assert {r["kind"] for r in regions} == {"county"}
        assert milestone["lines_total"] == 5


@pytest.mark.django_db
def test_pilot_review_steps_list_the_three_counties_with_pilot_towns(milestones):
    pilot_county_steps = [m for m in milestones if m["scope"] == "pilot_counties"]

    assert {m["code"] for m in pilot_county_steps} == {
        "2018-12-pilot-review",
        "2019-02-pilot-summary",
    }
    for milestone in pilot_county_steps:
        assert {t["region"]["name"] for t in milestone["lines"]} == PILOT_COUNTIES
        assert len(milestone["lines"]) == 3


@pytest.mark.django_db
def test_pilot_town_step_lists_the_six_pilot_towns(milestones):
    step = _by_code(milestones, "2018-12-pilot-towns")

    assert step["due_date"] == "2018-12-31"
    assert {(t["region"]["name"], t["county"]) for t in step["lines"]} == PILOT_TOWNS
    assert len(step["lines"]) == 6


@pytest.mark.django_db
def test_all_towns_step_lists_the_32_towns_of_2019(milestones):
    step = _by_code(milestones, "2019-10-all-towns")
    regions = [t["region"] for t in step["lines"]]
    codes = {r["code"] for r in regions}
    expected = set(Region.objects.towns().valid_in(2019).values_list("code", flat=True))

    assert len(regions) == len(codes) == 32
    assert codes == expected
    assert {r["kind"] for r in regions} <= {"town", "township"}
    assert not any(r["name"].endswith("街道") for r in regions)


@pytest.mark.django_db
def test_all_towns_step_has_yijing_under_chengqu_and_xiashe_still_in_2019(milestones):
    step = _by_code(milestones, "2019-10-all-towns")
    by_code = {t["region"]["code"]: t for t in step["lines"]}

    assert by_code["140302100000"]["region"]["name"] == "义井镇"
    assert by_code["140302100000"]["county"] == "城区"
    # 义井镇's old 郊区 code was gone by 2017.
    assert "140311102000" not in by_code
    # 下社乡 was merged away only after 2020.
    assert by_code["140322202000"]["region"]["name"] == "下社乡"
    assert by_code["140322202000"]["county"] == "盂县"


@pytest.mark.django_db
def test_every_checklist_line_names_its_county_government(milestones):
    for milestone in milestones:
        for target in milestone["lines"]:
            assert target["department"]["name"] == f"{target['county']}人民政府", (
                milestone["code"],
                target["region"]["name"],
            )


@pytest.mark.django_db
def test_checklist_lines_are_not_done_when_loaded(milestones):
    for milestone in milestones:
        assert milestone["lines_done"] == 0
        assert all(t["done"] is False and t["completed_on"] is None for t in milestone["lines"])


@pytest.mark.django_db
def test_checklist_line_of_a_town_on_a_county_step_is_refused(plan):
    county_step = Milestone.objects.get(plan=plan, code="2019-03-county-plans")
    town = Region.objects.get(code="140321103000")  # 张庄镇
    target = ChecklistLine(
        milestone=county_step,
        region=town,
        department=Department.objects.get(short_name="平定县人民政府"),
    )

    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "region" in error.value.message_dict


@pytest.mark.django_db
def test_checklist_line_of_a_county_on_a_town_step_is_refused(plan):
    town_step = Milestone.objects.get(plan=plan, code="2019-10-all-towns")
    target = ChecklistLine(
        milestone=town_step,
        region=Region.objects.get(code="140321000000"),  # 平定县
        department=Department.objects.get(short_name="平定县人民政府"),
    )

    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "region" in error.value.message_dict
