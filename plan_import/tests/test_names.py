"""Matching a written name to a known body: never a silent guess."""

import pytest

from departments.models import Department
from plan_import.names import DepartmentMatcher, department_match, name_variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def matcher():
    return DepartmentMatcher()


@pytest.mark.parametrize(
    ("written", "short_name"),
    [
        ("市编办", "市编办"),  # short name
        ("阳泉市机构编制委员会办公室", "市编办"),  # full name
        ("阳泉市民政局", "市民政局"),  # full name, and 阳泉市 → 市
        ("阳泉市编办", "市编办"),  # 阳泉市 prefix on a short name
        ("阳泉市委组织部", "市委组织部"),  # 中共阳泉市委组织部 without 中共
        ("市国资委", "市经信委〈国资委〉"),  # alias
        ("市经信委〈国资委〉", "市经信委〈国资委〉"),
        ("市经信委（国资委）", "市经信委〈国资委〉"),  # full-width brackets
        ("市经信委 (国资委)", "市经信委〈国资委〉"),  # half-width, a stray space
        ("市纪委监委（市监委）", "市纪委监委"),  # a bracketed suffix that is no alias
        ("各县〈区〉人民政府", "各县(区)人民政府"),  # collective, as the plan writes it
        ("各县（区）人民政府", "各县(区)人民政府"),
        ("各县〈区〉委", "各县(区)委"),
        ("相关部门", "相关部门"),  # placeholder
    ],
)
def test_written_name_matches_a_known_body(matcher, written, short_name):
    department = matcher.match(written)
    assert department is not None, written
    assert department.short_name == short_name


@pytest.mark.parametrize("written", ["市大数据局", "各有关部门", "县民政局", "省民政厅", ""])
def test_unknown_name_gives_none(matcher, written):
    assert matcher.match(written) is None


def test_name_fitting_two_bodies_gives_none_not_a_guess():
    Department.objects.create(
        short_name="市综合办", full_name="阳泉市综合办公室", kind="city_department"
    )
    Department.objects.create(short_name="市综合办公室", kind="city_department")
    assert department_match("市综合办公室") is None
    assert department_match("市综合办").short_name == "市综合办"


def test_matcher_reads_the_table_once(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        matcher = DepartmentMatcher()
        results = matcher.match_all(["市编办", "市国资委", "各县〈区〉委", "市大数据局"])
    assert [d.short_name if d else None for d in results.values()] == [
        "市编办",
        "市经信委〈国资委〉",
        "各县(区)委",
        None,
    ]


def test_name_variants_most_exact_first():
    assert name_variants("中共阳泉市委组织部") == [
        "中共阳泉市委组织部",
        "阳泉市委组织部",
        "市委组织部",
    ]
    assert name_variants("市经信委〈国资委〉") == ["市经信委(国资委)", "市经信委"]
