"""A small, hand-written summary: the tests' fixture and the README's sample page.

It also shows a collector how to build a `SummaryData`: plain values for the small
parts, generators for the big ones. Each call returns fresh generators (one render).
The figures are invented but consistent with the rows below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from .data import (
    AssignmentRow,
    BodyFigures,
    BodyKind,
    BodySection,
    ChecklistLineState,
    CopiedReport,
    Figures,
    InspectionFinding,
    Light,
    LightCounts,
    MilestoneProgress,
    Narrative,
    OverdueItem,
    Period,
    PilotLine,
    PilotTown,
    ReportStatus,
    Role,
    RoleCounts,
    StatusCounts,
    SummaryData,
    SummaryHeader,
)

PERIOD = Period(
    code="2019H1", title="2019年上半年", starts_on=date(2019, 1, 1), ends_on=date(2019, 6, 30)
)

COPIED_TEXT = (
    "已制定乡镇政府公共服务事项指导目录清单初稿，正在征求各乡镇和县直有关部门意见，"
    "计划于下月提交县政府常务会议审议。"
)

# body name → its rows; the figures of each body are computed from these.
ROWS: dict[str, list[AssignmentRow]] = {
    "平定县人民政府": [
        AssignmentRow(
            task_code="三(二)1-1",
            task_title="制定乡镇政府公共服务事项指导目录清单",
            role=Role.RESPONSIBLE,
            deadline=date(2019, 10, 31),
            status=ReportStatus.IN_PROGRESS,
            percent=60,
            light=Light.GREEN,
            progress=COPIED_TEXT,
            problems="部分县直部门对下放事项认识不一致。",
            next_steps="9月底前完成清单审定并印发。",
        ),
        AssignmentRow(
            task_code="三(二)5-1",
            task_title="乡镇便民服务中心建设全覆盖",
            role=Role.RESPONSIBLE,
            deadline=date(2019, 6, 30),
            status=ReportStatus.COMPLETED,
            percent=100,
            light=Light.DONE,
            progress="全县10个乡镇便民服务中心全部建成并投入使用，实现“一站式”办理。",
        ),
    ],
    "盂县人民政府": [
        AssignmentRow(
            task_code="三(二)1-1",
            task_title="制定乡镇政府公共服务事项指导目录清单",
            role=Role.RESPONSIBLE,
            deadline=date(2019, 3, 31),
            status=ReportStatus.BLOCKED,
            percent=30,
            light=Light.RED,
            progress="已完成调研摸底，清单草案尚未形成。",
            problems="县直部门职责调整尚未到位，事项难以确定。",
            next_steps="协调县编办加快职责划分，7月底前形成草案。",
        ),
        AssignmentRow(
            task_code="三(二)5-1",
            task_title="乡镇便民服务中心建设全覆盖",
            role=Role.RESPONSIBLE,
            deadline=date(2019, 12, 31),
            status=ReportStatus.NOT_REPORTED,
            percent=None,
            light=Light.YELLOW,
        ),
    ],
    "市编办": [
        AssignmentRow(
            task_code="三(一)1-1",
            task_title="扩大乡镇政府服务管理权限",
            role=Role.LEAD,
            deadline=date(2019, 12, 31),
            status=ReportStatus.IN_PROGRESS,
            percent=50,
            light=Light.GREEN,
            progress="起草了《扩大乡镇政府服务管理权限的指导意见》，梳理拟下放事项86项。",
            problems="",
            next_steps="征求市直有关部门意见后报市政府审定。",
        ),
        AssignmentRow(
            task_code="三(一)1-2",
            task_title="制定乡镇指导村(居)委会和农村集体经济组织权责清单",
            role=Role.SUPPORT,
            deadline=date(2019, 9, 30),
            status=ReportStatus.IN_PROGRESS,
            percent=40,
            light=Light.YELLOW,
            progress="配合市民政局、市农委研究权责清单框架。",
        ),
    ],
    "市民政局": [
        AssignmentRow(
            task_code="三(一)1-2",
            task_title="制定乡镇指导村(居)委会和农村集体经济组织权责清单",
            role=Role.LEAD,
            deadline=date(2019, 9, 30),
            status=ReportStatus.IN_PROGRESS,
            percent=70,
            light=Light.GREEN,
            progress="权责清单（征求意见稿）已印发各县(区)征求意见，共收到修改建议23条。",
            problems="个别县(区)反馈不及时。",
            next_steps="8月底前修改完善后提请市政府印发。",
        ),
        AssignmentRow(
            task_code="三(二)1-5",
            task_title="基本社会服务",
            role=Role.LEAD,
            deadline=date(2020, 12, 31),
            status=ReportStatus.IN_PROGRESS,
            percent=45,
            light=Light.GREEN,
            progress="完成城乡低保、特困供养对象动态核查，发放各类救助资金。",
        ),
    ],
}

KINDS = {
    "平定县人民政府": BodyKind.COUNTY_GOVERNMENT,
    "盂县人民政府": BodyKind.COUNTY_GOVERNMENT,
    "市编办": BodyKind.CITY_DEPARTMENT,
    "市民政局": BodyKind.CITY_DEPARTMENT,
}


def body_figures(rows: list[AssignmentRow]) -> BodyFigures:
    """A body's figures from its rows (a collector computes them in SQL instead)."""
    roles = {role: sum(1 for r in rows if r.role == role) for role in Role}
    lights = {light: sum(1 for r in rows if r.light == light) for light in Light}
    percents = [r.percent for r in rows if r.percent is not None]
    return BodyFigures(
        by_role=RoleCounts(**{role.value: n for role, n in roles.items()}),
        by_light=LightCounts(**{light.value: n for light, n in lights.items()}),
        average_percent=sum(percents) / len(percents) if percents else None,
    )


