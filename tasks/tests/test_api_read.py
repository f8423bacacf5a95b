"""The read-only API: who may read, what the lists look like, how they filter, what they cost."""

from datetime import date
from http import HTTPStatus

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from departments.models import Department, DepartmentAlias, Region
from milestones.models import ChecklistLine, Milestone
from tasks.models import Task
from tests.factories import (
    DepartmentFactory,
    PlanFactory,
    RegionFactory,
    ResponsibilityFactory,
    TaskFactory,
    UserFactory,
)

LIST_ENDPOINTS = [
    "/api/v1/plans/",
    "/api/v1/tasks/",
    "/api/v1/milestones/",
    "/api/v1/departments/",
    "/api/v1/regions/",
]


@pytest.fixture
def reader(api_client, db):
    api_client.force_login(UserFactory())
    return api_client


def _codes(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return [task["code"] for task in response.json()["results"]]


# --- Who may read ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_anonymous_visitor_cannot_read_the_api(api_client, url):
    response = api_client.get(url)

    assert response.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)
    assert "results" not in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_token_holder_reads_the_api(api_client, url):
    token = Token.objects.create(user=UserFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] > 0


@pytest.mark.django_db
def test_wrong_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/tasks/")

    assert response.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)


# --- Lists -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_lists_are_paginated(reader, url):
    response = reader.get(url, {"page_size": 1})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert len(body["results"]) == 1
    assert body["previous"] is None
    assert (body["next"] is not None) == (body["count"] > 1)


@pytest.mark.django_db
def test_second_page_of_work_items_links_back_to_the_first(reader, plan):
    first = reader.get("/api/v1/tasks/", {"plan": plan.pk}).json()
    assert first["count"] == 61
    assert len(first["results"]) == 50

    second = reader.get(first["next"]).json()

    assert second["previous"] is not None
    assert second["next"] is None
    assert len(second["results"]) == 11
    codes = [t["code"] for t in first["results"] + second["results"]]
    assert len(set(codes)) == 61


@pytest.mark.django_db
def test_plan_lists_its_six_pilot_towns_with_their_counties(reader, plan):
    response = reader.get("/api/v1/plans/")

    assert response.status_code == HTTPStatus.OK
    (listed,) = [p for p in response.json()["results"] if p["id"] == plan.pk]
    towns = listed["pilot_towns"]
    assert all({"id", "name", "county"} <= set(town) for town in towns)
    assert sorted((t["name"], t["county"]) for t in towns) == sorted(
        [
            ("张庄镇", "平定县"),
            ("冶西镇", "平定县"),
            ("秀水镇", "盂县"),
            ("孙家庄镇", "盂县"),
            ("荫营镇", "郊区"),
            ("河底镇", "郊区"),
        ]
    )
    ids = {t["id"] for t in towns}
    assert ids == set(plan.pilot_towns.values_list("id", flat=True))


@pytest.mark.django_db
def test_plan_names_its_issuers_and_coordinator(reader, plan):
    (listed,) = [p for p in reader.get("/api/v1/plans/").json()["results"] if p["id"] == plan.pk]

    assert listed["issued_on"] == "2018-11-09"
    assert listed["coordinator"]["name"] == "市民政局"
    assert [d["name"] for d in listed["issuers"]] == ["市委办公厅", "市政府办公厅"]


# --- Filters on work items ---------------------------------------------------


@pytest.mark.django_db
def test_county_government_sees_the_clauses_of_all_county_governments(reader, plan):
    yuxian = Department.objects.get(short_name="盂县人民政府")

    codes = _codes(reader.get("/api/v1/tasks/", {"department": yuxian.pk, "page_size": 100}))

    assert sorted(codes) == sorted(
        ["三(二)1-1", "三(二)5-1", "三(二)7-4", "三(二)7-5", "三(三)4-1"]
    )


@pytest.mark.django_db
def test_county_government_leads_only_the_service_centres(reader, plan):
    yuxian = Department.objects.get(short_name="盂县人民政府")

    codes = _codes(reader.get("/api/v1/tasks/", {"department": yuxian.pk, "role": "lead"}))

    assert codes == ["三(二)5-1"]


@pytest.mark.django_db
def test_county_party_committee_sees_the_clauses_of_all_county_committees(reader, plan):
    pingding = Department.objects.get(short_name="平定县委")

    codes = _codes(reader.get("/api/v1/tasks/", {"department": pingding.pk}))

    assert sorted(codes) == sorted(["三(三)1-1", "四(一)-1", "四(三)-1"])


@pytest.mark.django_db
def test_department_and_role_filter_the_civil_affairs_bureaus_leads(reader, plan):
    civil_affairs = Department.objects.get(short_name="市民政局")

    leads = _codes(reader.get("/api/v1/tasks/", {"department": civil_affairs.pk, "role": "lead"}))
    supports = _codes(
        reader.get("/api/v1/tasks/", {"department": civil_affairs.pk, "role": "support"})
    )
    responsible = _codes(
        reader.get("/api/v1/tasks/", {"department": civil_affairs.pk, "role": "responsible"})
    )

    assert leads == ["三(一)1-2", "三(二)1-5", "三(二)3-4", "三(二)5-1", "三(二)7-3", "四(二)-1"]
    assert supports == ["三(一)1-1", "三(二)4-2", "三(二)6-1"]
    assert responsible == ["三(二)3-2", "三(二)7-1"]


@pytest.mark.django_db
def test_section_filter_returns_that_section_only(reader, plan):
    codes = _codes(reader.get("/api/v1/tasks/", {"section": "三(二)", "page_size": 100}))

    assert all(code.startswith("三(二)") for code in codes)
    assert codes[0] == "三(二)"
    assert len(codes) == 1 + 7 + 25  # the section, its items, their clauses


