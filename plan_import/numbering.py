"""Word's automatic list numbering, written out as text.

A .docx paragraph numbered by Word (一、 / （一） / 1. set as a list, not typed)
holds no number in its text: python-docx's `paragraph.text` loses it, and the
parser then sees no tree. `ListNumbers` follows the document's numbering
definitions (numbering.xml: w:num → w:abstractNum → w:lvl with start, numFmt
and lvlText) and gives each numbered paragraph its label, counting as Word
does: per list (numId), a level's counter restarts when a shallower level moves
on, and a w:startOverride restarts it.
"""

from __future__ import annotations

from docx.oxml.ns import qn

CN_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
FULL_STOPPED = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def chinese_number(n: int, digits: str = CN_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百〇五 (enough for list numbers)."""
    if n < 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else (digits[0] + digits[rest] if rest < 10 else chinese_number(rest))
        if 10 <= rest < 20:
            tail = digits[1] + tail  # 一百一十二
        return digits[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter value in one of Word's number formats (w:numFmt)."""
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
        "koreanCounting",
    ):
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n, LEGAL_DIGITS, "拾")
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return HEAVENLY_STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return PARENTHESISED[n - 1]
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return FULL_STOPPED[n - 1]
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Level:
    def __init__(self, element):
        def value(tag, default=None):
            child = element.find(qn(tag))
            return child.get(qn("w:val"), default) if child is not None else default

        self.start = int(value("w:start", "1") or 1)
        self.fmt = value("w:numFmt", "decimal") or "decimal"
        self.text = value("w:lvlText", "") or ""
        restart = value("w:lvlRestart")
        self.restart = None if restart is None else int(restart)


class ListNumbers:
    """Labels of numbered paragraphs, in document order (call `label` once per paragraph)."""

    def __init__(self, document):
        self._levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self._overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start
        self._counters: dict[str, dict[int, int]] = {}
        self._style_numbering: dict[str, tuple[str, int] | None] = {}
        self._styles = document.styles
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts = {
            a.get(qn("w:abstractNumId")): {
                int(lvl.get(qn("w:ilvl"), "0")): _Level(lvl) for lvl in a.findall(qn("w:lvl"))
            }
            for a in numbering.findall(qn("w:abstractNum"))
        }
        for num in numbering.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is None:
                continue
            levels = dict(abstracts.get(abstract.get(qn("w:val")), {}))
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[ilvl] = int(start.get(qn("w:val"), "1"))
                level = override.find(qn("w:lvl"))
                if level is not None:
                    levels[ilvl] = _Level(level)
            self._levels[num_id] = levels
            self._overrides[num_id] = overrides

    def label(self, paragraph) -> str:
        """The number Word shows before this paragraph ("" if none), advancing the count."""
        found = self._numbering_of(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        level = levels[ilvl]
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = self._overrides[num_id].get(ilvl, level.start)
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or restart > ilvl:
                del counters[deeper]  # a shallower level moved on: start again
        text = level.text
        for depth in range(9):
            placeholder = f"%{depth + 1}"
            if placeholder not in text:
                continue
            shown = levels.get(depth)
            value = counters.get(depth, shown.start if shown else 1)
            text = text.replace(
                placeholder, format_number(value, shown.fmt if shown else "decimal")
            )
        return text

    def _numbering_of(self, paragraph) -> tuple[str, int] | None:
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            num_id = str(num_pr.numId.val)
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return None if num_id == "0" else (num_id, int(ilvl))
        style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
        return self._from_style(style_id) if style_id else None

    def _from_style(self, style_id: str, depth: int = 0) -> tuple[str, int] | None:
        """Numbering set on a paragraph style (or a style it is based on)."""
        if style_id in self._style_numbering:
            return self._style_numbering[style_id]
        found = None
        element = self._styles.element.get_by_id(style_id)
        if element is not None and depth < 10:
            p_pr = element.pPr
            num_pr = p_pr.numPr if p_pr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                num_id = str(num_pr.numId.val)
                ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                found = None if num_id == "0" else (num_id, int(ilvl))
            elif element.basedOn_val:
                found = self._from_style(element.basedOn_val, depth + 1)
        self._style_numbering[style_id] = found
        return found
