"""The seed plan's published text, parsed, gives the hand-encoded fixture clause by clause.

fixtures/plan_2018.yaml was encoded by hand (38 clauses from 37 parentheses:
"以上两项" in 三(二)1 covers two services). Its lead/support/responsible lists hold
names as the plan writes them (各县〈区〉人民政府, 市经信委〈国资委〉), so the
parser's written names are compared directly. Clause titles in the fixture are
hand-written summaries; the parser's `heading` is the heading of the clause's
item (or section), so it is compared with the title of the clause's parent node.
"""

import pytest
import yaml
from django.conf import settings

from plan_import.parser import parse_document
from plan_import.readers import read_document

FIXTURES = settings.BASE_DIR / "fixtures"
ROLE_KEYS = ("lead", "support", "responsible")


def _fixture_clauses() -> list[tuple[dict, dict]]:
    data = yaml.safe_load((FIXTURES / "plan_2018.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node, parent):
        if any(key in node for key in ROLE_KEYS):
            found.append((node, parent))
        for child in node.get("children", []):
            walk(child, node)

    for node in data["tasks"]:
        walk(node, None)
    return found


EXPECTED = _fixture_clauses()


@pytest.fixture(scope="module")
def parsed():
    return parse_document(read_document(FIXTURES / "source" / "plan_2018.txt"))


def test_seed_plan_gives_the_fixtures_38_clauses_in_order(parsed):
    assert len(EXPECTED) == 38
    assert [c.code for c in parsed.clauses] == [node["code"] for node, _parent in EXPECTED]


@pytest.mark.parametrize(("expected", "parent"), EXPECTED, ids=[n["code"] for n, _p in EXPECTED])
def test_seed_plan_clause_matches_fixture(parsed, expected, parent):
    clause = next(c for c in parsed.clauses if c.code == expected["code"])
    assert clause.text == expected["text"]
    assert clause.responsibility_text == expected["responsibility_text"]
    for key in ROLE_KEYS:
        assert getattr(clause, key) == expected.get(key, []), key
    assert clause.guide == []
    assert clause.scope == []
    assert clause.heading == parent["title"]
    assert clause.path[-1] == parent["code"]


def test_seed_plan_tree_has_the_fixtures_parts_sections_and_items(parsed):
    codes = {node.code: node for node in parsed.nodes}
    for _clause, parent in EXPECTED:
        assert parent["code"] in codes
        assert codes[parent["code"]].heading == parent["title"]
    assert [n.code for n in parsed.nodes if n.kind == "part"] == ["一", "二", "三", "四"]
    assert codes["三(二)7"].parent_code == "三(二)"


def test_seed_plan_parses_without_warnings_only_notes(parsed):
    """Only informational notes: text after the last clause of 三(二)1, 四(二), 四(三)."""
    assert [w for w in parsed.warnings if w.level == "warning"] == []
    assert sorted(w.node_code for w in parsed.warnings) == ["三(二)1", "四(三)", "四(二)"]
