"""Copied-report detection on invented 进展情况 pairs."""

from __future__ import annotations

import pytest
from django.test import override_settings

from summaries.similarity import looks_copied, normalise, similarity

LAST = (
    "已制定乡镇政府公共服务事项指导目录清单初稿，正在征求各乡镇和县直有关部门意见，"
    "计划于下月提交县政府常务会议审议。"
)
# The same report with a few characters changed (下月 → 近期, 审议 → 研究).
LIGHTLY_EDITED = LAST.replace("下月", "近期").replace("审议", "研究")
# Re-spaced, re-punctuated, half-width commas: still the same words.
REPUNCTUATED = LAST.replace("，", ", ").replace("。", ".  ") + "\n"
NEW = (
    "公共服务事项指导目录清单已经县政府常务会议审定并正式印发，共明确乡镇公共服务事项"
    "56项，10个乡镇已全部完成公示。"
)


def test_identical_reports_are_fully_similar_and_flagged():
    assert similarity(LAST, LAST) == 1.0
    assert looks_copied(LAST, LAST)


def test_a_lightly_edited_copy_is_flagged():
    assert 0.9 <= similarity(LAST, LIGHTLY_EDITED) < 1.0
    assert looks_copied(LIGHTLY_EDITED, LAST)


def test_whitespace_and_punctuation_do_not_hide_a_copy():
    assert normalise(REPUNCTUATED) == normalise(LAST)
    assert similarity(REPUNCTUATED, LAST) == 1.0
    assert looks_copied(REPUNCTUATED, LAST)


def test_full_width_and_half_width_characters_compare_equal():
    assert normalise("共计５６项ＡＢＣ") == normalise("共计56项abc")


def test_genuinely_new_text_is_not_flagged():
    assert similarity(NEW, LAST) < 0.6
    assert not looks_copied(NEW, LAST)


@pytest.mark.parametrize(
    ("a", "b"), [("", LAST), (LAST, ""), ("", ""), (None, None), ("。，", "，。")]
)
def test_empty_texts_are_not_similar_and_not_flagged(a, b):
    assert similarity(a, b) == 0.0
    assert not looks_copied(a, b)


def test_short_texts_are_never_flagged_even_when_identical():
    assert similarity("按计划推进。", "按计划推进。") == 1.0
    assert not looks_copied("按计划推进。", "按计划推进。")
    assert not looks_copied(
        "正在推进中，已完成初稿起草", "正在推进中，已完成初稿起草"
    )  # 13 characters


def test_the_threshold_comes_from_settings_or_the_call():
    with override_settings(SUMMARY_COPY_THRESHOLD=0.99):
        assert not looks_copied(LIGHTLY_EDITED, LAST)
        assert looks_copied(LAST, LAST)
    assert not looks_copied(LIGHTLY_EDITED, LAST, threshold=0.99)
    assert looks_copied(NEW, LAST, threshold=0.1)


def test_the_minimum_length_comes_from_settings():
    with override_settings(SUMMARY_COPY_MIN_CHARS=5):
        assert looks_copied("按计划推进。", "按计划推进。")