@pytest.mark.django_db
def test_plan_filter_keeps_other_plans_out(reader, plan):
    other = TaskFactory()

    ours = reader.get("/api/v1/tasks/", {"plan": plan.pk, "page_size": 100}).json()
    theirs = reader.get("/api/v1/tasks/", {"plan": other.plan_id, "page_size": 100}).json()

    assert ours["count"] == Task.objects.filter(plan=plan).count() == 61
    assert {t["plan"] for t in ours["results"]} == {plan.pk}
    assert other.code in [t["code"] for t in theirs["results"]]
    assert {t["plan"] for t in theirs["results"]} == {other.plan_id}


# --- Schema and docs ---------------------------------------------------------


@pytest.mark.django_db
def test_schema_is_openapi_3(reader):
    response = reader.get("/api/schema/")

    assert response.status_code == HTTPStatus.OK
    schema = yaml.safe_load(response.content)
    assert str(schema["openapi"]).startswith("3.")
    assert "/api/v1/tasks/" in schema["paths"]


@pytest.mark.django_db
def test_docs_page_is_html_for_a_logged_in_user(reader):
    response = reader.get("/api/docs/")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger" in response.content.lower()


# --- Query counts do not grow with rows --------------------------------------


def _queries(client, url, params) -> int:
    client.get(url, params)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK
    return len(captured.captured_queries)


def _plan_with_clauses(n: int):
    plan = PlanFactory()
    for _ in range(n):
        clause = TaskFactory(plan=plan)
        ResponsibilityFactory.create_batch(3, task=clause)
    return plan


@pytest.mark.django_db
def test_work_item_list_queries_do_not_grow_with_rows(reader):
    small, large = _plan_with_clauses(5), _plan_with_clauses(25)

    url = "/api/v1/tasks/"
    few = _queries(reader, url, {"plan": small.pk, "page_size": 100})
    many = _queries(reader, url, {"plan": large.pk, "page_size": 100})

    assert reader.get(url, {"plan": large.pk, "page_size": 100}).json()["count"] == 25 + 3
    assert few == many


def _plans_with_pilot_towns(n: int):
    towns = list(Region.objects.towns()[:3])
    for _ in range(n):
        plan = PlanFactory()
        plan.issuers.set(DepartmentFactory.create_batch(2))
        plan.pilot_towns.set(towns)


@pytest.mark.django_db
def test_plan_list_queries_do_not_grow_with_rows(reader):
    url, params = "/api/v1/plans/", {"page_size": 100}
    _plans_with_pilot_towns(2)
    few = _queries(reader, url, params)
    _plans_with_pilot_towns(20)
    many = _queries(reader, url, params)

    assert reader.get(url, params).json()["count"] == 1 + 2 + 20
    assert few == many


def _plan_with_milestones(n: int):
    plan = PlanFactory()
    counties = list(Region.objects.counties())
    governments = {d.region_id: d for d in Department.objects.filter(kind="county_government")}
    for i in range(n):
        milestone = Milestone.objects.create(
            plan=plan,
            code=f"step-{i}",
            due_date=date(2019, 3, 31),
            title=f"步骤{i}",
            text="原文",
            scope=Milestone.Scope.COUNTIES,
            order=i,
        )
        for county in counties:
            ChecklistLine.objects.create(
                milestone=milestone, region=county, department=governments[county.pk]
            )
    return plan


@pytest.mark.django_db
def test_milestone_list_queries_do_not_grow_with_rows(reader):
    small, large = _plan_with_milestones(2), _plan_with_milestones(15)

    url = "/api/v1/milestones/"
    few = _queries(reader, url, {"plan": small.pk, "page_size": 100})
    many = _queries(reader, url, {"plan": large.pk, "page_size": 100})

    assert reader.get(url, {"plan": large.pk}).json()["count"] == 15
    assert few == many


def _departments(n: int):
    county = Region.objects.get(code="140321000000")
    for _ in range(n):
        collective = DepartmentFactory(kind=Department.Kind.COLLECTIVE)
        collective.members.set(DepartmentFactory.create_batch(2))
        DepartmentAlias.objects.create(department=collective, name=f"{collective.short_name}别名")
        DepartmentFactory(kind=Department.Kind.COUNTY_GOVERNMENT, region=county)


@pytest.mark.django_db
def test_department_list_queries_do_not_grow_with_rows(reader):
    url, params = "/api/v1/departments/", {"page_size": 200}
    before = reader.get(url, params).json()["count"]
    _departments(2)
    few = _queries(reader, url, params)
    _departments(20)
    many = _queries(reader, url, params)

    assert reader.get(url, params).json()["count"] == before + 4 * (2 + 20)
    assert few == many


def _county_with_towns(n: int) -> Region:
    county = RegionFactory()
    for _ in range(n):
        old = RegionFactory(kind=Region.Kind.TOWN, parent=county)
        RegionFactory(kind=Region.Kind.TOWNSHIP, parent=county, successor=None)
        old.successor = RegionFactory(kind=Region.Kind.TOWN, parent=county)
        old.save()
    return county


@pytest.mark.django_db
def test_region_list_queries_do_not_grow_with_rows(reader):
    small, large = _county_with_towns(1), _county_with_towns(20)

    url = "/api/v1/regions/"
    few = _queries(reader, url, {"parent": small.pk, "page_size": 100})
    many = _queries(reader, url, {"parent": large.pk, "page_size": 100})

    assert reader.get(url, {"parent": large.pk, "page_size": 100}).json()["count"] == 60
    assert few == many
