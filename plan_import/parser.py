"""Read an implementation plan's text: its tree and its responsibility clauses.

A plan of this genre (实施方案, 实施意见, 工作要点, 意见) numbers its parts 一、,
its sections (一), its items 1. (or 1． / 1、) and sub-items (1). Inside the
text, a parenthesis naming bodies with a role word — (市编办牵头,市农委配合) —
closes a responsibility clause: the words since the start of the item (after
its heading) or since the previous clause. This module turns the text into
`ParsedDocument(nodes, clauses, warnings)`; it touches no database.

Names are kept exactly as the parenthesis writes them (collectives such as
各县〈区〉人民政府 included, 等 dropped); matching them to known bodies is
`plan_import.names`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

LEAD, SUPPORT, RESPONSIBLE, GUIDE = "lead", "support", "responsible", "guide"
ROLES = (LEAD, SUPPORT, RESPONSIBLE, GUIDE)
ROLE_LABELS = {LEAD: "牵头", SUPPORT: "配合", RESPONSIBLE: "负责", GUIDE: "指导"}
SCOPE = "scope"
DUE = "due"

PART, SECTION, ITEM, SUBITEM = "part", "section", "item", "subitem"
LEVELS = {PART: 0, SECTION: 1, ITEM: 2, SUBITEM: 3}

# Rules applied by `Clause.applied_rules`.
RULE_FIRST_LISTED = "first_listed_lead"
RULE_EVERYWHERE = "responsible_everywhere"

OPENERS = "(（"
CLOSERS = ")）"
BRACKET_PAIRS = {"(": ")", "（": "）", "〈": "〉", "<": ">", "[": "]", "【": "】", "《": "》"}

# --- numbering -----------------------------------------------------------------
CN_NUMERALS = "一二三四五六七八九十"
PART_RE = re.compile(rf"^(?P<num>[{CN_NUMERALS}]{{1,3}})、")
SECTION_RE = re.compile(rf"^[（(](?P<num>[{CN_NUMERALS}]{{1,3}})[)）]")
ITEM_RE = re.compile(r"^(?P<num>\d{1,2})[.．、](?!\d)")
SUBITEM_RE = re.compile(r"^(?:[（(](?P<num>\d{1,2})[)）]|(?P<circled>[\u2460-\u2473]))")

# --- roles ----------------------------------------------------------------------
ROLE_WORDS = {
    "按职责分工负责": RESPONSIBLE,
    "按职能分工负责": RESPONSIBLE,
    "分别负责": RESPONSIBLE,
    "共同负责": RESPONSIBLE,
    "负责落实": RESPONSIBLE,
    "牵头负责": LEAD,
    "牵头落实": LEAD,
    "牵头": LEAD,
    "配合": SUPPORT,
    "参与": SUPPORT,
    "协助": SUPPORT,
    "负责": RESPONSIBLE,
    "指导": GUIDE,
}
SEPARATORS = "，,；;、。 \t"
# What may follow a role word without changing it: （市发改委牵头组织实施）.
ROLE_TAILS = ("组织实施", "组织落实", "抓好落实", "推进落实", "落实", "实施")
# A role word closes a list of names: it is followed (after a tail, if any) by a
# separator or the end.
ROLE_RE = re.compile(
    "("
    + "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
    + ")(?:"
    + "|".join(ROLE_TAILS)
    + r")?(?=$|[，,；;、。\s])"
)
LABELS = {
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "配合单位": SUPPORT,
    "配合部门": SUPPORT,
    "参与单位": SUPPORT,
    "参与部门": SUPPORT,
    "责任单位": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
    "负责单位": RESPONSIBLE,
    "负责部门": RESPONSIBLE,
    "指导单位": GUIDE,
    "指导部门": GUIDE,
    "适用范围": SCOPE,
    "实施范围": SCOPE,
    "完成时限": DUE,
    "完成时间": DUE,
    "时间节点": DUE,
    "时限要求": DUE,
}
# Any role word at all (not 负责人): a parenthesis holding one but not read is reported.
ROLE_MENTION_RE = re.compile(r"(?:牵头|配合|负责|指导|参与)(?!人)")
# Words a body's name never contains (指导 and 参与 may: 市就业指导中心); a list
# that keeps one of them is not read, and the reviewer is told, rather than guessed.
NOT_IN_NAME_WORDS = ("牵头", "配合", "负责", "会同")
LABEL_RE = re.compile(r"(" + "|".join(LABELS) + r")\s*[:：]")
# A labelled line outside brackets: at a line's start or right after a full stop.
LABEL_LINE_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=。))\s*(?P<label>(?:"
    + "|".join(name for name, role in LABELS.items() if role in ROLES)
    + r")\s*[:：])"
)
# A deadline written inside the clause: （市民政局负责，2020年底前完成）.
DEADLINE_RE = re.compile(
    r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:\d{1,2}月(?:\d{1,2}日)?)?"
    r"(?:底|末|上半年|下半年|内|起)?|年底|年内|长期|持续|每年|每季度|每半年)"
    r"(?:前|以前|之前)?(?:基本完成|全面完成|完成|启动|到位|见效|实施|推进|坚持|开展)?"
)
BACKREF_RE = re.compile(
    r"^(?:以上|上述)(?P<n>[两二三四五六七八九十]{1,2}|\d{1,2}|各)项(?:任务|工作|内容)?"
    r"(?:均|都|分别)?(?:由)?"
)
# Rules a plan states once: 列第一位者为牵头单位，下同 / 以下均需X落实，不再列出.
FIRST_LISTED_RE = re.compile(
    r"[，,；;。]?\s*(?:各项任务中?|以下|上述)?(?:列|排)(?:在)?第一位(?:者|的(?:单位|部门)?)?"
    r"(?:为|是|系)牵头(?:单位|部门)(?:\s*[，,；;]?\s*下同)?"
)
EVERYWHERE_RE = re.compile(
    r"[，,；;。]?\s*以下(?:各项)?(?:任务|工作)?(?:均|都)(?:需|须|要|由)(?P<names>[^，,；;。\n]+?)"
    r"(?:负责)?落实\s*[，,；;]?\s*不再(?:一一)?列出"
)
# Endings that only say "and others": 等 / 等部门 / 等有关部门 / 等相关单位 …
ETC_RE = re.compile(r"等(?:有关|相关)?(?:部门和单位|部门|单位)?$")
NAME_LEADS_RE = re.compile(r"^(?:均由|由|均)")
JOINERS = ("以及", "会同", "和", "及", "与")
BODY_SUFFIXES = (
    "局",
    "委",
    "办",
    "部",
    "厅",
    "会",
    "院",
    "府",
    "室",
    "中心",
    "单位",
    "部门",
    "组",
    "署",
    "行",
    "司",
    "联",
    "社",
    "队",
    "所",
    "站",
    "处",
    "科",
    "团",
    "协",
    "机构",
    "人大",
    "政协",
    "县",
    "区",
    "镇",
    "乡",
    "街道",
)
BODY_PREFIXES = ("市", "省", "县", "区", "各", "国家", "中央", "中共", "团", "全国", "有关", "相关")
PLACE_SUFFIXES = ("省", "市", "县", "区", "镇", "乡", "村", "旗", "州", "盟", "街道")
NOT_IN_NAMES = set('。：:；;！？“”"!?')
MAX_NAME_LENGTH = 40
MAX_INLINE_HEADING = 30
MAX_LINE_HEADING = 40
CLAUSE_TAIL = "。；;，,、 \t\n"


# --- public data --------------------------------------------------------------------
@dataclass
class Node:
    """A numbered node of the plan's tree: part 三、, section (一), item 1., sub-item (1)."""

    kind: str
    code: str
    label: str
    number: int
    heading: str
    text: str
    parent_code: str
    line: int
    start: int = 0  # offset of its label in the parsed text


