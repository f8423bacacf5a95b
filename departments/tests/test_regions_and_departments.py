"""Places (行政区划) and the bodies the plan names."""

import re
from datetime import date
from http import HTTPStatus

import pytest
from django.conf import settings

from departments.models import Department, Region
from tests.factories import UserFactory

SEED_FILE = settings.BASE_DIR / "fixtures" / "source" / "plan_2018.txt"
COUNTY_GOVERNMENTS = [
    "城区人民政府",
    "矿区人民政府",
    "郊区人民政府",
    "平定县人民政府",
    "盂县人民政府",
]
COUNTY_COMMITTEES = ["城区区委", "矿区区委", "郊区区委", "平定县委", "盂县县委"]


def _bodies_named_in_the_plans_clauses() -> set[str]:
    """Every body written in a parenthesised responsibility of the plan, as written."""
    text = SEED_FILE.read_text(encoding="utf-8")
    names = set()
    for clause in re.findall(r"\(([^()]*(?:牵头|配合|负责))\)", text):
        clause = clause.removeprefix("以上两项")
        for part in re.split(r"[,、]", clause):
            part = re.sub(r"(等)?(牵头|配合|负责)$", "", part)
            if part:
                names.add(part)
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_the_city_has_32_towns_in_each_year_of_the_plan(year):
    towns = Region.objects.towns().valid_in(year)

    assert towns.count() == 32
    assert not towns.filter(kind=Region.Kind.SUBDISTRICT).exists()


@pytest.mark.django_db
def test_towns_are_counted_per_county():
    towns = Region.objects.towns().valid_in(2019)

    assert {
        county: towns.filter(parent__name=county).count()
        for county in ["城区", "矿区", "郊区", "平定县", "盂县"]
    } == {"城区": 1, "矿区": 0, "郊区": 7, "平定县": 10, "盂县": 14}


@pytest.mark.django_db
def test_yijing_town_moved_from_jiaoqu_to_chengqu():
    old = Region.objects.get(code="140311102000")
    new = Region.objects.get(code="140302100000")

    assert (old.name, old.parent.name) == ("义井镇", "郊区")
    assert old.valid_to == date(2016, 12, 31)
    assert old.successor == new
    assert (new.name, new.parent.name, new.kind) == ("义井镇", "城区", Region.Kind.TOWN)
    assert new.valid_from == date(2017, 1, 1)
    assert list(new.predecessors.all()) == [old]


@pytest.mark.django_db
def test_xiashe_township_is_valid_until_the_end_of_2020():
    xiashe = Region.objects.get(code="140322202000")

    assert (xiashe.name, xiashe.kind, xiashe.parent.name) == (
        "下社乡",
        Region.Kind.TOWNSHIP,
        "盂县",
    )
    assert xiashe.valid_to == date(2020, 12, 31)
    assert Region.objects.towns().valid_in(2020).filter(pk=xiashe.pk).exists()
    assert not Region.objects.towns().valid_in(2021).filter(pk=xiashe.pk).exists()


@pytest.mark.django_db
def test_podi_subdistrict_is_valid_until_the_end_of_2020():
    podi = Region.objects.get(code="140302006000")

    assert (podi.name, podi.kind) == ("坡底街道", Region.Kind.SUBDISTRICT)
    assert podi.valid_to == date(2020, 12, 31)


@pytest.mark.django_db
def test_collective_county_governments_stand_for_the_five_county_governments():
    collective = Department.objects.get(short_name="各县(区)人民政府")

    assert collective.is_collective
    assert sorted(m.short_name for m in collective.members.all()) == sorted(COUNTY_GOVERNMENTS)
    for government in collective.members.all():
        assert government.kind == Department.Kind.COUNTY_GOVERNMENT
        assert government.short_name == f"{government.region.name}人民政府"


@pytest.mark.django_db
def test_collective_county_committees_stand_for_the_five_county_committees():
    collective = Department.objects.get(short_name="各县(区)委")

    assert collective.is_collective
    assert sorted(m.short_name for m in collective.members.all()) == sorted(COUNTY_COMMITTEES)
    assert {m.kind for m in collective.members.all()} == {Department.Kind.COUNTY_PARTY_COMMITTEE}
    assert sorted(m.region.name for m in collective.members.all()) == sorted(
        ["城区", "矿区", "郊区", "平定县", "盂县"]
    )


@pytest.mark.django_db
def test_placeholders_are_collective_and_have_no_members():
    for name in ["相关部门", "各相关部门"]:
        placeholder = Department.objects.get(short_name=name)
        assert placeholder.kind == Department.Kind.PLACEHOLDER
        assert placeholder.is_collective
        assert not placeholder.members.exists()


@pytest.mark.django_db
def test_department_found_by_alias_through_the_api(api_client):
    api_client.force_login(UserFactory())

    response = api_client.get("/api/v1/departments/", {"name": "市国资委"})

    assert response.status_code == HTTPStatus.OK
    results = response.json()["results"]
    assert [d["name"] for d in results] == ["市经信委〈国资委〉"]
    assert "市国资委" in results[0]["aliases"]


@pytest.mark.django_db
def test_department_found_by_short_name_through_the_api(api_client):
    api_client.force_login(UserFactory())

    response = api_client.get("/api/v1/departments/", {"name": "市编办"})

    assert [d["name"] for d in response.json()["results"]] == ["市编办"]


def test_the_plans_clauses_name_the_expected_bodies():
    assert _bodies_named_in_the_plans_clauses() == {
        # city departments and offices
        "市政府办公厅", "市政府法制办", "市政务中心", "市民政局", "市农委", "市安监局",
        "市发改委", "市住建局", "市环保局", "市公安局", "市人社局", "市财政局", "市教育局",
        "市卫计委", "市文化局", "市体育局", "市规划局", "市工商局", "市林业局", "市信访局",
        "市审计局", "市经信委〈国资委〉",
        # party organs
        "市编办", "市委宣传部", "市委网信办", "市委组织部", "市纪委监委",
        # mass organisations
        "市总工会", "团市委", "市妇联", "市残联",
        # collectives, as the plan writes them
        "各县〈区〉人民政府", "各县〈区〉委",
        # placeholders
        "相关部门", "各相关部门",
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(_bodies_named_in_the_plans_clauses()))
def test_every_body_named_in_a_clause_of_the_plan_exists(name):
    found = Department.objects.by_name(name)

    assert found.count() == 1, f"“{name}” resolves to {found.count()} bodies"
