"""What a document says about itself: title, number, date, issuers, years, deadlines.

Pure functions over the normalised text, used to prefill an import; the
coordinator sees and may change every value before publishing. Each returns
None (or an empty value) rather than a wild guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from departments.models import Department

TITLE_ENDINGS = (
    "实施方案",
    "工作方案",
    "方案",
    "实施意见",
    "指导意见",
    "意见",
    "工作要点",
    "要点",
    "办法",
    "规划",
    "计划",
    "措施",
    "细则",
    "决定",
)
MAX_TITLE = 80
DOCUMENT_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号$")
FULL_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
# 2020年底前 / 2020年6月底前 / 2020年6月30日前 / 2020年 (a deadline written in a clause)
DUE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
    r"(?P<half>上半年|下半年)?"
)
ISSUER_SEPARATORS = re.compile(r"[\s\u3000、]+")
MAX_ISSUER_LINE = 60
DEFAULT_PLAN_YEARS = 2
MAX_PLAN_YEARS = 15


def guess_title(preamble: str) -> str:
    """The document's own title line: short, no sentence marks, ending like a title.

    Lines that announce a forwarding (…印发《…》的通知) are skipped for the title
    they quote when that title stands on a line of its own.
    """
    candidates = []
    for line in preamble.splitlines():
        line = line.strip()
        if not 4 <= len(line) <= MAX_TITLE or any(ch in line for ch in "。，,；;：:"):
            continue
        if line.endswith(TITLE_ENDINGS) or (line.endswith("通知") and "印发" not in line):
            candidates.append(line)
    if not candidates:
        return ""
    own = [line for line in candidates if "印发" not in line]
    return (own or candidates)[-1]


def guess_document_number(preamble: str) -> str:
    """A line that is only a document number: 云政办发〔2019〕3号."""
    for line in preamble.splitlines():
        line = line.strip()
        if DOCUMENT_NUMBER_RE.match(line):
            return line
    return ""


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def guess_issued_on(text: str, preamble: str) -> date | None:
    """The date the document was issued (成文日期).

    The first full date (2018年11月9日) in the part before the first heading, or
    else the last one in the document's final lines (where the signature and date
    stand when the text comes first).
    """
    for match in FULL_DATE_RE.finditer(preamble):
        found = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
        if found:
            return found
    tail = "\n".join(text.splitlines()[-5:])
    for match in reversed(list(FULL_DATE_RE.finditer(tail))):
        found = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
        if found:
            return found
    return None


def guess_ends_on(text: str, *, issued_on: date) -> date:
    """31 December of the latest year the document names (from the issue year on, at
    most MAX_PLAN_YEARS later); without one, DEFAULT_PLAN_YEARS after the issue year."""
    years = [
        int(y)
        for y in YEAR_RE.findall(text)
        if issued_on.year <= int(y) <= issued_on.year + MAX_PLAN_YEARS
    ]
    year = max(years) if years else issued_on.year + DEFAULT_PLAN_YEARS
    return date(year, 12, 31)


def due_date_from(due_text: str) -> date | None:
    """The last day a clause's own deadline allows: 2020年底前 → 2020-12-31,
    2020年6月底前 → 2020-06-30, 2019年上半年 → 2019-06-30. None if it names no year."""
    match = DUE_RE.search(due_text or "")
    if not match:
        return None
    year = int(match["y"])
    if match["m"]:
        month = int(match["m"])
        if not 1 <= month <= 12:
            return None
        if match["d"]:
            return _valid(year, month, int(match["d"]))
        return date(year, month, calendar.monthrange(year, month)[1])
    if match["half"] == "上半年":
        return date(year, 6, 30)
    return date(year, 12, 31)


def guess_issuers(preamble: str, matcher) -> list[Department]:
    """Known bodies named alone on the short lines before the text (the signature)."""
    found: list[Department] = []
    for line in preamble.splitlines():
        line = line.strip()
        if not line or len(line) > MAX_ISSUER_LINE or any(ch in line for ch in "。，,；;：:《"):
            continue
        for word in ISSUER_SEPARATORS.split(line):
            department = matcher.match(word) if word else None
            if department and not department.is_collective and department not in found:
                found.append(department)
    return found
