"""Each wording the parser must understand, from a short example written for the test.

The sentences are invented in the genre's style; none is copied from a real document.
"""

import pytest

from plan_import.parser import (
    RULE_EVERYWHERE,
    RULE_FIRST_LISTED,
    parse_document,
    parse_responsibility,
    split_names,
)
from plan_import.readers import normalise_text


def parse(text: str):
    return parse_document(normalise_text(text))


def only_clause(text: str):
    clauses = parse(text).clauses
    assert len(clauses) == 1, [c.code for c in clauses]
    return clauses[0]


def item(paren: str) -> str:
    """One item of a plan whose only clause ends with `paren`."""
    return f"一、重点任务\n1.完善乡镇服务网络。推动服务站点向村（社区）延伸（{paren}）。"


# --- role words ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("paren", "expected"),
    [
        ("县民政局牵头", {"lead": ["县民政局"]}),
        ("县民政局牵头，县财政局配合", {"lead": ["县民政局"], "support": ["县财政局"]}),
        ("县民政局牵头，县财政局参与", {"lead": ["县民政局"], "support": ["县财政局"]}),
        ("县民政局负责", {"responsible": ["县民政局"]}),
        ("县民政局负责落实", {"responsible": ["县民政局"]}),
        ("县民政局、县财政局按职责分工负责", {"responsible": ["县民政局", "县财政局"]}),
        ("县民政局、县财政局分别负责", {"responsible": ["县民政局", "县财政局"]}),
        (
            "民政部指导，各省级人民政府负责",
            {"guide": ["民政部"], "responsible": ["各省级人民政府"]},
        ),
        ("县民政局牵头、县财政局配合", {"lead": ["县民政局"], "support": ["县财政局"]}),
        ("由县民政局牵头，县财政局配合", {"lead": ["县民政局"], "support": ["县财政局"]}),
    ],
)
def test_role_words_give_roles(paren, expected):
    clause = only_clause(item(paren))
    for role in ("lead", "support", "responsible", "guide"):
        assert getattr(clause, role) == expected.get(role, []), role
    assert clause.responsibility_text == paren


def test_guide_is_a_fourth_role_not_merged_into_support():
    clause = only_clause(item("财政部、国家乡村振兴局指导，各有关省级人民政府负责"))
    assert clause.guide == ["财政部", "国家乡村振兴局"]
    assert clause.support == []
    assert clause.responsible == ["各有关省级人民政府"]


# --- lists and their endings -----------------------------------------------------------------
@pytest.mark.parametrize(
    "paren",
    [
        "县民政局、县财政局、县人社局负责",
        "县民政局，县财政局，县人社局负责",
        "县民政局,县财政局,县人社局负责",
        "县民政局、县财政局和县人社局负责",
        "县民政局、县财政局及县人社局负责",
        "县民政局、县财政局与县人社局负责",
        "县民政局、县财政局以及县人社局负责",
    ],
)
def test_lists_split_on_every_joiner(paren):
    assert only_clause(item(paren)).responsible == ["县民政局", "县财政局", "县人社局"]


@pytest.mark.parametrize(
    "paren",
    [
        "县民政局牵头，县财政局、县人社局等配合",
        "县民政局牵头，县财政局、县人社局等部门配合",
        "县民政局牵头，县财政局、县人社局等有关部门配合",
        "县民政局牵头，县财政局、县人社局等单位配合",
    ],
)
def test_etc_endings_are_not_bodies(paren):
    clause = only_clause(item(paren))
    assert clause.support == ["县财政局", "县人社局"]


def test_etc_before_and_joins_two_lists():
    clause = only_clause(item("县财政局、县人社局等和各乡（镇）人民政府负责"))
    assert clause.responsible == ["县财政局", "县人社局", "各乡（镇）人民政府"]


def test_convening_body_and_partner_are_two_bodies():
    clause = only_clause(item("县住建局会同县民政局负责"))
    assert clause.responsible == ["县住建局", "县民政局"]


