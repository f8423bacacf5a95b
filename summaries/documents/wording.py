"""The summary's sentences and small formatting helpers, shared by every renderer.

The .docx and the HTML fragment say the same things in the same words; only the
layout differs. Fixed wording goes through gettext; data is inserted as it is.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .data import (
    BodySection,
    Figures,
    Light,
    MilestoneProgress,
    Role,
    SummaryHeader,
)

PLACEHOLDER = "（待填写）"  # shown for an empty narrative part (not translated: a mark)

_DIGITS = "零一二三四五六七八九"
_UNITS = ["", "十", "百", "千"]

# Characters XML 1.0 (and therefore .docx and .xlsx) cannot hold.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 105 → 一百零五, 2844 → 二千八百四十四 (1..9999)."""
    if not 0 < n < 10000:
        raise ValueError(f"chinese_numeral supports 1..9999, not {n}")
    digits = [int(c) for c in str(n)]
    out: list[str] = []
    zero_pending = False
    for position, digit in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _UNITS[position])
    text = "".join(out)
    # 十一, not 一十一 (only at the very start of a two-digit number).
    return text[1:] if 10 <= n < 20 else text


def clean(text: str | None) -> str:
    """The text without characters XML cannot hold; None becomes ""."""
    if not text:
        return ""
    return _XML_ILLEGAL.sub("", str(text))


def excerpt(text: str | None, limit: int) -> str:
    """At most `limit` characters on one line, ending with "…" when cut."""
    flat = _SPACES.sub(" ", clean(text).replace("\r", "").replace("\n", " ")).strip()
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def paragraphs(text: str | None) -> list[str]:
    """Non-empty lines of a narrative text, each stripped (one paragraph each)."""
    lines = (line.strip() for line in clean(text).replace("\r", "").split("\n"))
    return [_SPACES.sub(" ", line) for line in lines if line]


