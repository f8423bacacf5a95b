"""What a semi-annual summary (半年工作推进情况汇总) holds: the renderers' data contract.

The renderers (`write_docx`, `write_xlsx`, `summary_context`) are pure: they take a
`SummaryData` and never touch the database. Whoever collects the data (the summary
job) builds one from approved reports only and hands it over.

Scale and iteration — read this before building one
----------------------------------------------------
A national summary has ~2,844 counties and ~113,000 assignments, so the big parts are
*iterables*, not lists: `counties`, `departments`, each `BodySection.rows`,
`milestones`, each `MilestoneProgress.lines`, `overdue`, `copied_reports`, `findings`.

* A renderer iterates each iterable it uses **at most once, in field order**
  (`write_docx`: all of them; `write_xlsx`: `counties`, `departments` and their
  rows), and keeps nothing of a body after moving on to the next one. A generator
  (for example over `QuerySet.iterator()`) is therefore enough for one render.
  (`summary_context` stays lazy too, but Django's `{% for %}` lists what it loops
  over: the HTML page is for a city's summary, not a national one.)
* A generator is spent after one render. To render the same data twice (a .docx
  *and* an .xlsx), either build a fresh `SummaryData` per output, or pass
  *re-iterable* objects: anything whose `__iter__` starts a fresh pass, e.g.
  `class Rows: def __iter__(self): return iter(qs.iterator(chunk_size=2000))`.
* Sections are consumed body by body: the renderer takes a `BodySection`, writes
  its heading and figures, then drains its `rows`, then asks for the next body.
  A generator of sections may therefore open each body's row query lazily (on
  PostgreSQL two `.iterator()` cursors are then open at once, which needs a
  transaction around the render).
* A body's figures are written *before* its rows, so they come with the section
  (aggregated in SQL), not counted from the rows on the way.
* Excerpts: the .docx cuts each text cell to `docx.DOCX_EXCERPT_CHARS` (200)
  characters; the .xlsx keeps the full text (up to Excel's 32,767). Collectors
  need not cut. Characters XML cannot hold (control characters) are dropped.

Small parts (header, figures, narrative, the six pilot towns) are plain values.

Strings are data and go into the documents as they are (Simplified Chinese); the
enumerations' labels are translatable (`gettext_lazy`). Enumeration values are the
same strings the models use (`tasks.models.Role`, `ProgressReport.Status`,
`departments.models.DepartmentKind`, `reports.selectors.Light` plus `done`), so a
collector can write `Role(assignment.role)`; a test keeps them in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AssignmentRow",
    "BodyFigures",
    "BodyKind",
    "BodySection",
    "ChecklistLineState",
    "CopiedReport",
    "Figures",
    "InspectionFinding",
    "Light",
    "LightCounts",
    "MilestoneProgress",
    "Narrative",
    "OverdueItem",
    "Period",
    "PilotLine",
    "PilotTown",
    "ReportStatus",
    "Role",
    "RoleCounts",
    "StatusCounts",
    "SummaryData",
    "SummaryHeader",
]


# --- Enumerations (values match the models; labels are what documents show) ---------


class Light(models.TextChoices):
    """Traffic light of an assignment as of the summary's `as_of` date."""

    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")
    DONE = "done", _("已完成")


class ReportStatus(models.TextChoices):
    """Status from the latest approved report of the period, or NOT_REPORTED."""

    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    BLOCKED = "blocked", _("受阻")
    NOT_REPORTED = "not_reported", _("未报送")


class Role(models.TextChoices):
    """A body's part in a work item (分工)."""

    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")
    RESPONSIBLE = "responsible", _("负责")
    GUIDE = "guide", _("指导")


class BodyKind(models.TextChoices):
    """What kind of body a section is about (values of `DepartmentKind`)."""

    COUNTY_GOVERNMENT = "county_government", _("县(区)人民政府")
    COUNTY_PARTY_COMMITTEE = "county_party_committee", _("县(区)委")
    CITY_DEPARTMENT = "city_department", _("市直部门")
    PARTY_ORGAN = "party_organ", _("党委机关")
    MASS_ORGANISATION = "mass_organisation", _("人民团体")


# --- Header -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period (报告期), e.g. code "2019H1", title "2019年上半年"."""

    code: str
    title: str
    starts_on: date
    ends_on: date

    @property
    def half(self) -> int:
        """1 for the first half of the year (上半年), 2 for the second."""
        return 1 if self.starts_on.month <= 6 else 2


@dataclass(frozen=True, slots=True)
class SummaryHeader:
    """Who reports what to whom, and when.

    `title` overrides the document title; empty means the standard title
    "关于{period.title}乡镇政府服务能力建设工作推进情况的报告". A "\\n" in a title
    marks where the .docx breaks the line (the title is centred on two lines).
    """

    plan_title: str  # 关于加强乡镇政府服务能力建设的实施方案 (without 《》)
    period: Period
    as_of: date  # figures and lights as they stood on this day (截至)
    generated_at: datetime  # when the data was collected (document metadata only)
    document_date: date  # 成文日期 printed under the issuing body
    addressee: str = "市委、市政府"  # 主送, without the trailing colon
    issuer: str = "阳泉市民政局"  # 发文机关署名
    title: str = ""