@pytest.mark.parametrize(
    "name",
    ["市住房和城乡建设局", "省人力资源和社会保障厅", "国家发展和改革委员会", "省文化和旅游厅"],
)
def test_and_inside_a_bodys_own_name_does_not_split(name):
    assert split_names(f"{name}、市财政局") == [name, "市财政局"]
    assert split_names(f"市财政局和{name}") == ["市财政局", name]


# --- collectives -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "collective",
    [
        "各县(区)人民政府",
        "各县〈区〉委",
        "各县（区）人民政府",
        "各省级人民政府",
        "各有关省级人民政府",
        "相关部门",
        "有关部门和单位",
        "各有关部门",
        "各相关部门",
    ],
)
def test_collectives_are_kept_as_written(collective):
    clause = only_clause(item(f"县民政局牵头，{collective}配合"))
    assert clause.lead == ["县民政局"]
    assert clause.support == [collective]


def test_collective_with_and_inside_stays_one_body_among_others():
    clause = only_clause(item("县民政局、有关部门和单位负责"))
    assert clause.responsible == ["县民政局", "有关部门和单位"]


# --- back-references -------------------------------------------------------------------------
def test_back_reference_splits_an_item_at_semicolons():
    clause_a, clause_b = parse(
        "一、主要任务\n（一）完善服务\n1.健全服务体系。"
        "开展就业技能培训，扩大创业担保贷款覆盖面；做好城乡居民医疗保险参保服务"
        "（以上两项县人社局牵头，县医保局配合）。"
    ).clauses
    assert (clause_a.code, clause_b.code) == ("一(一)1-1", "一(一)1-2")
    assert clause_a.text == "开展就业技能培训，扩大创业担保贷款覆盖面；"
    assert clause_b.text == "做好城乡居民医疗保险参保服务"
    for clause in (clause_a, clause_b):
        assert clause.lead == ["县人社局"]
        assert clause.support == ["县医保局"]
        assert clause.responsibility_text == "以上两项县人社局牵头，县医保局配合"
        assert clause.shared_by == 2


def test_back_reference_splits_an_item_at_full_stops_after_an_earlier_clause():
    clauses = parse(
        "一、主要任务\n1.提升服务设施。改造乡镇便民服务大厅（县住建局负责）。"
        "建设村级综合服务站。配备自助服务终端。推广移动端办理（以上三项县民政局负责）。"
    ).clauses
    assert [c.code for c in clauses] == ["一1-1", "一1-2", "一1-3", "一1-4"]
    assert [c.text for c in clauses[1:]] == [
        "建设村级综合服务站。",
        "配备自助服务终端。",
        "推广移动端办理",
    ]
    assert all(c.responsible == ["县民政局"] for c in clauses[1:])


def test_back_reference_covers_preceding_items_without_clauses():
    clauses = parse(
        "二、工作措施\n"
        "1.推行帮办代办。在村级代办点配备代办员。\n"
        "2.推广网上办理。实现高频事项网上可办。\n"
        "3.加强人员培训。每季度组织一次业务培训（以上三项县行政审批局负责）。"
    ).clauses
    assert [(c.code, c.heading, c.text) for c in clauses] == [
        ("二1-1", "推行帮办代办", "在村级代办点配备代办员。"),
        ("二2-1", "推广网上办理", "实现高频事项网上可办。"),
        ("二3-1", "加强人员培训", "每季度组织一次业务培训"),
    ]
    assert all(c.responsible == ["县行政审批局"] for c in clauses)


def test_back_reference_to_every_item_above():
    clauses = parse(
        "二、工作措施\n1.推行帮办代办。在村级代办点配备代办员。\n"
        "2.加强人员培训。每季度组织一次业务培训（以上各项县行政审批局牵头，县人社局配合）。"
    ).clauses
    assert [c.code for c in clauses] == ["二1-1", "二2-1"]
    assert all(c.lead == ["县行政审批局"] and c.support == ["县人社局"] for c in clauses)


def test_back_reference_that_cannot_be_resolved_warns():
    document = parse("一、任务\n1.加强培训。组织业务培训（以上三项县人社局负责）。")
    assert [c.text for c in document.clauses] == ["组织业务培训"]
    assert [w.code for w in document.warnings] == ["back_reference"]


