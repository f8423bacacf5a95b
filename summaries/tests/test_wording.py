"""The shared sentences and formatting helpers."""

from __future__ import annotations

from datetime import date

import pytest

from summaries.documents import wording as w
from summaries.documents.data import Period, SummaryHeader


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (35, "三十五"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (2844, "二千八百四十四"),
        (9999, "九千九百九十九"),
    ],
)
def test_chinese_numerals_number_the_subsections(n, text):
    assert w.chinese_numeral(n) == text


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_chinese_numerals_refuse_what_they_cannot_write(n):
    with pytest.raises(ValueError):
        w.chinese_numeral(n)


def test_excerpt_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert w.excerpt("  已完成\n初稿  ", 10) == "已完成 初稿"
    cut = w.excerpt("字" * 300, 200)
    assert len(cut) == 200 and cut.endswith("…")


def test_clean_removes_what_xml_cannot_hold():
    assert w.clean("a\x00b\x0bc\x1fd\ud800e\tf\ng") == "abcde\tf\ng"
    assert w.clean(None) == ""


@pytest.mark.parametrize(
    ("current", "previous", "text"),
    [
        (5, 2, "（比上期增加3项）"),
        (2, 4, "（比上期减少2项）"),
        (3, 3, "（与上期持平）"),
        (3, None, ""),
    ],
)
def test_change_since_the_previous_period(current, previous, text):
    assert w.change(current, previous, "项") == text


def test_change_of_a_share_in_percentage_points():
    assert w.points_change(0.875, 0.625) == "（比上期提高25.0个百分点）"
    assert w.points_change(0.5, 0.625) == "（比上期降低12.5个百分点）"
    assert w.points_change(0.5, None) == ""


def test_signed_numbers_use_a_real_minus_sign():
    assert (w.signed(3), w.signed(-2), w.signed(0), w.signed(2.5)) == ("+3", "−2", "0", "+2.5")


def test_dates_and_percentages():
    assert w.date_cn(date(2019, 7, 5)) == "2019年7月5日"
    assert w.date_iso(date(2019, 7, 5)) == "2019-07-05"
    assert w.percent(0.853) == "85.3%" and w.percent(None) == "—"


def _header(**kwargs) -> SummaryHeader:
    period = Period("2019H2", "2019年下半年", date(2019, 7, 1), date(2019, 12, 31))
    return SummaryHeader(
        plan_title="《关于加强乡镇政府服务能力建设的实施方案》",
        period=period,
        as_of=date(2019, 12, 31),
        generated_at=None,  # type: ignore[arg-type]
        document_date=date(2020, 1, 10),
        **kwargs,
    )


def test_title_addressee_and_opening():
    header = _header()
    assert w.document_title(header) == "关于2019年下半年乡镇政府服务能力建设\n工作推进情况的报告"
    assert w.document_title(_header(title="关于某事的报告")) == "关于某事的报告"
    assert w.addressee_line(_header(addressee="市委、市政府：")) == "市委、市政府："
    assert w.opening(header).startswith(
        "根据《关于加强乡镇政府服务能力建设的实施方案》（以下简称《方案》）"
    )
    assert w.next_steps_heading(header) == "下一步工作打算"