@dataclass
class Clause:
    """One responsibility clause: the words it covers and the bodies it names."""

    code: str
    heading: str
    text: str
    responsibility_text: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    guide: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    due_text: str = ""
    path: list[str] = field(default_factory=list)
    line: int = 0
    shared_by: int = 1
    applied_rules: list[str] = field(default_factory=list)
    # Offsets in the parsed text: `text` is text[start:end]; the words naming the
    # bodies (a parenthesis, or a 责任单位：… line) are text[paren_start:paren_end].
    start: int = 0
    end: int = 0
    paren_start: int = 0
    paren_end: int = 0

    @property
    def node_code(self) -> str:
        return self.path[-1] if self.path else ""

    def roles(self) -> list[tuple[str, str]]:
        """(role, written name) pairs, leads first, in the order written."""
        return [(role, name) for role in ROLES for name in getattr(self, role)]

    def as_json(self) -> dict:
        """The machine-readable shape (the `import_plan --json` entry)."""
        return {
            "code": self.code,
            "heading": self.heading,
            "text": self.text,
            "lead": list(self.lead),
            "support": list(self.support),
            "responsible": list(self.responsible),
            "guide": list(self.guide),
            "scope": list(self.scope),
        }


@dataclass
class ParseWarning:
    """Something a reviewer should look at; `level` is "warning" or "info"."""

    code: str
    message: str
    node_code: str = ""
    line: int = 0
    level: str = "warning"