# --- rules stated once -----------------------------------------------------------------------
def test_first_listed_rule_makes_first_responsible_body_lead_from_then_on():
    clauses = parse(
        "一、任务\n"
        "1.梳理权责清单。制定乡镇权责清单（县委编办、县司法局负责）。\n"
        "2.下放管理权限。依法赋予乡镇管理权限（县委编办、县司法局、县民政局负责，"
        "列第一位者为牵头单位，下同）。\n"
        "3.加强执法协作。建立县乡执法协作机制（县司法局、县公安局负责）。\n"
        "4.整合执法力量。推行综合执法（县司法局牵头，县委编办、县公安局负责）。"
    ).clauses
    before, stating, after, explicit = clauses
    assert (before.lead, before.responsible) == ([], ["县委编办", "县司法局"])
    assert (stating.lead, stating.responsible) == (["县委编办"], ["县司法局", "县民政局"])
    assert (after.lead, after.responsible) == (["县司法局"], ["县公安局"])
    assert after.applied_rules == [RULE_FIRST_LISTED]
    # An explicit 牵头 is what the clause says; the rule does not add a second lead.
    assert (explicit.lead, explicit.responsible) == (["县司法局"], ["县委编办", "县公安局"])


def test_first_listed_rule_stated_in_the_preamble():
    clause = only_clause(
        "各项任务中列第一位者为牵头单位。\n一、任务\n1.整合力量。推行综合执法（县司法局、县公安局负责）。"
    )
    assert clause.lead == ["县司法局"]
    assert clause.responsible == ["县公安局"]


def test_everywhere_rule_adds_the_body_to_every_later_clause_only():
    clauses = parse(
        "一、任务\n1.整合力量。推行综合执法（县司法局负责）。\n"
        "二、措施（以下各项均需各乡（镇）人民政府落实，不再列出）\n"
        "1.完善设施。改造便民服务大厅（县住建局负责）。\n"
        "2.加强培训。组织业务培训（县人社局牵头，各乡（镇）人民政府配合）。"
    ).clauses
    first, second, third = clauses
    assert first.responsible == ["县司法局"]
    assert second.responsible == ["县住建局", "各乡（镇）人民政府"]
    assert second.applied_rules == [RULE_EVERYWHERE]
    # Already named in the clause: not added a second time.
    assert third.support == ["各乡（镇）人民政府"]
    assert third.responsible == []
    part = next(n for n in parse("二、措施（以下各项均需县政府落实，不再列出）\n1.甲。乙").nodes)
    assert part.heading == "措施"


# --- labelled clauses ------------------------------------------------------------------------
def test_labelled_clause_scope_is_a_place_not_a_body():
    clause = only_clause(item("负责部门：省民政厅、省财政厅；适用范围：各设区市、省直管县"))
    assert clause.responsible == ["省民政厅", "省财政厅"]
    assert clause.scope == ["各设区市", "省直管县"]
    assert clause.lead == clause.support == clause.guide == []


def test_labelled_clause_with_lead_and_support_labels():
    clause = only_clause(item("牵头单位：省民政厅；配合单位：省财政厅、省人社厅"))
    assert clause.lead == ["省民政厅"]
    assert clause.support == ["省财政厅", "省人社厅"]


# --- deadlines inside the clause -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("paren", "due"),
    [
        ("县民政局负责，2020年底前完成", "2020年底前完成"),
        ("2020年6月底前完成，县民政局牵头，县财政局配合", "2020年6月底前完成"),
        ("县民政局牵头，县财政局配合；长期坚持", "长期坚持"),
    ],
)
def test_a_deadline_inside_the_parenthesis_is_not_a_body(paren, due):
    clause = only_clause(item(paren))
    assert "县民政局" in clause.lead + clause.responsible
    assert clause.due_text == due
    assert all("年" not in name for _role, name in clause.roles())


