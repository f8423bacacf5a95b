"""The HTML fragment: the same sections as the report, in a Bootstrap page."""

from __future__ import annotations

from summaries.documents import wording as w
from summaries.documents.data import BodySection
from summaries.documents.html import render_summary_html, summary_context
from summaries.documents.sample import KINDS, ROWS, body_figures

from .conftest import OneShot, with_parts


def test_the_fragment_shows_every_part_and_body(summary):
    html = render_summary_html(summary)
    assert "关于2019年上半年乡镇政府服务能力建设工作推进情况的报告" in html
    assert "市委、市政府：" in html
    for heading in (
        "一、总体情况",
        "二、各县(区)推进情况",
        "三、市直各部门推进情况",
        "七、下半年工作打算",
    ):
        assert heading in html
    for name, rows in ROWS.items():
        section = BodySection(name=name, kind=KINDS[name], figures=body_figures(rows), rows=())
        assert w.body_sentence(section) in html
        assert f'data-body="{name}"' in html
    assert "本期未报送" in html
    assert "96.0%" in html  # the copied report's similarity
    assert "（待填写）" in html  # empty 主要问题
    assert "summaries/css/summary-print.css" in html


def test_the_figure_table_shows_the_change_since_the_previous_period(summary):
    table = {row["label"]: row for row in summary_context(summary)["figure_table"]}
    assert table["审核通过的报告"] == {
        "label": "审核通过的报告",
        "current": 9,
        "previous": 6,
        "change": "+3",
    }
    assert table["黄灯"]["change"] == "−2"
    assert table["有审核通过报告的任务占比"]["change"] == "+25.0"
    no_previous = summary_context(with_parts(summary, previous_figures=None))["figure_table"]
    assert all(row["change"] == "" and row["previous"] == "—" for row in no_previous)


def test_data_is_escaped(summary):
    section = next(iter(summary.counties))
    evil = with_parts(section, name="<script>alert(1)</script>")
    html = render_summary_html(with_parts(summary, counties=[evil], departments=[]))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_each_iterable_is_consumed_once(summary):
    parts = {
        name: OneShot(getattr(summary, name))
        for name in (
            "counties",
            "departments",
            "milestones",
            "overdue",
            "copied_reports",
            "findings",
        )
    }
    render_summary_html(with_parts(summary, **parts))
    assert all(part.passes == 1 for part in parts.values())
