"""The plan as data, clause by clause.

The table below was written by hand from the published text of the plan (sections
三、工作任务 and 四、组织保障), not copied from fixtures/plan_2018.yaml: one row per
parenthesised responsibility clause, i.e. per work item. The clause
"(以上两项市人社局牵头,市农委配合)" in 三(二)1 covers two services (劳动就业服务 and
社会保险服务), so it is two rows with the same bodies: 38 work items from 37
parentheses.

Names are the API's names (the short names in the department table): the plan's
"各县〈区〉人民政府" / "各县〈区〉委" are the collectives "各县(区)人民政府" / "各县(区)委";
"相关部门" and "各相关部门" are placeholders, kept as the plan writes them.
"""

import re
from http import HTTPStatus

import pytest
from django.conf import settings

from tests.factories import UserFactory

# The published web page, byte for byte the same as /work/shared/seed/000_bdecbd8fb0b0a22b.txt.
SEED_FILE = settings.BASE_DIR / "fixtures" / "source" / "plan_2018.txt"

COUNTY_GOVERNMENTS = "各县(区)人民政府"
COUNTY_COMMITTEES = "各县(区)委"

# (code as loaded, a phrase only that clause contains, lead, support, responsible)
CLAUSES = [
    # 三(一)深化乡镇政府服务管理体制改革
    (
        "三(一)1-1",
        "依法制定扩大乡镇政府服务管理权限具体办法",
        ["市编办"],
        [
            "市政府法制办",
            "市农委",
            "市安监局",
            "市发改委",
            "市住建局",
            "市环保局",
            "市公安局",
            "市民政局",
        ],
        [],
    ),
    (
        "三(一)1-2",
        "制定乡镇政府指导村(居)民委员会和农村集体经济组织工作的权责清单",
        ["市民政局", "市农委"],
        ["市编办"],
        [],
    ),
    ("三(一)2-1", "探索乡镇综合执法有效形式", ["市编办"], ["市政府法制办"], []),
    ("三(一)3-1", "扎实推进乡镇事业站所分类改革", ["市编办"], ["市人社局", "市农委"], []),
    ("三(一)4-1", "实现全市乡镇国库集中支付全覆盖", ["市财政局"], ["相关部门"], []),
    # 三(二)强化乡镇政府公共服务能力建设
    ("三(二)1-1", "制定乡镇政府公共服务事项指导目录清单", [], [], [COUNTY_GOVERNMENTS]),
    ("三(二)1-2", "基本公共教育服务", [], [], ["市教育局"]),
    ("三(二)1-3", "劳动就业服务", ["市人社局"], ["市农委"], []),
    ("三(二)1-4", "社会保险服务", ["市人社局"], ["市农委"], []),
    (
        "三(二)1-5",
        "特殊人群和困难群体权益等基本社会服务",
        ["市民政局"],
        ["市农委", "市人社局", "市总工会", "市妇联", "市残联"],
        [],
    ),
    ("三(二)1-6", "基本医疗卫生服务", [], [], ["市卫计委"]),
    (
        "三(二)1-7",
        "公共文化体育服务",
        ["市委宣传部"],
        ["市住建局", "市文化局", "市体育局"],
        [],
    ),
    ("三(二)2-1", "确保基本公共服务不留缺口", ["市发改委"], ["各相关部门"], []),
    ("三(二)2-2", "特色小城镇的公共服务和基础设施建设规划", [], [], ["市规划局", "市住建局"]),
    ("三(二)2-3", "全面实施居住证制度", [], [], ["市公安局"]),
    ("三(二)2-4", "无障碍建设、改造", ["市住建局"], ["市残联"], []),
    (
        "三(二)3-1",
        "完善群团组织承接乡镇政府职能的有关办法",
        [],
        [],
        ["市总工会", "团市委", "市妇联", "市残联", "市编办"],
    ),
    ("三(二)3-2", "“三社联动”", [], [], ["市民政局"]),
    ("三(二)3-3", "多种形式的农民合作组织", [], [], ["市农委", "市工商局"]),
    ("三(二)3-4", "公开透明的社会捐赠管理制度", ["市民政局"], ["相关部门"], []),
    ("三(二)4-1", "优化政府投资方式", [], [], ["市财政局"]),
    (
        "三(二)4-2",
        "加大乡镇政府购买服务力度",
        ["市财政局"],
        ["市民政局", "市编办", "市发改委", "市农委", "市人社局", "市工商局", "市林业局"],
        [],
    ),
    ("三(二)4-3", "公共服务领域PPP项目", [], [], ["市发改委", "市财政局"]),
    (
        "三(二)5-1",
        "抓好乡镇便民服务中心建设,并实现全覆盖",
        ["市民政局", "市政务中心", COUNTY_GOVERNMENTS],
        ["相关部门"],
        [],
    ),
    (
        "三(二)6-1",
        "加快乡镇网上政务服务站建设",
        ["市政府办公厅"],
        ["市委网信办", "市经信委〈国资委〉", "市民政局", "市人社局"],
        [],
    ),
    ("三(二)7-1", "健全公共服务需求表达和评价机制", [], [], ["市民政局"]),
    ("三(二)7-2", "乡镇领导干部每周至少1天到信访接待场所", [], [], ["市信访局"]),
    ("三(二)7-3", "基层民主协商机制", ["市民政局"], ["相关部门"], []),
    ("三(二)7-4", "全面推进乡镇政务公开制度", [], [], [COUNTY_GOVERNMENTS]),
    ("三(二)7-5", "积极应用大数据、云计算", [], [], [COUNTY_GOVERNMENTS]),
    # 三(三)健全乡镇政府公共服务保障机制
    ("三(三)1-1", "乡镇党委是乡镇各种组织和各项工作的领导核心", [], [], [COUNTY_COMMITTEES]),
    (
        "三(三)2-1",
        "实施乡镇干部周转房建设工程",
        ["市委组织部"],
        ["市人社局", "市财政局"],
        [],
    ),
    ("三(三)3-1", "乡镇干部年度考核优秀比例提高到20%", ["市委组织部"], ["市人社局"], []),
    ("三(三)4-1", "健全乡镇行政权力运行制约和监督体系", [], [], [COUNTY_GOVERNMENTS]),
    (
        "三(三)4-2",
        "健全行政问责制度",
        ["市纪委监委"],
        ["市委组织部", "市人社局", "市审计局"],
        [],
    ),
    # 四、组织保障
    ("四(一)-1", "“第一责任人”职责", [], [], [COUNTY_COMMITTEES]),
    ("四(二)-1", "市民政局适时组织召开责任单位联席会议", ["市民政局"], ["相关部门"], []),
    ("四(三)-1", "开展乡镇政府服务能力建设课题研究", [], [], [COUNTY_COMMITTEES]),
]

