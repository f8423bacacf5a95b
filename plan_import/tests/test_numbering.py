"""Word's automatic list numbering comes back as text, so the parser sees the plan's tree."""

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from plan_import.numbering import chinese_number, format_number
from plan_import.parser import parse_document
from plan_import.readers import read_document

LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def numbered_docx(path, paragraphs, *, levels=LEVELS, restart_second_list=False):
    """A .docx whose numbered paragraphs carry Word list numbering, not typed numbers.

    `paragraphs`: (level or None, text). Level numbering lives in numbering.xml
    as Word writes it (abstractNum 90, num 90; num 91 reuses it with a restart).
    """
    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    second = False
    for level, text in paragraphs:
        if level == "restart":
            second = True
            continue
        paragraph = document.add_paragraph(text)
        if level is None:
            continue
        num_id = 91 if (second and restart_second_list) else 90
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )
    document.save(path)
    return path


def test_auto_numbered_parts_sections_and_items_are_written_out(tmp_path):
    path = numbered_docx(
        tmp_path / "plan.docx",
        [
            (None, "关于加强社区服务的实施方案"),
            (0, "总体要求"),
            (None, "坚持以人民为中心。"),
            (0, "重点任务"),
            (1, "完善设施"),
            (2, "改造服务大厅。配齐设备（县住建局负责）。"),
            (2, "建设代办点（县民政局牵头，县财政局配合）。"),
            (1, "提升能力"),
            (2, "开展培训（县人社局负责）。"),
        ],
    )
    text = read_document(path)
    assert text.splitlines() == [
        "关于加强社区服务的实施方案",
        "一、总体要求",
        "坚持以人民为中心。",
        "二、重点任务",
        "（一）完善设施",
        "1.改造服务大厅。配齐设备（县住建局负责）。",
        "2.建设代办点（县民政局牵头，县财政局配合）。",
        "（二）提升能力",
        "1.开展培训（县人社局负责）。",  # a deeper level restarts under a new section
    ]
    codes = [c.code for c in parse_document(text).clauses]
    assert codes == ["二(一)1-1", "二(一)2-1", "二(二)1-1"]


def test_a_start_override_restarts_the_count(tmp_path):
    path = numbered_docx(
        tmp_path / "plan.docx",
        [(0, "甲"), (0, "乙"), ("restart", ""), (0, "丙")],
        restart_second_list=True,
    )
    assert read_document(path).splitlines() == ["一、甲", "二、乙", "一、丙"]


def test_numbering_set_on_a_style_is_written_out(tmp_path):
    document = docx.Document()
    document.add_paragraph("第一项", style="List Number")
    document.add_paragraph("第二项", style="List Number")
    document.save(tmp_path / "plan.docx")
    assert read_document(tmp_path / "plan.docx").splitlines() == ["1.第一项", "2.第二项"]


def test_typed_numbers_are_left_alone(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    document.save(tmp_path / "plan.docx")
    assert read_document(tmp_path / "plan.docx") == "一、总体要求"


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCounting", "十二"),
        (20, "chineseCounting", "二十"),
        (3, "decimalEnclosedCircle", "③"),
        (2, "decimalFullWidth", "２"),
        (4, "lowerRoman", "iv"),
        (28, "lowerLetter", "bb"),
        (3, "bullet", ""),
        (7, "decimal", "7"),
    ],
)
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_chinese_numbers_past_a_hundred():
    assert chinese_number(105) == "一百〇五"
    assert chinese_number(112) == "一百一十二"