def test_labelled_deadline():
    clause = only_clause(item("责任单位：县民政局、县财政局；完成时限：2020年12月底前"))
    assert clause.responsible == ["县民政局", "县财政局"]
    assert clause.due_text == "2020年12月底前"


# --- brackets ----------------------------------------------------------------------------------
def test_full_width_and_half_width_parentheses_both_close_clauses():
    clauses = parse(
        "一、任务\n1.完善设施。改造服务大厅(县住建局负责)。建设代办点（县民政局负责）。"
    ).clauses
    assert [c.responsible for c in clauses] == [["县住建局"], ["县民政局"]]
    assert [c.text for c in clauses] == ["改造服务大厅", "建设代办点"]


def test_angle_brackets_inside_a_name_keep_it_one_body():
    clause = only_clause(item("市政府办公厅牵头，市经信委〈国资委〉、市民政局配合"))
    assert clause.support == ["市经信委〈国资委〉", "市民政局"]


def test_nested_parentheses_inside_a_clause():
    clause = only_clause(item("省委组织部、省人力资源社会保障厅（省公务员局）负责"))
    assert clause.responsible == ["省委组织部", "省人力资源社会保障厅（省公务员局）"]
    assert clause.responsibility_text == "省委组织部、省人力资源社会保障厅（省公务员局）负责"


def test_nested_half_width_collective_inside_half_width_clause():
    clause = only_clause("一、任务\n1.加强指导。制定指导目录(各县(区)人民政府负责)。")
    assert clause.responsible == ["各县(区)人民政府"]


# --- parentheses that are not clauses -------------------------------------------------------------
@pytest.mark.parametrize(
    "words",
    [
        "一",
        "PPP",
        "含开发区",
        "2019年",
        "晋办发〔2017〕67号",
        "试行",
        "以下简称“目录”",
        "县民政局",  # a body without a role word says nothing about responsibility
        "试点乡镇负责人参加",  # 负责 inside 负责人 is not a role word
    ],
)
def test_parentheses_that_are_not_clauses(words):
    assert parse_responsibility(words) is None
    text = f"一、任务\n1.推进改革。推广合作模式（{words}），完善服务体系（县发改委负责）。"
    clause = only_clause(text)
    assert clause.text == f"推广合作模式（{words}），完善服务体系"


def test_brackets_inside_words_are_kept_in_the_text():
    clause = only_clause(
        "一、任务\n1.厘清权责。厘清乡镇和村(居)民委员会、省(市)派驻机构的权责边界(县民政局负责)。"
    )
    assert clause.text == "厘清乡镇和村(居)民委员会、省(市)派驻机构的权责边界"


def test_parenthesis_with_role_words_that_cannot_be_read_warns():
    document = parse("一、任务\n1.推进改革。完善服务体系（县发改委牵头研究，适时推开）。")
    assert document.clauses == []
    assert "unparsed_parenthesis" in [w.code for w in document.warnings]


# --- a role word followed by 组织实施 / 落实 --------------------------------------------------
@pytest.mark.parametrize(
    ("paren", "expected"),
    [
        ("县发改委牵头组织实施", {"lead": ["县发改委"]}),
        ("县发改委牵头组织实施，县财政局配合", {"lead": ["县发改委"], "support": ["县财政局"]}),
        ("县民政局负责组织实施", {"responsible": ["县民政局"]}),
        ("县民政局牵头抓好落实，各乡镇配合实施", {"lead": ["县民政局"], "support": ["各乡镇"]}),
    ],
)
def test_role_word_followed_by_an_implement_tail(paren, expected):
    clause = only_clause(item(paren))
    for role in ("lead", "support", "responsible", "guide"):
        assert getattr(clause, role) == expected.get(role, []), role