CLAUSE_CODES = [row[0] for row in CLAUSES]

# A parenthesised responsibility in the plan: "(…牵头…)", "(…配合)", "(…负责)".
RESPONSIBILITY_PARENTHESIS = re.compile(r"\(([^()]*(?:牵头|配合|负责))\)")


@pytest.fixture(scope="module")
def seed_text():
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture
def reader(api_client, db):
    api_client.force_login(UserFactory())
    return api_client


def _clause(reader, code: str) -> dict:
    response = reader.get("/api/v1/tasks/", {"code": code})
    assert response.status_code == HTTPStatus.OK
    results = response.json()["results"]
    assert len(results) == 1, f"{code}: expected one work item, got {len(results)}"
    return results[0]


def _names(bodies: list[dict]) -> list[str]:
    return [body["name"] for body in bodies]


def test_the_table_has_one_row_per_work_item_of_sections_three_and_four(seed_text):
    parentheses = RESPONSIBILITY_PARENTHESIS.findall(seed_text)
    covers_two = [p for p in parentheses if p.startswith("以上两项")]
    assert len(parentheses) == 37
    assert len(covers_two) == 1
    assert len(CLAUSES) == len(parentheses) + len(covers_two) == 38
    assert len(set(CLAUSE_CODES)) == 38


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "phrase", "lead", "support", "responsible"),
    [pytest.param(*row, id=row[0]) for row in CLAUSES],
)
def test_clause_names_its_bodies_as_the_plan_writes_them(
    reader, seed_text, code, phrase, lead, support, responsible
):
    clause = _clause(reader, code)

    assert clause["kind"] == "clause"
    assert phrase in seed_text, f"{code}: the phrase is not in the plan"
    assert phrase in clause["text"]
    assert _names(clause["lead_departments"]) == lead
    assert _names(clause["supporting_departments"]) == support
    assert _names(clause["responsible_departments"]) == responsible


