"""The traffic light of an assignment, over time: the one place the rule is written.

The rule, as of a day D (thresholds in settings, see `LightRule`):

- **done** (已完成): the latest report approved by D says completed;
- **red** (红灯): D is past the deadline and it is not done; or the approved
  percent is `red_gap` points or more behind the share of the time elapsed
  (from the plan taking effect to the deadline);
- **yellow** (黄灯): the deadline is `yellow_days` days away or less; or the
  approved percent is `yellow_gap` points or more behind the time elapsed; or
  the latest approved report says blocked (受阻); or the last reporting period
  whose submission deadline has passed got no approved report;
- **green** (绿灯): on track. Before the plan takes effect, everything is green.

Only approved reports count, each from the day it was approved. The light is
piecewise constant: it can only change on the days computed by `_change_days`
(approvals, period deadlines, the deadline and the day `yellow_days` before it,
and the days the time elapsed overtakes the approved percent by a gap). So the
whole timeline of an assignment is a short list of spans, computed here in
Python from its approvals and stored (`reports.LightSpan`); every page, list,
count and as-of view then reads the stored spans with one indexed SQL lookup.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")
    DONE = "done", _("已完成")


# Worst first: what a list sorted by urgency shows first.
LIGHT_ORDER = (Light.RED, Light.YELLOW, Light.GREEN, Light.DONE)


@dataclass(frozen=True)
class LightRule:
    red_gap: int = 50
    yellow_gap: int = 25
    yellow_days: int = 30

    @classmethod
    def from_settings(cls) -> "LightRule":
        return cls(**settings.LIGHT_RULE)


@dataclass(frozen=True)
class Approval:
    """A report as approved: from `on` on, it is what counts."""

    on: date
    status: str
    percent: int
    period_id: int | None = None


@dataclass(frozen=True)
class PeriodDue:
    period_id: int
    ends_on: date
    due_on: date


@dataclass(frozen=True)
class Span:
    light: str
    starts_on: date
    ends_on: date | None  # inclusive; None: until further notice


COMPLETED = "completed"
BLOCKED = "blocked"


def light_on(
    day: date,
    *,
    start: date,
    deadline: date,
    approvals: Sequence[Approval],
    periods: Sequence[PeriodDue] = (),
    rule: LightRule | None = None,
) -> str:
    """The light on one day. `approvals` sorted by day (ties: the later one wins)."""
    rule = rule or LightRule.from_settings()
    if day < start:
        return Light.GREEN
    counted = [a for a in approvals if a.on <= day]
    latest = counted[-1] if counted else None
    if latest is not None and latest.status == COMPLETED:
        return Light.DONE
    if day > deadline:
        return Light.RED
    percent = latest.percent if latest else 0
    behind = _elapsed_percent(day, start, deadline) - percent
    if behind >= rule.red_gap:
        return Light.RED
    if (
        (deadline - day).days <= rule.yellow_days
        or behind >= rule.yellow_gap
        or (latest is not None and latest.status == BLOCKED)
        or _missed_last_period(day, start, counted, periods)
    ):
        return Light.YELLOW
    return Light.GREEN


def light_timeline(
    *,
    start: date,
    deadline: date,
    approvals: Iterable[Approval],
    periods: Iterable[PeriodDue] = (),
    rule: LightRule | None = None,
    since: date | None = None,
) -> list[Span]:
    """Every span of constant light from `since` (default `start`) on; the last is open-ended.

    `since` is the plan's own start when work is expected only later (from its
    issue date): the days between are green.
    """
    rule = rule or LightRule.from_settings()
    approvals = sorted(approvals, key=lambda a: a.on)
    periods = sorted(periods, key=lambda p: p.due_on)
    days = _change_days(start, deadline, approvals, periods, rule)
    if since is not None and since < start:
        days.insert(0, since)
    spans: list[Span] = []
    for day in days:
        light = light_on(
            day, start=start, deadline=deadline, approvals=approvals, periods=periods, rule=rule
        )
        if spans and spans[-1].light == light:
            continue
        if spans:
            spans[-1] = Span(spans[-1].light, spans[-1].starts_on, day - timedelta(days=1))
        spans.append(Span(light, day, None))
    return spans


def _elapsed_percent(day: date, start: date, deadline: date) -> float:
    total = (deadline - start).days
    if total <= 0:
        return 100.0
    return min(100.0, max(0.0, 100.0 * (day - start).days / total))


def _missed_last_period(
    day: date, start: date, counted: Sequence[Approval], periods: Sequence[PeriodDue]
) -> bool:
    """The last period whose submission deadline has passed has no approved report."""
    due = [p for p in periods if p.due_on < day and p.ends_on >= start]
    if not due:
        return False
    last = due[-1]
    return not any(a.period_id == last.period_id for a in counted)


def _day_elapsed_reaches(start: date, deadline: date, share: float) -> date | None:
    """The first day on which the time elapsed reaches `share` percent (None if never)."""
    if share > 100:
        return None
    total = (deadline - start).days
    if total <= 0:
        return start
    return start + timedelta(days=max(0, math.ceil(share * total / 100)))


def _change_days(
    start: date,
    deadline: date,
    approvals: Sequence[Approval],
    periods: Sequence[PeriodDue],
    rule: LightRule,
) -> list[date]:
    days = {start, deadline + timedelta(days=1), deadline - timedelta(days=rule.yellow_days)}
    days.update(a.on for a in approvals)
    days.update(p.due_on + timedelta(days=1) for p in periods)
    # Between two approvals the percent is constant: find where the time elapsed
    # overtakes it by each gap.
    percents = [(start, 0)] + [(a.on, a.percent) for a in approvals]
    for since, percent in percents:
        for gap in (rule.yellow_gap, rule.red_gap):
            day = _day_elapsed_reaches(start, deadline, percent + gap)
            if day is not None:
                days.add(max(day, since))
    return sorted(d for d in days if d >= start)
