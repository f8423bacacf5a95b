"""The life of one assignment's reports over several half-years, made up but plausible.

Each half-year a body reports (or forgets to): most reports are submitted before
the period's deadline and approved; some are late, some returned once and fixed,
some blocked (受阻); some repeat the previous half-year's text nearly word for
word (what the summary flags as 应付式填报); a report still open when its period
closed is carried into the next (已结转), as `reports.services.period_close`
does. In the current open period the reports are in every state in the works:
draft, submitted, returned, approved.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from reports.models import ProgressReport, ReportingPeriod

from .writer import ReportPlan, Step

State = ProgressReport.State
Status = ProgressReport.Status

DONE_WORK = [
    "召开专题会议研究部署乡镇政府服务能力建设工作",
    "制定印发工作方案，明确责任分工和时间节点",
    "对辖区乡镇便民服务中心进行摸底调查",
    "完成乡镇机构职能梳理，编制权责清单",
    "推进公共服务事项进驻乡镇便民服务中心",
    "组织乡镇干部开展业务培训两期",
    "落实乡镇公共服务经费保障",
    "开展乡镇政府服务能力建设督导检查",
    "完善村（社区）综合服务设施建设",
    "推行“一门受理、一站办结”服务模式",
    "建立乡镇干部周转房和食堂保障机制",
    "整合基层网格员队伍，充实乡镇服务力量",
]
PROBLEMS = [
    "部分乡镇服务场所面积不足",
    "专业人才缺乏，业务能力有待提升",
    "经费保障渠道单一",
    "信息化平台尚未完全联通",
    "个别乡镇工作推进缓慢",
    "部门间协调机制不够顺畅",
]
NEXT_STEPS = [
    "加大督导力度，确保按期完成",
    "继续推进服务事项下放",
    "加强干部培训，提升服务水平",
    "完善考核办法，强化结果运用",
    "总结试点经验，全面推广",
]
RETURN_REASONS = [
    "进展情况过于笼统，请补充具体数据。",
    "佐证材料不全，请补充会议纪要。",
    "完成百分比与进展情况不符，请核实。",
]


@dataclass(frozen=True)
class People:
    staff_id: int
    reviewer_id: int


def _moment(day: date, rng: random.Random) -> datetime:
    clock = time(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, clock))


def _text(rng: random.Random, pool: list[str], n: int, prefix: str) -> str:
    return prefix + "；".join(rng.sample(pool, n)) + "。"


def _copied(text: str, rng: random.Random) -> str:
    """Last period's text with a word or two changed: what a hurried clerk sends again."""
    tweaks = [("召开", "组织召开"), ("推进", "持续推进"), ("开展", "深入开展"), ("两期", "三期")]
    for old, new in rng.sample(tweaks, len(tweaks)):
        if old in text:
            return text.replace(old, new, 1)
    return text + "（续）"


def assignment_story(
    *,
    rng: random.Random,
    assignment_id: int,
    periods: list[ReportingPeriod],
    open_period: ReportingPeriod | None,
    people: People,
    prefix: str = "",
    copy_share: float = 0.08,
    miss_share: float = 0.08,
) -> list[ReportPlan]:
    """Reports of one assignment over closed `periods` (oldest first) and the open one."""
    plans: list[ReportPlan] = []
    percent = 0
    speed = rng.randint(8, 30)
    last_progress = ""
    carried: ReportPlan | None = None
    for period in periods:
        if percent >= 100 and carried is None:
            break  # completed and approved: nothing left to report
        if carried is None and rng.random() < miss_share:
            last_progress = ""  # no report this half-year
            continue
        blocked = percent > 0 and rng.random() < 0.06
        if not blocked:
            percent = min(100, percent + speed + rng.randint(-5, 5))
            percent = max(percent, 1)
        if carried is not None:
            fields = {k: carried.fields[k] for k in ("status", "percent", "progress")}
            fields.update(
                problems=carried.fields["problems"], next_steps=carried.fields["next_steps"]
            )
            percent = fields["percent"]
        else:
            if last_progress and rng.random() < copy_share:
                progress = _copied(last_progress, rng)
            else:
                progress = _text(rng, DONE_WORK, rng.randint(2, 4), prefix)
            status = (
                Status.COMPLETED
                if percent >= 100
                else Status.BLOCKED
                if blocked
                else Status.IN_PROGRESS
            )
            fields = {
                "status": status,
                "percent": percent,
                "progress": progress,
                "problems": _text(rng, PROBLEMS, rng.randint(1, 2), prefix),
                "next_steps": _text(rng, NEXT_STEPS, rng.randint(1, 2), prefix),
            }
        last_progress = fields["progress"]
        will_carry = rng.random() < 0.04 and carried is None and period is not periods[-1]
        plan = _closed_period_report(
            rng, assignment_id, period, people, fields, carried, will_carry, periods
        )
        plans.append(plan)
        carried = plan if will_carry else None
    if open_period is not None and percent < 100 and rng.random() < 0.5:
        plans.append(_open_period_report(rng, assignment_id, open_period, people, percent, prefix))
    return plans