@pytest.mark.django_db
@pytest.mark.parametrize("code", CLAUSE_CODES)
def test_clause_text_and_responsibility_are_the_plans_own_words(reader, seed_text, code):
    clause = _clause(reader, code)

    assert clause["text"] in seed_text
    assert f"({clause['responsibility_text']})" in seed_text
    # The responsibility is the first one the plan writes after the clause's text
    # (for 劳动就业服务, that is the "以上两项" after 社会保险服务).
    text_ends = seed_text.index(clause["text"]) + len(clause["text"])
    following = RESPONSIBILITY_PARENTHESIS.search(seed_text, text_ends)
    assert following is not None
    assert following.group(1) == clause["responsibility_text"]


@pytest.mark.django_db
def test_both_services_of_the_above_two_items_clause_get_the_same_bodies(reader):
    labour = _clause(reader, "三(二)1-3")
    insurance = _clause(reader, "三(二)1-4")

    assert labour["responsibility_text"] == "以上两项市人社局牵头,市农委配合"
    assert insurance["responsibility_text"] == labour["responsibility_text"]
    assert "劳动就业服务" in labour["text"] and "社会保险服务" not in labour["text"]
    assert "社会保险服务" in insurance["text"] and "劳动就业服务" not in insurance["text"]


@pytest.mark.django_db
def test_collective_keeps_the_plans_own_characters_in_written_as(reader):
    service_centres = _clause(reader, "三(二)5-1")
    party_committees = _clause(reader, "三(三)1-1")

    assert [(b["name"], b["written_as"]) for b in service_centres["lead_departments"]] == [
        ("市民政局", "市民政局"),
        ("市政务中心", "市政务中心"),
        ("各县(区)人民政府", "各县〈区〉人民政府"),
    ]
    assert [(b["name"], b["written_as"]) for b in party_committees["responsible_departments"]] == [
        ("各县(区)委", "各县〈区〉委")
    ]


@pytest.mark.django_db
def test_merged_department_is_named_as_the_plan_writes_it(reader):
    clause = _clause(reader, "三(二)6-1")

    economy = [b for b in clause["supporting_departments"] if b["name"] == "市经信委〈国资委〉"]
    assert len(economy) == 1
    assert economy[0]["written_as"] == "市经信委〈国资委〉"


@pytest.mark.django_db
def test_api_holds_exactly_the_clauses_of_the_table(reader, plan):
    response = reader.get("/api/v1/tasks/", {"plan": plan.pk, "kind": "clause", "page_size": 200})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    codes = [task["code"] for task in body["results"]]
    assert body["count"] == len(codes) == 38
    assert set(codes) == set(CLAUSE_CODES)


@pytest.mark.django_db
def test_clauses_come_in_the_plans_order(reader, plan):
    response = reader.get("/api/v1/tasks/", {"plan": plan.pk, "kind": "clause", "page_size": 200})

    assert [task["code"] for task in response.json()["results"]] == CLAUSE_CODES