@dataclass
class ParsedDocument:
    nodes: list[Node]
    clauses: list[Clause]
    warnings: list[ParseWarning]
    preamble: str = ""

    def as_json(self) -> dict:
        return {"clauses": [clause.as_json() for clause in self.clauses]}


@dataclass
class Responsibility:
    """What one parenthesis says: role groups, places, back-reference, rules."""

    groups: list[tuple[str, list[str]]]
    scope: list[str] = field(default_factory=list)
    due_text: str = ""
    covers: int | str | None = None  # 以上两项 → 2, 以上各项 → "all"
    first_listed_rule: bool = False


# --- parsing a parenthesis ------------------------------------------------------------
def parse_responsibility(content: str) -> Responsibility | None:
    """Read the words inside one parenthesis; None unless it assigns bodies.

    "市编办牵头,市农委等配合" → groups [(lead, [市编办]), (support, [市农委])];
    "以上两项…" sets `covers`; "负责部门：X；适用范围：Z" is read by its labels.
    A parenthesis that states only a rule, or names no body with a role word
    ((一), (PPP), (含开发区), (晋办发〔2017〕67号)), gives None.
    """
    text = content.strip()
    first_listed = bool(FIRST_LISTED_RE.search(text))
    text = FIRST_LISTED_RE.sub("", text)
    text = EVERYWHERE_RE.sub("", text).strip().strip(SEPARATORS)
    text, due = _take_deadlines(text)
    if not text:
        return None
    covers = None
    match = BACKREF_RE.match(text)
    if match:
        number = match.group("n")
        covers = "all" if number == "各" else _number(number)
        text = text[match.end() :].strip()
    if LABEL_RE.match(text):
        parsed = _parse_labelled(text)
    else:
        groups = _parse_groups(text)
        parsed = Responsibility(groups=groups) if groups else None
    if parsed is None:
        return None
    parsed.covers = covers
    parsed.first_listed_rule = first_listed
    parsed.due_text = "；".join(filter(None, [due, parsed.due_text]))
    return parsed


def _take_deadlines(text: str) -> tuple[str, str]:
    """Split "市民政局负责，2020年底前完成" into the roles and the deadline."""
    if LABEL_RE.match(text):
        return text, ""  # labelled: a deadline comes with its own label (完成时限：…)
    kept, due = [], []
    for segment in _split_outside_brackets(text, "，,；;"):
        segment = segment.strip()
        (due if DEADLINE_RE.fullmatch(segment) else kept).append(segment)
    if not due:
        return text, ""
    return "，".join(kept), "；".join(due)


def split_names(words: str) -> list[str] | None:
    """Bodies in a written list, as written; None if a piece is not a name.

    Splits on 、，, and on 和 / 及 / 与 / 以及 only where both sides read as
    bodies (so 市住房和城乡建设局 and the collective 有关部门和单位 stay whole);
    drops 等 / 等部门 / 等有关部门 endings and a leading 由.
    """
    words = NAME_LEADS_RE.sub("", words.strip()).strip()
    names = []
    for piece in _split_outside_brackets(words, "、，,"):
        for name in _split_joined(piece.strip()):
            name = ETC_RE.sub("", name.strip()).strip()
            if name:
                names.append(name)
    if not names or not all(_is_name(name) for name in names):
        return None
    return names


def _parse_groups(text: str) -> list[tuple[str, list[str]]] | None:
    groups = []
    position = 0
    for match in ROLE_RE.finditer(text):
        if match.start() < position:
            continue
        names = split_names(text[position : match.start()])
        if not names:
            return None
        groups.append((ROLE_WORDS[match.group(1)], names))
        position = match.end()
        while position < len(text) and text[position] in SEPARATORS:
            position += 1
    if not groups or text[position:].strip(SEPARATORS):
        return None
    return groups


