"""The .docx report: open what write_docx wrote with python-docx and check it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from summaries.documents import wording as w
from summaries.documents.data import (
    AssignmentRow,
    BodyFigures,
    BodyKind,
    BodySection,
    Light,
    LightCounts,
    Narrative,
    ReportStatus,
    Role,
    RoleCounts,
)
from summaries.documents.docx import DOCX_EXCERPT_CHARS, write_docx
from summaries.documents.sample import KINDS, ROWS, body_figures, sample_summary

from .conftest import OneShot, with_parts

W14 = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render(data) -> docx.document.Document:
    buffer = io.BytesIO()
    write_docx(data, buffer)
    buffer.seek(0)
    return docx.Document(buffer)


@pytest.fixture
def document(summary):
    return render(summary)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def fonts(style) -> dict[str, str]:
    r_fonts = style.element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in r_fonts.attrib.items()}


def all_table_text(document) -> str:
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


# --- Page ---------------------------------------------------------------------------------


def test_page_is_a4_with_the_official_margins(document):
    section = document.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert section.top_margin.mm == pytest.approx(37, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)
    assert section.right_margin.mm == pytest.approx(26, abs=0.1)


def test_line_grid_gives_22_lines_a_page(document):
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.paragraph_format.line_spacing_rule == 4  # WD_LINE_SPACING.EXACTLY


# --- Title, addressee, body ---------------------------------------------------------------


def test_title_is_centred_xiaobiaosong_2hao(document):
    title = document.paragraphs[0]
    assert title.text.replace("\n", "") == "关于2019年上半年乡镇政府服务能力建设工作推进情况的报告"
    assert title.style.name == "Title"
    assert fonts(title.style)["eastAsia"] == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.font.name is None and run.font.size is None for run in title.runs)


def test_addressee_follows_a_blank_line_flush_left_with_a_full_width_colon(document):
    assert document.paragraphs[1].text == ""
    addressee = document.paragraphs[2]
    assert addressee.text == "市委、市政府："
    indent = addressee._p.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "0"
    assert indent.get(qn("w:firstLine")) == "0"


def test_body_is_fangsong_3hao_indented_two_characters(document):
    normal = document.styles["Normal"]
    assert fonts(normal)["eastAsia"] == "仿宋_GB2312"
    assert normal.font.size.pt == 16
    indent = normal.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert normal.paragraph_format.first_line_indent.pt == 32
    opening = document.paragraphs[3]
    assert opening.style.name == "Normal"
    assert opening.text.startswith("根据《关于加强乡镇政府服务能力建设的实施方案》")


@pytest.mark.parametrize(
    "style_name",
    ["Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Text", "Table Header"],
)
def test_fonts_are_named_east_asian_with_a_latin_fallback_and_no_theme_font(document, style_name):
    names = fonts(document.styles[style_name])
    assert names["eastAsia"] in {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"}
    assert names["ascii"] == names["hAnsi"] == "Times New Roman"
    assert not [key for key in names if key.endswith("Theme") or key == "cstheme"]


def test_document_defaults_carry_no_theme_font(document):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert r_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not [key for key in r_fonts.attrib if "heme" in key]


# --- Headings -----------------------------------------------------------------------------


def test_the_seven_parts_are_heiti_headings_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、总体情况",
        "二、各县(区)推进情况",
        "三、市直各部门推进情况",
        "四、时间节点和试点乡镇推进情况",
        "五、逾期事项和疑似应付式填报情况",
        "六、存在的主要问题",
        "七、下半年工作打算",
    ]
    style = document.styles["Heading 1"]
    assert fonts(style)["eastAsia"] == "黑体"
    assert style.font.size.pt == 16
    assert not style.font.bold


def test_subsections_are_kaiti_and_items_are_bold_fangsong(document):
    second = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert second[:4] == [
        "（一）平定县人民政府",
        "（二）盂县人民政府",
        "（一）市编办",
        "（二）市民政局",
    ]
    assert "（一）时间节点完成情况" in second and "（二）疑似应付式填报" in second
    assert fonts(document.styles["Heading 2"])["eastAsia"] == "楷体_GB2312"
    third = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert third == ["1.各县(区)制定全面推进工作实施方案、建立工作机制（完成时限2019年3月31日）"]
    style = document.styles["Heading 3"]
    assert fonts(style)["eastAsia"] == "仿宋_GB2312"
    assert style.font.bold is True


def test_second_half_report_plans_the_next_step(summary):
    period = summary.header.period
    h2 = with_parts(
        summary,
        header=with_parts(
            summary.header,
            period=with_parts(
                period, code="2019H2", title="2019年下半年", starts_on=date(2019, 7, 1)
            ),
        ),
    )
    headings = [p.text for p in render(h2).paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "七、下一步工作打算"


# --- Figures and bodies -------------------------------------------------------------------


def test_headline_figures_appear_with_the_change_since_the_previous_period(document):
    body = "\n".join(texts(document))
    assert (
        "《方案》共明确工作任务46项，分解为各县(区)和市直各部门承办任务8项（与上期持平）。" in body
    )
    assert "已完成1项（比上期增加1项）" in body
    assert "黄灯（需关注）2项（比上期减少2项）" in body
    assert "本期共审核通过进展报告9份（比上期增加3份）" in body
    assert "占承办任务总数的87.5%（比上期提高25.0个百分点）" in body
    assert "未报送1项（比上期减少2项）" in body


def test_without_a_previous_period_no_change_is_claimed(summary):
    body = "\n".join(texts(render(with_parts(summary, previous_figures=None))))
    assert "共明确工作任务46项" in body
    assert "比上期" not in body and "与上期持平" not in body


def test_every_body_its_figures_and_its_rows_appear(document):
    body = "\n".join(texts(document))
    tables = all_table_text(document)
    for name, rows in ROWS.items():
        section = BodySection(name=name, kind=KINDS[name], figures=body_figures(rows), rows=())
        assert w.body_sentence(section) in body
        for row in rows:
            assert f"{row.task_code} {row.task_title}" in tables
            if row.progress:
                assert row.progress in tables
    assert (
        "平定县人民政府共承办任务2项，其中负责2项；已完成1项、绿灯1项、黄灯0项、红灯0项，平均完成进度80%。"
        in body
    )


def test_a_body_table_row_holds_role_deadline_progress_light_and_texts(document):
    table = document.tables[1]  # 盂县人民政府
    first = [cell.text for cell in table.rows[1].cells]
    assert first[0] == "1"
    assert first[2] == "负责\n2019-03-31"
    assert first[3] == "受阻\n30%\n红灯"
    assert first[4].startswith("进展情况：已完成调研摸底")
    assert "存在问题：县直部门职责调整尚未到位" in first[4]
    unreported = [cell.text for cell in table.rows[2].cells]
    assert unreported[3] == "未报送\n黄灯"
    assert unreported[4] == "本期未报送"


def test_every_table_repeats_its_header_row_on_each_page(document):
    assert len(document.tables) == 9
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr is None or row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def test_tables_are_fangsong_wuhao_and_fit_the_text_block(document):
    style = document.styles["Table Text"]
    assert fonts(style)["eastAsia"] == "仿宋_GB2312"
    assert style.font.size.pt == 10.5
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == 8844  # 156 mm
        assert min(grid) >= 600  # even 序号 fits two characters and its margins


def test_long_texts_are_cut_to_an_excerpt(summary):
    long = "乡镇便民服务中心" * 200  # 1,600 characters
    row = AssignmentRow(
        task_code="三(二)5-1",
        task_title="乡镇便民服务中心建设全覆盖",
        role=Role.RESPONSIBLE,
        deadline=date(2019, 12, 31),
        status=ReportStatus.IN_PROGRESS,
        percent=10,
        light=Light.GREEN,
        progress=long,
    )
    section = BodySection(
        name="郊区人民政府",
        kind=BodyKind.COUNTY_GOVERNMENT,
        figures=BodyFigures(RoleCounts(responsible=1), LightCounts(green=1), 10.0),
        rows=[row],
    )
    document = render(with_parts(summary, counties=[section], departments=[]))
    cell = document.tables[0].rows[1].cells[4].text
    assert cell.startswith("进展情况：乡镇便民服务中心")
    assert cell.endswith("…")
    assert len(cell) == len("进展情况：") + DOCX_EXCERPT_CHARS


def test_dated_steps_pilot_towns_overdue_and_copied_reports_are_tabled(document):
    tables = all_table_text(document)
    assert "平定县" in tables and "已完成（2019-03-20）" in tables and "未完成" in tables
    assert "张庄镇" in tables and "已完成：开展试点工作（2018-12-20）" in tables
    overdue = [cell.text for cell in document.tables[6].rows[1].cells]
    assert overdue == [
        "1",
        "盂县人民政府",
        "三(二)1-1 制定乡镇政府公共服务事项指导目录清单",
        "2019-03-31",
        "91",
        "红灯",
    ]
    copied = [cell.text for cell in document.tables[7].rows[1].cells]
    assert copied[1] == "平定县人民政府" and copied[5] == "96.0%"
    body = "\n".join(texts(document))
    assert "以上逾期事项共1项。" in body
    assert "相似度达到90%以上" in body
    assert "（三）督查发现问题整改情况" in body


def test_empty_parts_say_so_instead_of_an_empty_table(summary):
    empty = with_parts(
        summary,
        counties=[],
        departments=[],
        milestones=[],
        pilot_towns=[],
        overdue=[],
        copied_reports=[],
        findings=[],
    )
    document = render(empty)
    body = "\n".join(texts(document))
    assert document.tables == []
    for sentence in (
        "本期无县(区)承办任务。",
        "本期无市直部门承办任务。",
        "本期无到期的时间节点。",
        "本期无试点乡镇情况。",
        "截至2019年6月30日，无逾期未完成事项。",
        "经比对，本期未发现进展情况与上期高度雷同的报告。",
    ):
        assert sentence in body
    assert "督查发现问题整改情况" not in body


def test_empty_narrative_parts_show_a_placeholder(document):
    paragraphs = texts(document)
    for heading in ("六、存在的主要问题", "七、下半年工作打算"):
        assert paragraphs[paragraphs.index(heading) + 1] == "（待填写）"
    overview = paragraphs[paragraphs.index("二、各县(区)推进情况") - 1]
    assert overview.startswith("上半年，各县(区)和市直各部门")


def test_narrative_lines_become_paragraphs(summary):
    data = with_parts(summary, narrative=Narrative(problems="一是进度不平衡。\n\n二是报送不及时。"))
    paragraphs = texts(render(data))
    start = paragraphs.index("六、存在的主要问题")
    assert paragraphs[start + 1 : start + 3] == ["一是进度不平衡。", "二是报送不及时。"]


def test_markup_and_control_characters_in_data_are_harmless(summary):
    section = BodySection(
        name="市<委>&政府\x0b办公厅",
        kind=BodyKind.PARTY_ORGAN,
        figures=BodyFigures(RoleCounts(lead=1), LightCounts(green=1), None),
        rows=[
            AssignmentRow(
                task_code="三(一)1-1",
                task_title="标题</w:t>",
                role=Role.LEAD,
                deadline=None,
                status=ReportStatus.IN_PROGRESS,
                percent=None,
                light=Light.GREEN,
                progress="a < b && c\x00 > d",
            )
        ],
    )
    document = render(with_parts(summary, counties=[], departments=[section]))
    assert "（一）市<委>&政府办公厅" in texts(document)
    assert "进展情况：a < b && c > d" in all_table_text(document)


def test_each_iterable_and_each_body_s_rows_are_consumed_once(summary):
    rows = {name: OneShot(rows) for name, rows in ROWS.items()}
    sections = [
        BodySection(name=name, kind=KINDS[name], figures=body_figures(ROWS[name]), rows=rows[name])
        for name in ROWS
    ]
    parts = {
        "counties": OneShot(sections[:2]),
        "departments": OneShot(sections[2:]),
        "milestones": OneShot(summary.milestones),
        "overdue": OneShot(summary.overdue),
        "copied_reports": OneShot(summary.copied_reports),
        "findings": OneShot(summary.findings),
    }
    render(with_parts(summary, **parts))
    assert all(part.passes == 1 for part in parts.values())
    assert all(r.passes == 1 and r.consumed == len(ROWS[name]) for name, r in rows.items())


# --- Footer and end -----------------------------------------------------------------------


def test_page_numbers_are_dashed_page_fields_right_on_odd_and_left_on_even_pages(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == alignment
        run = paragraph.runs[0]
        assert run.font.size.pt == 14
        assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"


def test_report_ends_with_issuer_over_date_right_aligned(document):
    paragraphs = document.paragraphs
    assert paragraphs[-4].text == "特此报告。"
    issuer, day = paragraphs[-2], paragraphs[-1]
    assert (issuer.text, day.text) == ("阳泉市民政局", "2019年7月15日")
    assert issuer.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert day._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"  # four characters in


def test_properties_name_the_report(document):
    props = document.core_properties
    assert props.title == "关于2019年上半年乡镇政府服务能力建设工作推进情况的报告"
    assert props.author == "阳泉市民政局"
    assert props.language == "zh-CN"


def test_package_has_no_leftover_template_thumbnail(tmp_path, summary):
    path = tmp_path / "summary.docx"
    write_docx(summary, path)
    names = zipfile.ZipFile(path).namelist()
    assert "word/document.xml" in names
    assert not [name for name in names if "thumbnail" in name]


# --- Output -------------------------------------------------------------------------------


def test_a_path_is_written_whole_or_not_at_all(tmp_path, summary):
    path = tmp_path / "summary.docx"
    write_docx(summary, path)
    assert docx.Document(path).paragraphs[0].text
    assert not (tmp_path / "summary.docx.part").exists()

    def failing():
        yield from sample_summary().counties
        raise RuntimeError("database went away")

    broken = tmp_path / "broken.docx"
    with pytest.raises(RuntimeError, match="database went away"):
        write_docx(with_parts(sample_summary(), counties=failing()), broken)
    assert not broken.exists()
    assert not (tmp_path / "broken.docx.part").exists()