# --- labels on a line of their own ------------------------------------------------------------
def test_label_on_its_own_line_closes_the_clause():
    first, second = parse(
        "一、重点任务\n"
        "1.完善设施。改造乡镇便民服务大厅，配齐自助终端。\n"
        "责任单位：县住建局、县民政局\n"
        "2.加强培训。每季度组织一次业务培训。\n"
        "牵头单位：县人社局；配合单位：县财政局、各乡（镇）人民政府。\n"
    ).clauses
    assert (first.code, first.heading, first.text) == (
        "一1-1",
        "完善设施",
        "改造乡镇便民服务大厅，配齐自助终端。",
    )
    assert first.responsible == ["县住建局", "县民政局"]
    assert first.responsibility_text == "责任单位：县住建局、县民政局"
    assert (second.lead, second.support) == (["县人社局"], ["县财政局", "各乡（镇）人民政府"])
    assert (
        second.responsibility_text == "牵头单位：县人社局；配合单位：县财政局、各乡（镇）人民政府"
    )


def test_labels_on_consecutive_lines_are_one_clause():
    clause = only_clause(
        "一、重点任务\n1.完善设施。改造乡镇便民服务大厅。\n"
        "牵头单位：县住建局\n配合单位：县民政局、县财政局\n完成时限：2020年底前\n"
        "2.加强宣传。营造良好氛围。"
    )
    assert (clause.lead, clause.support) == (["县住建局"], ["县民政局", "县财政局"])
    assert clause.due_text == "2020年底前"
    assert clause.text == "改造乡镇便民服务大厅。"


def test_label_after_a_full_stop_on_the_same_line():
    clause = only_clause(
        "一、重点任务\n1.完善设施。改造便民服务大厅。责任单位：县住建局（县人防办）。"
    )
    assert clause.text == "改造便民服务大厅。"
    assert clause.responsible == ["县住建局（县人防办）"]


def test_label_inside_a_parenthesis_is_still_the_parenthesis():
    clause = only_clause(
        "一、任务\n1.完善设施。改造便民服务大厅（责任单位：县住建局。牵头单位：县民政局）。"
    )
    assert clause.responsibility_text == "责任单位：县住建局。牵头单位：县民政局"


def test_label_line_that_cannot_be_read_warns():
    document = parse("一、任务\n1.完善设施。改造便民服务大厅。\n责任单位：按照职责分工，各司其职。")
    assert document.clauses == []
    assert "unparsed_label" in [w.code for w in document.warnings]


# --- offsets ---------------------------------------------------------------------------------
def test_clause_offsets_point_into_the_text():
    text = normalise_text(
        "一、任务\n1.完善设施。改造服务大厅。配齐设备（县住建局负责）。建设代办点。\n"
        "责任单位：县民政局\n"
    )
    for clause in parse_document(text).clauses:
        assert text[clause.start : clause.end] == clause.text
        assert clause.responsibility_text in text[clause.paren_start : clause.paren_end]
    node = parse_document(text).nodes[1]
    assert text[node.start :].startswith("1.完善设施")


# --- clause text boundaries ----------------------------------------------------------------
def test_clause_text_runs_from_the_heading_or_the_previous_clause_to_the_parenthesis():
    first, second = parse(
        "一、任务\n1.完善设施。改造服务大厅。配齐设备（县住建局负责）。建设代办点（县民政局负责）。尾声。"
    ).clauses
    assert first.text == "改造服务大厅。配齐设备"
    assert second.text == "建设代办点"


def test_clause_text_keeps_the_full_stop_when_the_parenthesis_follows_it():
    clause = only_clause("一、任务\n1.完善设施。改造服务大厅，实行统一管理。（县住建局负责）")
    assert clause.text == "改造服务大厅，实行统一管理。"


def test_clause_text_spans_paragraphs_of_one_item():
    clause = only_clause("一、任务\n1.完善设施。改造服务大厅。\n配齐自助设备（县住建局负责）。")
    assert clause.text == "改造服务大厅。\n配齐自助设备"


# --- the tree and codes -----------------------------------------------------------------------
@pytest.mark.parametrize("dot", [".", "．", "、"])
def test_item_numbering_styles(dot):
    clause = only_clause(f"三、任务\n（一）完善服务\n2{dot}推进改革。完善体系（县民政局负责）。")
    assert clause.code == "三(一)2-1"
    assert clause.heading == "推进改革"
    assert clause.path == ["三", "三(一)", "三(一)2"]