def _base(assignment_id, period, people, fields, created) -> dict:
    return {
        "assignment_id": assignment_id,
        "period_id": period.pk,
        "created_by_id": people.staff_id,
        "updated_by_id": people.staff_id,
        "created_at": created,
        **fields,
    }


def _closed_period_report(
    rng, assignment_id, period, people, fields, carried_from, will_carry, periods
) -> ReportPlan:
    created = _moment(period.ends_on - timedelta(days=rng.randint(5, 40)), rng)
    if carried_from is not None:
        created = _moment(period.starts_on, rng)
    report = _base(assignment_id, period, people, fields, created)
    first = Step(created, "+", people.staff_id, {"state": State.DRAFT, "version": 1})
    if carried_from is not None:
        first.user_id = None
        first.reason = f"结转自{carried_from.period_title}"
    steps = [first]
    report["_period_title"] = period.title
    if will_carry:
        # Left as a draft when the period closed: carried into the next one.
        closed = _moment(period.due_on + timedelta(days=1), rng)
        following = periods[periods.index(period) + 1]
        steps.append(
            Step(
                closed,
                "~",
                None,
                {"state": State.CARRIED, "version": 2},
                f"报告期关闭，结转至{following.title}",
            )
        )
        report.update(state=State.CARRIED, version=2, updated_at=closed)
        return _plan(report, steps, carried_from)
    late = rng.random() < 0.12
    submitted_day = (
        period.due_on + timedelta(days=rng.randint(1, 20))
        if late
        else period.ends_on + timedelta(days=rng.randint(-10, 9))
    )
    submitted = max(_moment(submitted_day, rng), created + timedelta(hours=1))
    version = 2
    steps.append(
        Step(
            submitted,
            "~",
            people.staff_id,
            {
                "state": State.SUBMITTED,
                "version": version,
                "submitted_at": submitted,
                "submitted_by_id": people.staff_id,
            },
        )
    )
    reviewed = submitted + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
    reason = ""
    if rng.random() < 0.1:
        reason = rng.choice(RETURN_REASONS)
        version += 1
        steps.append(
            Step(
                reviewed,
                "~",
                people.reviewer_id,
                {
                    "state": State.RETURNED,
                    "version": version,
                    "reviewed_at": reviewed,
                    "reviewed_by_id": people.reviewer_id,
                    "return_reason": reason,
                },
            )
        )
        report["return_reason"] = reason
        submitted = reviewed + timedelta(days=rng.randint(1, 4))
        version += 1
        steps.append(
            Step(
                submitted,
                "~",
                people.staff_id,
                {
                    "state": State.SUBMITTED,
                    "version": version,
                    "submitted_at": submitted,
                    "submitted_by_id": people.staff_id,
                    "reviewed_at": reviewed,
                    "reviewed_by_id": people.reviewer_id,
                    "return_reason": reason,
                },
            )
        )
        reviewed = submitted + timedelta(days=rng.randint(1, 3))
    version += 1
    steps.append(
        Step(
            reviewed,
            "~",
            people.reviewer_id,
            {
                "state": State.APPROVED,
                "version": version,
                "reviewed_at": reviewed,
                "reviewed_by_id": people.reviewer_id,
                "submitted_at": submitted,
                "submitted_by_id": people.staff_id,
                "return_reason": reason,
            },
        )
    )
    report.update(
        state=State.APPROVED,
        version=version,
        submitted_at=submitted,
        submitted_by_id=people.staff_id,
        reviewed_at=reviewed,
        reviewed_by_id=people.reviewer_id,
        updated_at=reviewed,
        updated_by_id=people.reviewer_id,
    )
    return _plan(report, steps, carried_from)