def date_cn(day: date | None) -> str:
    """2019年6月30日 (the form of a 成文日期); "" for None."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def date_iso(day: date | None) -> str:
    """2019-06-30 (in tables); "" for None."""
    return day.isoformat() if day else ""


def percent(share: float | None, digits: int = 1) -> str:
    """0.853 → "85.3%"; None → "—"."""
    if share is None:
        return "—"
    return f"{share * 100:.{digits}f}%"


def signed(n: int | float) -> str:
    """+3, −2 (a real minus sign), 0; floats with one decimal."""
    text = f"{abs(n):.1f}" if isinstance(n, float) else str(abs(n))
    if n > 0:
        return "+" + text
    if n < 0:
        return "−" + text
    return text


def change(current: int, previous: int | None, unit: str) -> str:
    """ "（比上期增加3项）", "（比上期减少2项）", "（与上期持平）", or "" without a previous."""
    if previous is None:
        return ""
    delta = current - previous
    if delta > 0:
        return _("（比上期增加%(n)d%(unit)s）") % {"n": delta, "unit": unit}
    if delta < 0:
        return _("（比上期减少%(n)d%(unit)s）") % {"n": -delta, "unit": unit}
    return _("（与上期持平）")


def points_change(current: float | None, previous: float | None) -> str:
    """Change of a share in percentage points: "（比上期提高2.5个百分点）"."""
    if current is None or previous is None:
        return ""
    delta = round((current - previous) * 100, 1)
    if delta > 0:
        return _("（比上期提高%(n).1f个百分点）") % {"n": delta}
    if delta < 0:
        return _("（比上期降低%(n).1f个百分点）") % {"n": -delta}
    return _("（与上期持平）")


def document_title(header: SummaryHeader) -> str:
    """The title; "\\n" marks the line break of the two-line centred title."""
    if header.title:
        return header.title
    return _("关于%(period)s乡镇政府服务能力建设\n工作推进情况的报告") % {
        "period": header.period.title
    }


def addressee_line(header: SummaryHeader) -> str:
    return header.addressee.rstrip("：:") + "："


def opening(header: SummaryHeader) -> str:
    """The paragraph between the addressee and 一、."""
    return _(
        "根据《%(plan)s》（以下简称《方案》）要求，我局对各县(区)和市直各部门"
        "%(period)s工作推进情况进行了汇总。现将有关情况报告如下："
    ) % {"plan": header.plan_title.strip("《》"), "period": header.period.title}


def next_steps_heading(header: SummaryHeader) -> str:
    """七、 is "下半年工作打算" in a first-half report, "下一步工作打算" otherwise."""
    return _("下半年工作打算") if header.period.half == 1 else _("下一步工作打算")


def figures_sentences(current: Figures, previous: Figures | None, as_of: date) -> list[str]:
    """The headline figures as sentences, with the change since the previous period."""
    prev_light = previous.by_light if previous else None
    prev_status = previous.by_status if previous else None

    def light_part(light: Light, label: str) -> str:
        now = getattr(current.by_light, light.value)
        before = getattr(prev_light, light.value) if prev_light else None
        return f"{label}{now}{_('项')}{change(now, before, _('项'))}"

    first = _(
        "《方案》共明确工作任务%(tasks)d项，分解为各县(区)和市直各部门承办任务%(n)d项%(chg)s。"
    ) % {
        "tasks": current.tasks,
        "n": current.assignments,
        "chg": change(current.assignments, previous.assignments if previous else None, _("项")),
    }
    lights = _("截至%(day)s，%(parts)s。") % {
        "day": date_cn(as_of),
        "parts": "，".join(
            [
                light_part(Light.DONE, _("已完成")),
                light_part(Light.GREEN, _("绿灯（按计划推进）")),
                light_part(Light.YELLOW, _("黄灯（需关注）")),
                light_part(Light.RED, _("红灯（逾期未完成）")),
            ]
        ),
    }
    statuses = _("按本期填报状态分：%(parts)s。") % {
        "parts": "、".join(
            f"{status.label}{count}{_('项')}"
            f"{change(count, getattr(prev_status, status.value) if prev_status else None, _('项'))}"
            for status, count in current.by_status.items()
        )
    }
    reports = _(
        "本期共审核通过进展报告%(reports)d份%(chg)s，%(with)d项任务有审核通过的报告，"
        "占承办任务总数的%(share)s%(pp)s。"
    ) % {
        "reports": current.reports_approved,
        "chg": change(
            current.reports_approved, previous.reports_approved if previous else None, _("份")
        ),
        "with": current.assignments_with_approved_report,
        "share": percent(current.reported_share),
        "pp": points_change(current.reported_share, previous.reported_share if previous else None),
    }
    return [first, lights, statuses, reports]


def body_sentence(section: BodySection) -> str:
    """ "平定县人民政府共承办任务12项，其中牵头3项、配合5项、负责4项；已完成…"."""
    figures = section.figures
    roles = "、".join(
        f"{role.label}{count}{_('项')}" for role, count in figures.by_role.items() if count
    )
    lights = "、".join(
        f"{light.label}{count}{_('项')}" for light, count in figures.by_light.items()
    )
    if figures.average_percent is None:
        progress = _("本期尚无审核通过的进展报告")
    else:
        progress = _("平均完成进度%(pct)s%%") % {"pct": f"{figures.average_percent:.0f}"}
    text = _("%(name)s共承办任务%(n)d项") % {"name": section.name, "n": figures.assignments}
    if roles:
        text += _("，其中%(roles)s") % {"roles": roles}
    return text + f"；{lights}，{progress}。"


def role_label(role: Role | str) -> str:
    return Role(role).label


def milestone_sentence(milestone: MilestoneProgress) -> str:
    share = milestone.met / milestone.total if milestone.total else None
    return _("应完成%(total)d个，已完成%(met)d个，完成率%(share)s。") % {
        "total": milestone.total,
        "met": milestone.met,
        "share": percent(share),
    }


def label(member: Enum) -> str:
    """An enumeration member's label in the active language (cached: rows ask a lot)."""
    return _label(member, get_language())


@lru_cache(maxsize=512)
def _label(member: Enum, language: str | None) -> str:
    return str(member.label)  # type: ignore[attr-defined]


@lru_cache(maxsize=16)
def _report_labels(language: str | None) -> tuple[str, str, str]:
    return (_("进展情况"), _("存在问题"), _("下步打算"))


def report_texts(progress: str, problems: str, next_steps: str, limit: int) -> list[str]:
    """The three report texts as labelled excerpts (empty ones left out)."""
    labels = _report_labels(get_language())
    parts = zip(labels, (progress, problems, next_steps), strict=True)
    return [f"{name}：{excerpt(text, limit)}" for name, text in parts if clean(text).strip()]


def not_reported() -> str:
    """What a row shows without an approved report in the period."""
    return _not_reported(get_language())


@lru_cache(maxsize=16)
def _not_reported(language: str | None) -> str:
    return _("本期未报送")