# --- Figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LightCounts:
    """Assignments by traffic light."""

    red: int = 0
    yellow: int = 0
    green: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.done

    def items(self) -> list[tuple[Light, int]]:
        """(light, count) in reading order: done, green, yellow, red."""
        return [
            (Light.DONE, self.done),
            (Light.GREEN, self.green),
            (Light.YELLOW, self.yellow),
            (Light.RED, self.red),
        ]


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Assignments by the status of their latest approved report in the period."""

    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    blocked: int = 0
    not_reported: int = 0

    @property
    def total(self) -> int:
        return (
            self.not_started + self.in_progress + self.completed + self.blocked + self.not_reported
        )

    def items(self) -> list[tuple[ReportStatus, int]]:
        return [(status, getattr(self, status.value)) for status in ReportStatus]


@dataclass(frozen=True, slots=True)
class RoleCounts:
    """A body's assignments by role."""

    lead: int = 0
    support: int = 0
    responsible: int = 0
    guide: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.support + self.responsible + self.guide

    def items(self) -> list[tuple[Role, int]]:
        return [(role, getattr(self, role.value)) for role in Role]


@dataclass(frozen=True, slots=True)
class Figures:
    """Headline figures (总体情况) of one period.

    `assignments_with_approved_report` counts assignments that have at least one
    approved report in the period; `reports_approved` counts the reports themselves.
    """

    tasks: int  # work items (责任条款) of the plan
    assignments: int  # their shares (任务分解)
    by_light: LightCounts
    by_status: StatusCounts
    reports_approved: int
    assignments_with_approved_report: int

    @property
    def reported_share(self) -> float | None:
        """Share (0..1) of assignments with an approved report; None without assignments."""
        if not self.assignments:
            return None
        return self.assignments_with_approved_report / self.assignments


@dataclass(frozen=True, slots=True)
class BodyFigures:
    """One body's figures; `average_percent` is None when nothing was reported."""

    by_role: RoleCounts
    by_light: LightCounts
    average_percent: float | None = None

    @property
    def assignments(self) -> int:
        return self.by_role.total


# --- Narrative --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Narrative:
    """Text the coordinator writes; an empty part shows as "（待填写）".

    Paragraphs are separated by newlines; each becomes one indented paragraph.
    """

    overview: str = ""  # 总体情况 (after the figures)
    problems: str = ""  # 存在的主要问题
    next_steps: str = ""  # 下半年工作打算


# --- Per-body sections ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One assignment of a body, with its latest approved report of the period.

    Without an approved report in the period: `status` is NOT_REPORTED, `percent`
    None and the three texts empty; the documents then show "本期未报送".
    """

    task_code: str  # 三(二)5-1
    task_title: str
    role: Role
    deadline: date | None
    status: ReportStatus
    percent: int | None  # 0..100
    light: Light
    progress: str = ""  # 进展情况
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下步打算

    @property
    def reported(self) -> bool:
        return self.status != ReportStatus.NOT_REPORTED


@dataclass(frozen=True, slots=True)
class BodySection:
    """A county government or city department with its figures and its rows.

    `rows` is iterated once, after the figures have been written.
    """

    name: str  # as the documents should print it, unique within a summary
    kind: BodyKind
    figures: BodyFigures
    rows: Iterable[AssignmentRow]


# --- Dated steps, pilot towns -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistLineState:
    """One county's or town's line (节点任务清单) of a dated step."""

    unit: str  # 平定县 / 冠山镇
    county: str = ""  # for a town, its county; empty for a county's own line
    done: bool = False
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class MilestoneProgress:
    """A dated step (时间节点) due in the period; `met` of `total` lines are done."""

    title: str
    due: date
    met: int
    total: int
    lines: Iterable[ChecklistLineState] = ()


@dataclass(frozen=True, slots=True)
class PilotLine:
    """One checklist line of a pilot town."""

    title: str
    done: bool = False
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class PilotTown:
    """One of the six pilot towns (试点乡镇) and its checklist lines."""

    town: str
    county: str
    lines: Sequence[PilotLine] = ()


# --- Attention lists --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverdueItem:
    """An assignment past its deadline and not done (逾期事项)."""

    body: str
    task_code: str
    task_title: str
    deadline: date
    days_overdue: int
    light: Light = Light.RED


@dataclass(frozen=True, slots=True)
class CopiedReport:
    """A report whose 进展情况 repeats the previous period's (疑似应付式填报)."""

    body: str
    task_code: str
    task_title: str
    progress: str  # this period's 进展情况
    previous_progress: str  # the previous period's
    similarity: float  # 0..1, see summaries.similarity


@dataclass(frozen=True, slots=True)
class InspectionFinding:
    """An open inspection finding (督查发现) and how its rectification (整改) stands."""

    inspection: str  # which inspection found it
    body: str
    finding: str
    due: date | None = None
    rectification: str = ""  # 整改情况 so far


# --- The whole summary ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryData:
    """Everything one summary shows, for one plan and one period.

    Renderers iterate the iterable fields once each, in this order: counties,
    departments, milestones (and each one's lines), overdue, copied_reports,
    findings. `previous_figures` is None for a plan's first period (no change shown).
    """

    header: SummaryHeader
    figures: Figures
    previous_figures: Figures | None
    narrative: Narrative
    counties: Iterable[BodySection]  # 各县(区): county governments (and committees)
    departments: Iterable[BodySection]  # 市直各部门: departments, party organs, mass orgs
    milestones: Iterable[MilestoneProgress] = ()
    pilot_towns: Sequence[PilotTown] = ()
    overdue: Iterable[OverdueItem] = ()
    copied_reports: Iterable[CopiedReport] = ()
    findings: Iterable[InspectionFinding] = ()

    def bodies(self) -> Iterator[BodySection]:
        """Counties then departments, one pass over each."""
        yield from self.counties
        yield from self.departments