def _open_period_report(rng, assignment_id, period, people, percent, prefix) -> ReportPlan:
    percent = min(99, max(1, percent + rng.randint(0, 15)))
    fields = {
        "status": Status.IN_PROGRESS,
        "percent": percent,
        "progress": _text(rng, DONE_WORK, rng.randint(2, 4), prefix),
        "problems": _text(rng, PROBLEMS, 1, prefix),
        "next_steps": _text(rng, NEXT_STEPS, 1, prefix),
    }
    now = timezone.now()
    created = min(now - timedelta(days=3), _moment(period.starts_on + timedelta(days=20), rng))
    report = _base(assignment_id, period, people, fields, created)
    report["_period_title"] = period.title
    steps = [Step(created, "+", people.staff_id, {"state": State.DRAFT, "version": 1})]
    state = rng.choice([State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED])
    report.update(state=State.DRAFT, version=1, updated_at=created)
    if state == State.DRAFT:
        return _plan(report, steps, None)
    submitted = created + timedelta(days=1)
    steps.append(
        Step(
            submitted,
            "~",
            people.staff_id,
            {
                "state": State.SUBMITTED,
                "version": 2,
                "submitted_at": submitted,
                "submitted_by_id": people.staff_id,
            },
        )
    )
    report.update(
        state=State.SUBMITTED,
        version=2,
        submitted_at=submitted,
        submitted_by_id=people.staff_id,
        updated_at=submitted,
    )
    if state == State.SUBMITTED:
        return _plan(report, steps, None)
    reviewed = submitted + timedelta(days=1)
    if state == State.RETURNED:
        reason = rng.choice(RETURN_REASONS)
        steps.append(
            Step(
                reviewed,
                "~",
                people.reviewer_id,
                {
                    "state": State.RETURNED,
                    "version": 3,
                    "reviewed_at": reviewed,
                    "reviewed_by_id": people.reviewer_id,
                    "return_reason": reason,
                },
            )
        )
        report.update(state=State.RETURNED, return_reason=reason)
    else:
        steps.append(
            Step(
                reviewed,
                "~",
                people.reviewer_id,
                {
                    "state": State.APPROVED,
                    "version": 3,
                    "reviewed_at": reviewed,
                    "reviewed_by_id": people.reviewer_id,
                },
            )
        )
        report.update(state=State.APPROVED)
    report.update(
        version=3,
        reviewed_at=reviewed,
        reviewed_by_id=people.reviewer_id,
        updated_at=reviewed,
        updated_by_id=people.reviewer_id,
    )
    return _plan(report, steps, None)


def _plan(report: dict, steps: list[Step], carried_from: ReportPlan | None) -> ReportPlan:
    # Each step's row shows the report as it stood then: fields not yet set are empty.
    blank = {
        "submitted_at": None,
        "submitted_by_id": None,
        "reviewed_at": None,
        "reviewed_by_id": None,
        "return_reason": "",
    }
    for step in steps:
        step.changes = {**blank, **step.changes}
        if step.kind == "+":
            step.changes.setdefault("updated_by_id", report["created_by_id"])
        elif step.user_id is not None:
            step.changes["updated_by_id"] = step.user_id
    fields = {k: v for k, v in report.items() if not k.startswith("_")}
    return ReportPlan(
        fields=fields,
        steps=steps,
        carried_from=carried_from,
        period_title=report["_period_title"],
    )
