"""The Excel ledger: open what write_xlsx / write_ledger_rows wrote with openpyxl."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet import _writer as openpyxl_writer

from summaries.documents.data import (
    AssignmentRow,
    BodyFigures,
    BodyKind,
    BodySection,
    Light,
    LightCounts,
    ReportStatus,
    Role,
    RoleCounts,
)
from summaries.documents.sample import ROWS, sample_summary
from summaries.documents.xlsx import (
    Column,
    display_width,
    ledger_columns,
    sheet_title,
    write_ledger_rows,
    write_xlsx,
)

from .conftest import OneShot, with_parts

HEADERS = (
    "序号",
    "任务编号",
    "工作任务",
    "承办单位",
    "分工",
    "完成时限",
    "进度状态",
    "完成百分比",
    "状态灯",
    "最新进展",
    "存在问题",
    "下步打算",
    "报告期",
)


def render(data, **options) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_xlsx(data, buffer, **options)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


@pytest.fixture
def book(summary):
    return render(summary)


def expected(number: int, row: AssignmentRow, body: str) -> tuple:
    """A ledger row as openpyxl reads it back ("" comes back as None, dates as datetimes)."""
    reported = row.status != ReportStatus.NOT_REPORTED
    return (
        number,
        row.task_code,
        row.task_title,
        body,
        row.role.label,
        datetime.combine(row.deadline, datetime.min.time()) if row.deadline else None,
        row.status.label,
        None if row.percent is None else row.percent / 100,
        row.light.label,
        (row.progress if reported else "本期未报送") or None,
        (row.problems if reported else "") or None,
        (row.next_steps if reported else "") or None,
        "2019年上半年",
    )


def values(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2, values_only=True))


def test_sheets_are_the_whole_city_then_each_body_then_notes(book):
    assert book.sheetnames == [
        "全市汇总",
        "平定县人民政府",
        "盂县人民政府",
        "市编办",
        "市民政局",
        "说明",
    ]


def test_every_ledger_sheet_has_the_header_row_frozen_and_filtered(book):
    for name in book.sheetnames[:-1]:
        ws = book[name]
        assert tuple(cell.value for cell in ws[1]) == HEADERS
        assert all(cell.font.b for cell in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:M{ws.max_row}"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"


def test_the_whole_sheet_equals_the_input_row_for_row(book):
    want = []
    for body, rows in ROWS.items():
        for row in rows:
            want.append(expected(len(want) + 1, row, body))
    assert values(book["全市汇总"]) == want


def test_each_body_sheet_equals_its_rows_numbered_from_one(book):
    for body, rows in ROWS.items():
        assert values(book[body]) == [expected(n, row, body) for n, row in enumerate(rows, 1)]


def test_cells_are_typed_and_formatted_for_an_office(book):
    ws = book["全市汇总"]
    assert ws["F2"].is_date and ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["H2"].value == 0.6 and ws["H2"].number_format == "0%"
    assert ws["J2"].alignment.wrap_text  # 最新进展
    assert ws["I2"].fill.fgColor.rgb.endswith("C6EFCE")  # 绿灯
    assert ws["I4"].fill.fgColor.rgb.endswith("FFC7CE")  # 红灯


def test_column_widths_fit_chinese_text(book):
    ws = book["全市汇总"]
    for index, column in enumerate(ledger_columns()):
        letter = "ABCDEFGHIJKLM"[index]
        # a CJK character counts two units: 完成百分比 needs 10 + margin
        assert ws.column_dimensions[letter].width >= display_width(column.header) + 2
    assert ws.column_dimensions["J"].width >= 40  # 最新进展 gets room
    assert display_width("完成百分比") == 10 and display_width("A1") == 2


def test_a_text_that_looks_like_a_formula_stays_text(summary):
    row = AssignmentRow(
        task_code="=1+1",
        task_title='=HYPERLINK("http://evil.example","点击")',
        role=Role.LEAD,
        deadline=None,
        status=ReportStatus.IN_PROGRESS,
        percent=None,
        light=Light.GREEN,
        progress="=cmd|' /C calc'!A0",
    )
    section = BodySection(
        name="市编办",
        kind=BodyKind.CITY_DEPARTMENT,
        figures=BodyFigures(RoleCounts(lead=1), LightCounts(green=1)),
        rows=[row],
    )
    ws = render(with_parts(summary, counties=[], departments=[section]))["全市汇总"]
    for ref, text in (("B2", "=1+1"), ("C2", row.task_title), ("J2", row.progress)):
        assert ws[ref].data_type == "s"
        assert ws[ref].value == text


def test_per_body_sheets_can_be_left_out(summary):
    book = render(summary, per_body_sheets=False)
    assert book.sheetnames == ["全市汇总", "说明"]
    assert len(values(book["全市汇总"])) == 8


def test_the_bodies_and_their_rows_are_iterated_once(summary):
    rows = {name: OneShot(rows) for name, rows in ROWS.items()}
    sections = [
        BodySection(name=s.name, kind=s.kind, figures=s.figures, rows=rows[s.name])
        for s in (*sample_summary().counties, *sample_summary().departments)
    ]
    counties, departments = OneShot(sections[:2]), OneShot(sections[2:])
    render(with_parts(summary, counties=counties, departments=departments))
    assert counties.passes == departments.passes == 1
    assert all(r.passes == 1 and r.consumed == len(ROWS[name]) for name, r in rows.items())


def test_a_failed_render_leaves_no_file_and_no_temporary_sheets(tmp_path, summary):
    def failing():
        yield from sample_summary().counties
        raise RuntimeError("database went away")

    before = set(openpyxl_writer.ALL_TEMP_FILES)
    path = tmp_path / "ledger.xlsx"
    with pytest.raises(RuntimeError, match="database went away"):
        write_xlsx(with_parts(summary, counties=failing()), path)
    assert not path.exists() and not (tmp_path / "ledger.xlsx.part").exists()
    leftovers = [p for p in set(openpyxl_writer.ALL_TEMP_FILES) - before if os.path.exists(p)]
    assert leftovers == []


def test_openpyxl_write_only_sheets_accept_interleaved_appends():
    """The one-pass design rests on this: several write-only sheets filled turn about."""
    book = Workbook(write_only=True)
    a, b = book.create_sheet("a"), book.create_sheet("b")
    for i in range(100):
        a.append([i])
        b.append([i, i * 2])
        if i % 3 == 0:
            b.append(["extra"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    read = openpyxl.load_workbook(buffer)
    assert [r[0] for r in read["a"].iter_rows(values_only=True)] == list(range(100))
    assert read["b"].max_row == 100 + 34


# --- Sheet titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("平定县人民政府", "平定县人民政府"),
        ("市委[组织部]: 干部/人才*科?\\", "市委_组织部__ 干部_人才_科__"),
        ("'引号'", "引号"),
        ("History", "History_"),
        ("", "Sheet"),
        ("阳泉市" * 20, ("阳泉市" * 11)[:31]),
    ],
)
def test_sheet_titles_are_valid_for_excel(name, title):
    assert sheet_title(name) == title
    assert len(title) <= 31


def test_sheet_titles_are_unique_ignoring_case_and_stay_within_31_characters():
    used: set[str] = set()
    titles = []
    for name in ["城区人民政府", "城区人民政府", "abc", "ABC", "长" * 40, "长" * 40]:
        title = sheet_title(name, used)
        used.add(title.casefold())
        titles.append(title)
    assert titles[:4] == ["城区人民政府", "城区人民政府(2)", "abc", "ABC(2)"]
    assert titles[4] == "长" * 31 and titles[5] == "长" * 28 + "(2)"
    assert len({t.casefold() for t in titles}) == 6


def test_sheet_titles_count_characters_outside_the_basic_plane_twice():
    title = sheet_title("𠀀" * 20)  # CJK Extension B: two UTF-16 units each
    assert len(title.encode("utf-16-le")) // 2 <= 31


# --- Any list -----------------------------------------------------------------------------


def test_write_ledger_rows_exports_any_rows_with_the_same_formatting(tmp_path):
    rows = (
        ("平定县", 12, date(2019, 6, 30), datetime(2019, 7, 1, 1, 0, tzinfo=UTC), "说明" * 40),
        ("盂县", 3.5, None, None, ""),
    )
    path = tmp_path / "export.xlsx"
    write_ledger_rows(
        iter(rows),
        ["县(区)", Column("任务数", width=10), "日期", "时间", "备注"],
        path,
        sheet_title="导出:列表",
    )
    book = openpyxl.load_workbook(path)
    ws = book["导出_列表"]
    assert [c.value for c in ws[1]] == ["县(区)", "任务数", "日期", "时间", "备注"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"
    got = list(ws.iter_rows(min_row=2, values_only=True))
    assert got[0][:4] == ("平定县", 12, datetime(2019, 6, 30), datetime(2019, 7, 1, 9, 0))
    assert got[0][4] == "说明" * 40
    assert got[1] == ("盂县", 3.5, None, None, None)
    assert ws["C2"].number_format == "yyyy-mm-dd" and ws["D2"].number_format == "yyyy-mm-dd hh:mm"
    # Widths from the content: CJK counts two; long text capped and wrapped.
    assert ws.column_dimensions["A"].width == display_width("县(区)") + 2
    assert ws.column_dimensions["B"].width == 10
    assert ws.column_dimensions["E"].width == 60 and ws["E2"].alignment.wrap_text


def test_write_ledger_rows_streams_beyond_the_sizing_sample():
    rows = OneShot((i, f"第{i}行") for i in range(1000))
    buffer = io.BytesIO()
    write_ledger_rows(rows, ["序号", "内容"], buffer)
    buffer.seek(0)
    ws = openpyxl.load_workbook(buffer)["台账"]
    assert rows.passes == 1 and ws.max_row == 1001
    assert ws["B1001"].value == "第999行"