def test_section_numbering_runs_on_across_parts():
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    first_part = "".join(f"（{n}）工作{n}。推进工作{n}（县发改委负责）。\n" for n in numerals)
    document = parse(
        f"一、总体要求\n{first_part}二、主要任务\n（十二）完善服务。完善体系（县民政局负责）。"
    )
    assert document.clauses[-2].code == "一(十一)-1"
    assert document.clauses[-1].code == "二(十二)-1"
    assert document.clauses[-1].heading == "完善服务"
    assert [w for w in document.warnings if w.code == "numbering"] == []


def test_numbering_that_skips_is_reported():
    document = parse(
        "一、任务\n1.推进改革。完善体系（县民政局负责）。\n3.加强宣传。营造氛围（县委宣传部负责）。"
    )
    assert [c.code for c in document.clauses] == ["一1-1", "一3-1"]
    assert [w.node_code for w in document.warnings if w.code == "numbering"] == ["一3"]


def test_clause_directly_under_a_section_uses_the_section_heading():
    clause = only_clause(
        "四、保障\n（二）压实责任\n各部门要加强协作，及时报送进展（县民政局牵头，相关部门配合）"
    )
    assert clause.code == "四(二)-1"
    assert clause.heading == "压实责任"
    assert clause.text == "各部门要加强协作，及时报送进展"


def test_clause_directly_under_a_part():
    clause = only_clause("三、保障措施\n强化督查考核，定期通报进展（县督查室负责）。")
    assert (clause.code, clause.heading) == ("三-1", "保障措施")


def test_sub_items_take_their_items_heading_when_they_have_none():
    clauses = parse(
        "二、任务\n6、完善设施。\n（1）推进文化站建设（县文旅局负责）。\n"
        "（2）建设养老设施。加快幸福院提档升级（县民政局负责）。"
    ).clauses
    assert [(c.code, c.heading) for c in clauses] == [
        ("二6(1)-1", "完善设施"),
        ("二6(2)-1", "建设养老设施"),
    ]


def test_an_items_first_sentence_with_commas_is_text_not_heading():
    clause = only_clause(
        "一、任务\n1.依法赋予乡镇管理权限，成熟一批、下放一批。加强评估（县编办负责）。"
    )
    assert clause.heading == ""
    assert clause.text == "依法赋予乡镇管理权限，成熟一批、下放一批。加强评估"


def test_a_sections_inline_heading_may_have_a_comma():
    clause = only_clause(
        "一、任务\n（一）坚持党的领导，强化组织保障。各级党委要加强领导（县委办负责）。"
    )
    assert (clause.heading, clause.text) == ("坚持党的领导，强化组织保障", "各级党委要加强领导")


def test_an_item_whose_first_sentence_is_the_clause_has_no_heading():
    clause = only_clause("一、任务\n1.加强组织领导（县委办负责）。\n2.完善制度。")
    assert (clause.heading, clause.text) == ("", "加强组织领导")


def test_any_part_may_hold_clauses_whatever_its_title():
    document = parse(
        "一、指导思想\n坚持以人民为中心，完善服务体系（县委办负责）。\n"
        "二、附则\n（一）解释。本方案由县民政局负责解释（县民政局负责）。"
    )
    assert [c.code for c in document.clauses] == ["一-1", "二(一)-1"]


def test_items_without_a_clause_are_reported():
    document = parse("一、任务\n1.推进改革。完善体系（县民政局负责）。\n2.加强宣传。营造良好氛围。")
    assert [(w.code, w.node_code) for w in document.warnings] == [("no_responsibility", "一2")]


def test_text_without_parts_still_gives_codes():
    clause = only_clause("1.推进改革。完善体系（县民政局负责）。")
    assert clause.code == "1-1"


def test_json_shape_is_exactly_the_command_contract():
    clause = only_clause(item("县民政局牵头"))
    assert list(clause.as_json()) == [
        "code",
        "heading",
        "text",
        "lead",
        "support",
        "responsible",
        "guide",
        "scope",
    ]