def _parse_labelled(text: str) -> Responsibility | None:
    labels = list(LABEL_RE.finditer(text))
    if not labels or labels[0].start() != 0:
        return None
    groups, scope, due = [], [], []
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        value = text[match.end() : end].strip().strip(SEPARATORS)
        role = LABELS[match.group(1)]
        if role == DUE:
            due.append(value)
            continue
        if role == SCOPE:
            places = _split_places(value)
            if not places:
                return None
            scope.extend(places)
            continue
        names = split_names(value)
        if not names:
            return None
        groups.append((role, names))
    if not groups:
        return None
    return Responsibility(groups=groups, scope=scope, due_text="；".join(due))


def _split_places(words: str) -> list[str]:
    places = []
    for piece in _split_outside_brackets(words, "、，,"):
        piece = ETC_RE.sub("", piece.strip()).strip()
        parts = [piece]
        for joiner in JOINERS:
            left, sep, right = piece.partition(joiner)
            if sep and left.endswith(PLACE_SUFFIXES) and len(right) >= 2:
                parts = [left, right]
                break
        places.extend(p for p in parts if p)
    return places


def _split_outside_brackets(words: str, separators: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    closers = set(BRACKET_PAIRS.values())
    for index, ch in enumerate(words):
        if ch in BRACKET_PAIRS:
            depth += 1
        elif ch in closers:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in separators:
            pieces.append(words[start:index])
            start = index + 1
    pieces.append(words[start:])
    return [p for p in pieces if p.strip()]


def _split_joined(piece: str) -> list[str]:
    """Split "市民政局和市财政局" but not "市住房和城乡建设局" or "有关部门和单位"."""
    depth = 0
    closers = set(BRACKET_PAIRS.values())
    index = 0
    while index < len(piece):
        ch = piece[index]
        if ch in BRACKET_PAIRS:
            depth += 1
        elif ch in closers:
            depth = max(depth - 1, 0)
        elif depth == 0:
            for joiner in JOINERS:
                if piece.startswith(joiner, index):
                    left, right = piece[:index], piece[index + len(joiner) :]
                    if _ends_like_body(left) and _reads_as_body(right):
                        return [left, *_split_joined(right)]
                    break
        index += 1
    return [piece]


def _strip_trailing_bracket(name: str) -> str:
    """市经信委〈国资委〉 → 市经信委 (for judging what a name ends with)."""
    if name and name[-1] in BRACKET_PAIRS.values():
        opener = {v: k for k, v in BRACKET_PAIRS.items()}[name[-1]]
        cut = name.rfind(opener)
        if cut > 0:
            return name[:cut]
    return name


def _ends_like_body(words: str) -> bool:
    words = _strip_trailing_bracket(ETC_RE.sub("", words.strip()))
    return len(words) >= 2 and words.endswith(BODY_SUFFIXES)


def _reads_as_body(words: str) -> bool:
    words = words.strip()
    if len(words) < 3:
        return False
    return words.startswith(BODY_PREFIXES) or _ends_like_body(words)


def _is_name(name: str) -> bool:
    if not 1 <= len(name) <= MAX_NAME_LENGTH or NOT_IN_NAMES & set(name):
        return False
    if any(word in name for word in NOT_IN_NAME_WORDS):
        return False
    return not name.isdigit() and any(ch.isalpha() for ch in name)


def _number(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" in numeral:
        tens, _sep, units = numeral.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)
    return digits.get(numeral, 0)


# --- parsing the document --------------------------------------------------------------
@dataclass
class _Node:
    kind: str
    code: str
    label: str
    number: int
    start: int
    label_end: int
    end: int = 0
    parent: _Node | None = None
    heading: str = ""
    body_start: int = 0
    clause_count: int = 0
    claimed: bool = False
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Raw:
    node: _Node
    start: int
    end: int
    paren: tuple[int, int]  # first and last character of the words naming the bodies
    inner: tuple[int, int]  # those words without brackets: text[inner[0]:inner[1]]
    responsibility: Responsibility
    shared_by: int = 1


class _DocumentParser:
    def __init__(self, text: str):
        self.text = text
        self.warnings: list[ParseWarning] = []
        self.nodes: list[_Node] = []
        self.raws: list[_Raw] = []
        self.trailing: dict[int, tuple[int, int]] = {}

    def parse(self) -> ParsedDocument:
        self._build_tree()
        first_listed = [m.start() for m in FIRST_LISTED_RE.finditer(self.text)]
        everywhere = [
            (m.end(), split_names(m.group("names")) or [])
            for m in EVERYWHERE_RE.finditer(self.text)
        ]
        for node in self.nodes:
            self._scan(node)
        clauses = self._clauses(first_listed, everywhere)
        self._warn_uncovered()
        if not clauses:
            self._warn(
                "no_clauses", _("未识别到任何责任分工（括号中写明的牵头、配合、负责单位）。")
            )
        preamble = self.text[: self.nodes[0].start] if self.nodes else self.text
        self._warn_preamble_and_rules(len(preamble))
        return ParsedDocument(
            nodes=[self._public_node(node) for node in self.nodes],
            clauses=clauses,
            warnings=sorted(self.warnings, key=lambda w: w.line),
            preamble=preamble.strip(),
        )

    # tree -------------------------------------------------------------------------
    def _build_tree(self):
        stack: list[_Node] = []
        last_number = {PART: 0, SECTION: 0}
        offset = 0
        for line in self.text.split("\n"):
            node = self._numbered(line, offset)
            offset += len(line) + 1
            if node is None:
                continue
            while stack and LEVELS[stack[-1].kind] >= LEVELS[node.kind]:
                stack.pop()
            node.parent = stack[-1] if stack else None
            siblings = (
                node.parent.children if node.parent else [n for n in self.nodes if n.parent is None]
            )
            same_kind = [s for s in siblings if s.kind == node.kind]
            expected = {1, (same_kind[-1].number + 1) if same_kind else 1}
            if node.kind in last_number:
                # Sections may number on across parts: (十二) right after 二、.
                expected.add(last_number[node.kind] + 1)
                last_number[node.kind] = node.number
            node.code = (node.parent.code if node.parent else "") + node.code
            if node.number not in expected:
                self._warn(
                    "numbering",
                    _("编号“%(label)s”与前文不连续，请核对层级是否识别正确。")
                    % {"label": node.label},
                    node=node,
                )
            if node.parent:
                node.parent.children.append(node)
            if any(n.code == node.code for n in self.nodes):
                self._warn(
                    "duplicate_code", _("编号 %(code)s 重复出现。") % {"code": node.code}, node=node
                )
            self.nodes.append(node)
            stack.append(node)
        for index, node in enumerate(self.nodes):
            node.end = (
                self.nodes[index + 1].start if index + 1 < len(self.nodes) else len(self.text)
            )
            self._find_heading(node)

    def _numbered(self, line: str, offset: int) -> _Node | None:
        for kind, pattern in (
            (PART, PART_RE),
            (SECTION, SECTION_RE),
            (SUBITEM, SUBITEM_RE),
            (ITEM, ITEM_RE),
        ):
            match = pattern.match(line)
            if not match:
                continue
            label = match.group(0)
            if kind == SUBITEM and match.group("circled"):
                number = ord(match.group("circled")) - 0x2460 + 1
            else:
                number = _number(match.group("num"))
            if kind == PART:
                code = match.group("num")
            elif kind == SECTION:
                code = f"({match.group('num')})"
            elif kind == ITEM:
                code = str(number)
            else:
                code = f"({number})"
            return _Node(kind, code, label, number, offset, offset + match.end())
        return None

    def _find_heading(self, node: _Node):
        """The words before the first 。 (or the end of the line) if they read as a heading.

        Not a heading: words holding a responsibility clause, a node whose whole
        own text is that one sentence (and has no children), an inline sentence
        longer than MAX_INLINE_HEADING, or an item's inline sentence with a comma
        (content: 1.依法赋予乡镇部分管理权限，成熟一批、下放一批。).
        """
        text = self.text
        node.body_start = node.label_end
        line_end = text.find("\n", node.label_end, node.end)
        line_end = node.end if line_end == -1 else line_end
        stop = text.find("。", node.label_end, line_end)
        inline = stop != -1
        heading_end = stop if inline else line_end
        body_start = min(heading_end + 1, node.end)
        if not text[body_start : node.end].strip(CLAUSE_TAIL) and not node.children:
            return
        parens = list(_top_level_parens(text, node.label_end, heading_end))
        kinds = [self._paren_kind(a, b) for a, b in parens]
        if "clause" in kinds:
            return
        heading = text[node.label_end : heading_end]
        for (a, b), kind in sorted(zip(parens, kinds, strict=True), reverse=True):
            if kind == "rule":  # 三、主要任务（以下均需…落实，不再列出）
                heading = heading[: a - node.label_end] + heading[b + 1 - node.label_end :]
        heading = heading.strip().rstrip("：:")
        commas = sum(heading.count(ch) for ch in "，,；;")
        if not heading:
            return
        # Sections are titled in this genre ("坚持党的领导，强化组织保障"); items often
        # are not, so an item's first sentence with a comma is content.
        if inline and (
            len(heading) > MAX_INLINE_HEADING or (commas and node.kind in (ITEM, SUBITEM))
        ):
            return
        if not inline and node.kind in (ITEM, SUBITEM) and len(heading) > MAX_LINE_HEADING:
            return
        node.heading, node.body_start = heading, body_start

    def _paren_kind(self, start: int, end: int) -> str:
        inner = self.text[start + 1 : end]
        if parse_responsibility(inner):
            return "clause"
        if FIRST_LISTED_RE.search(inner) or EVERYWHERE_RE.search(inner):
            return "rule"
        return "other"

    # clauses ------------------------------------------------------------------------
    def _scan(self, node: _Node):
        position = node.body_start
        for start, close, inner_span in self._closers(node):
            inner = self.text[inner_span[0] : inner_span[1]]
            responsibility = parse_responsibility(inner)
            if responsibility and inner_span[0] == start:
                # Outside brackets a label may introduce prose (责任单位：按职责分工…):
                # every name must end like a body's.
                named = [name for _role, names in responsibility.groups for name in names]
                if not all(_ends_like_body(name) for name in named):
                    responsibility = None
            if responsibility is None:
                is_rule = FIRST_LISTED_RE.search(inner) or EVERYWHERE_RE.search(inner)
                if is_rule:
                    continue
                if inner_span[0] == start:  # a label line: 责任单位：…
                    self._warn(
                        "unparsed_label",
                        _("“%(words)s”写有责任单位标签，但未能识别出单位，请人工核对。")
                        % {"words": inner},
                        node=node,
                        at=start,
                    )
                elif ROLE_MENTION_RE.search(inner) or LABEL_RE.search(inner):
                    self._warn(
                        "unparsed_parenthesis",
                        _("括号“（%(words)s）”含有分工用语，但未能识别为责任分工，请人工核对。")
                        % {"words": inner},
                        node=node,
                        at=start,
                    )
                continue
            if (
                node.heading
                and not node.clause_count
                and not self.text[position:start].strip(CLAUSE_TAIL)
            ):
                # The "heading" was the clause's own words: 1.加强领导（X负责）。
                node.heading, position = "", node.label_end
            self._cover(node, position, start, (start, close), responsibility, inner_span)
            node.clause_count += 1
            position = close + 1
            while position < node.end and self.text[position] in CLAUSE_TAIL:
                position += 1
        self.trailing[id(node)] = (position, node.end)

    def _line_end(self, position: int, limit: int) -> int:
        end = self.text.find("\n", position, limit)
        return limit if end == -1 else end

    def _closers(self, node: _Node):
        """What may close a clause in a node's body, in reading order.

        (start, close, (inner start, inner end)): a parenthesis (start and close
        are its brackets), or a labelled line such as 责任单位：市民政局、市财政局
        standing at the start of a line or after a full stop, running to the
        line's end, and over the lines after it that start with a label too
        (parentheses inside it belong to it).
        """
        text = self.text
        labels = []
        for match in LABEL_LINE_RE.finditer(text, node.body_start, node.end):
            start = match.start("label")
            if labels and start <= labels[-1][1]:
                continue  # 牵头单位：A。配合单位：B is one labelled line
            line_end = self._line_end(start, node.end)
            # Labels on the lines right after belong to it: 责任单位：A↵完成时限：2020年底.
            while line_end + 1 < node.end and LABEL_RE.match(text, line_end + 1):
                line_end = self._line_end(line_end + 1, node.end)
            inner_end = line_end
            while inner_end > start and text[inner_end - 1] in "。；; \t":
                inner_end -= 1
            labels.append((start, line_end - 1, (start, inner_end)))
        parens = [
            (a, b, (a + 1, b))
            for a, b in _top_level_parens(text, node.body_start, node.end)
            if not any(start <= a <= close for start, close, _inner in labels)
        ]
        # A label inside a parenthesis is the parenthesis' business: （责任单位：…）.
        labels = [label for label in labels if not any(a < label[0] < b for a, b, _inner in parens)]
        return sorted(parens + labels)

    def _cover(self, node, start, end, paren, responsibility, inner):
        """One clause, or one per item-sentence a back-reference (以上两项) covers."""
        covers = responsibility.covers

        def add(units, shared):
            for unit_node, a, b in units:
                self.raws.append(_Raw(unit_node, a, b, paren, inner, responsibility, shared))

        if covers is None:
            if not self.text[start:end].strip(CLAUSE_TAIL):
                self._warn(
                    "empty_clause", _("责任分工前没有对应的任务内容。"), node=node, at=paren[0]
                )
            add([(node, start, end)], 1)
            return
        for stops in ("。\n", "。；;\n"):
            units = _sentences(self.text, start, end, stops)
            if covers != "all" and len(units) == covers:
                add([(node, a, b) for a, b in units], covers)
                return
        # Preceding sibling items that have no clause of their own.
        previous = []
        siblings = (
            node.parent.children if node.parent else [n for n in self.nodes if n.parent is None]
        )
        for sibling in reversed(siblings[: siblings.index(node)]):
            if sibling.kind != node.kind or sibling.clause_count or sibling.claimed:
                break
            previous.insert(0, sibling)
        own = [(node, start, end)] if self.text[start:end].strip(CLAUSE_TAIL) else []
        needed = len(previous) if covers == "all" else covers - len(own)
        if covers == "all" or 0 < needed <= len(previous):
            chosen = previous[len(previous) - needed :] if needed else []
            for sibling in chosen:
                sibling.claimed = True
            units = [(s, s.body_start, s.end) for s in chosen] + own
            add(units, len(units))
            return
        units = _sentences(self.text, start, end, "。；;\n")
        if covers != "all" and len(units) > covers:
            merged = [(units[0][0], units[len(units) - covers][1])] + units[
                len(units) - covers + 1 :
            ]
            units = merged
        self._warn(
            "back_reference",
            _("“以上%(n)s项”所指的任务不能确定，已按 %(m)s 项拆分，请人工核对。")
            % {"n": covers, "m": len(units)},
            node=node,
            at=paren[0],
        )
        add([(node, a, b) for a, b in units], len(units))

    def _clauses(self, first_listed, everywhere) -> list[Clause]:
        clauses = []
        counters: dict[int, int] = {}
        for raw in sorted(self.raws, key=lambda r: r.start):
            counters[id(raw.node)] = counters.get(id(raw.node), 0) + 1
            paren_start, paren_end = raw.paren
            heading = raw.node.heading
            if not heading and raw.node.kind == SUBITEM and raw.node.parent:
                heading = raw.node.parent.heading  # a sub-item is part of its item
            words = self.text[raw.start : raw.end]
            start = raw.start + len(words) - len(words.lstrip(CLAUSE_TAIL))
            text = words.lstrip(CLAUSE_TAIL).rstrip()
            clause = Clause(
                code=f"{raw.node.code}-{counters[id(raw.node)]}",
                heading=heading,
                text=text,
                responsibility_text=self.text[raw.inner[0] : raw.inner[1]].strip(),
                start=start,
                end=start + len(text),
                paren_start=paren_start,
                paren_end=paren_end + 1,
                scope=list(raw.responsibility.scope),
                due_text=raw.responsibility.due_text,
                path=_path(raw.node),
                line=self._line(paren_start),
                shared_by=raw.shared_by,
            )
            explicit_lead = any(role == LEAD for role, _names in raw.responsibility.groups)
            rule_applies = raw.responsibility.first_listed_rule or any(
                pos < paren_end for pos in first_listed
            )
            for role, names in raw.responsibility.groups:
                if role == RESPONSIBLE and rule_applies and not explicit_lead:
                    clause.lead.append(names[0])
                    clause.responsible.extend(names[1:])
                    if RULE_FIRST_LISTED not in clause.applied_rules:
                        clause.applied_rules.append(RULE_FIRST_LISTED)
                else:
                    getattr(clause, role).extend(names)
            for rule_end, names in everywhere:
                if rule_end <= paren_start:
                    named = {name for _role, name in clause.roles()}
                    added = [name for name in names if name not in named]
                    clause.responsible.extend(added)
                    if added and RULE_EVERYWHERE not in clause.applied_rules:
                        clause.applied_rules.append(RULE_EVERYWHERE)
            clauses.append(clause)
        return clauses

    # warnings -----------------------------------------------------------------------
    def _warn_uncovered(self):
        for node in self.nodes:
            start, end = self.trailing.get(id(node), (node.body_start, node.end))
            rest = self.text[start:end].strip(CLAUSE_TAIL)
            if node.claimed:
                continue  # a later 以上两项 covers its whole text
            if node.clause_count:
                if rest:
                    self._warn(
                        "uncovered_text",
                        _("%(code)s 末尾有文字未标明责任单位：“%(words)s”")
                        % {"code": node.code, "words": _snippet(rest)},
                        node=node,
                        at=start,
                        level="info",
                    )
            elif rest and node.kind != PART and not node.children:
                self._warn(
                    "no_responsibility",
                    _("%(code)s 未写明责任单位：“%(words)s”")
                    % {"code": node.code, "words": _snippet(rest)},
                    node=node,
                )

    def _warn_preamble_and_rules(self, end: int):
        for start, close in _top_level_parens(self.text, 0, end):
            if parse_responsibility(self.text[start + 1 : close]):
                self._warn(
                    "preamble_clause",
                    _("正文第一部分之前的责任分工“（%(words)s）”未导入，请人工核对。")
                    % {"words": self.text[start + 1 : close]},
                    at=start,
                )
        for match in FIRST_LISTED_RE.finditer(self.text):
            self._warn(
                "rule_first_listed",
                _("方案规定“列第一位者为牵头单位”：此后各条负责单位中的第一个记为牵头单位。"),
                at=match.start(),
                level="info",
            )
        for match in EVERYWHERE_RE.finditer(self.text):
            self._warn(
                "rule_everywhere",
                _("方案规定此后各条均需“%(names)s”落实：已加入此后每一条的负责单位。")
                % {"names": match.group("names")},
                at=match.start(),
                level="info",
            )

    def _warn(self, code, message, *, node=None, at=None, level="warning"):
        position = at if at is not None else (node.start if node else 0)
        self.warnings.append(
            ParseWarning(code, message, node.code if node else "", self._line(position), level)
        )

    def _line(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    def _public_node(self, node: _Node) -> Node:
        own_end = node.children[0].start if node.children else node.end
        return Node(
            kind=node.kind,
            code=node.code,
            label=node.label,
            number=node.number,
            heading=node.heading,
            text=self.text[node.start : own_end].strip(),
            parent_code=node.parent.code if node.parent else "",
            line=self._line(node.start),
            start=node.start,
        )


def parse_document(text: str) -> ParsedDocument:
    """Parse a plan's text (as `readers.normalise_text` returns it) into nodes and clauses."""
    return _DocumentParser(text).parse()


def _path(node: _Node) -> list[str]:
    path = []
    while node is not None:
        path.insert(0, node.code)
        node = node.parent
    return path


def _snippet(words: str, length: int = 30) -> str:
    words = words.replace("\n", " ")
    return words if len(words) <= length else words[:length] + "…"


def _sentences(text: str, start: int, end: int, stops: str) -> list[tuple[int, int]]:
    """Spans of the sentences in text[start:end], each with its closing mark."""
    units, unit_start = [], start
    for index in range(start, end):
        if text[index] in stops:
            units.append((unit_start, index + 1))
            unit_start = index + 1
    units.append((unit_start, end))
    return [(a, b) for a, b in units if text[a:b].strip(CLAUSE_TAIL)]


def _top_level_parens(text: str, start: int, end: int):
    """(open, close) index pairs of outermost parentheses that close on their own line."""
    index = start
    while index < end:
        if text[index] in OPENERS:
            depth, cursor = 0, index
            while cursor < end:
                ch = text[cursor]
                if ch in OPENERS:
                    depth += 1
                elif ch in CLOSERS:
                    depth -= 1
                    if depth == 0:
                        break
                elif ch == "\n":
                    cursor = end
                    break
                cursor += 1
            if cursor < end:
                yield index, cursor
                index = cursor + 1
                continue
        index += 1