def _sections(names: list[str]) -> Iterator[BodySection]:
    for name in names:
        rows = ROWS[name]
        yield BodySection(
            name=name, kind=KINDS[name], figures=body_figures(rows), rows=(r for r in rows)
        )


def sample_summary() -> SummaryData:
    """The sample: 2 counties, 2 departments, 8 rows, and one of everything else."""
    return SummaryData(
        header=SummaryHeader(
            plan_title="关于加强乡镇政府服务能力建设的实施方案",
            period=PERIOD,
            as_of=date(2019, 6, 30),
            generated_at=datetime(2019, 7, 10, 1, 30, tzinfo=UTC),
            document_date=date(2019, 7, 15),
        ),
        figures=Figures(
            tasks=46,
            assignments=8,
            by_light=LightCounts(red=1, yellow=2, green=4, done=1),
            by_status=StatusCounts(
                not_started=0, in_progress=5, completed=1, blocked=1, not_reported=1
            ),
            reports_approved=9,
            assignments_with_approved_report=7,
        ),
        previous_figures=Figures(
            tasks=46,
            assignments=8,
            by_light=LightCounts(red=0, yellow=4, green=4, done=0),
            by_status=StatusCounts(
                not_started=2, in_progress=3, completed=0, blocked=0, not_reported=3
            ),
            reports_approved=6,
            assignments_with_approved_report=5,
        ),
        narrative=Narrative(
            overview=(
                "上半年，各县(区)和市直各部门按照《方案》确定的任务分工，"
                "扎实推进乡镇政府服务能力建设，6个试点乡镇试点工作进展顺利。"
            ),
            problems="",
            next_steps="",
        ),
        counties=_sections(["平定县人民政府", "盂县人民政府"]),
        departments=_sections(["市编办", "市民政局"]),
        milestones=iter(
            [
                MilestoneProgress(
                    title="各县(区)制定全面推进工作实施方案、建立工作机制",
                    due=date(2019, 3, 31),
                    met=1,
                    total=2,
                    lines=iter(
                        [
                            ChecklistLineState("平定县", done=True, done_on=date(2019, 3, 20)),
                            ChecklistLineState("盂县", done=False),
                        ]
                    ),
                )
            ]
        ),
        pilot_towns=[
            PilotTown(
                town="张庄镇",
                county="平定县",
                lines=[
                    PilotLine("开展试点工作", done=True, done_on=date(2018, 12, 20)),
                    PilotLine("总结2018年试点工作", done=False),
                ],
            )
        ],
        overdue=iter(
            [
                OverdueItem(
                    body="盂县人民政府",
                    task_code="三(二)1-1",
                    task_title="制定乡镇政府公共服务事项指导目录清单",
                    deadline=date(2019, 3, 31),
                    days_overdue=91,
                    light=Light.RED,
                )
            ]
        ),
        copied_reports=iter(
            [
                CopiedReport(
                    body="平定县人民政府",
                    task_code="三(二)1-1",
                    task_title="制定乡镇政府公共服务事项指导目录清单",
                    progress=COPIED_TEXT,
                    previous_progress=COPIED_TEXT.replace("下月", "近期"),
                    similarity=0.96,
                )
            ]
        ),
        findings=iter(
            [
                InspectionFinding(
                    inspection="2019年5月市委督查室专项督查",
                    body="盂县人民政府",
                    finding="公共服务事项指导目录清单编制滞后。",
                    due=date(2019, 8, 31),
                    rectification="",
                )
            ]
        ),
    )
