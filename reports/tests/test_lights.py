"""The light rule (reports/lights.py), checked against a table written by hand.

The plan takes effect on 2018-11-09 (issued; it "starts" 2018-01-01). Half-year
reporting periods are due ten days after they end. Thresholds are the defaults:
red 50 points behind the time elapsed, yellow 25 behind or 30 days to go.

Three assignments:
- A: deadline 2020-12-31, never reports;
- B: deadline 2019-10-31, approved 30 % on 2019-01-05 (for 2018H2), 60 % on
  2019-07-05 (for 2019H1), completed on 2019-11-20 (for 2019H2);
- C: deadline 2020-12-31, approved "blocked" at 10 % on 2019-02-01 (for 2018H2).

The time elapsed was worked out by hand (days since 2018-11-09 over 783 days
for A and C, over 356 for B), e.g. on 2019-08-01 A is 33.8 % of the way.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from reports import services
from reports.lights import Approval, Light, LightRule, PeriodDue, light_on, light_timeline
from reports.models import ProgressReport
from reports.selectors import assignment_list, light_counts, with_light
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
)

START = date(2018, 11, 9)
RULE = LightRule(red_gap=50, yellow_gap=25, yellow_days=30)
PERIODS = [
    PeriodDue(1, date(2018, 12, 31), date(2019, 1, 10)),
    PeriodDue(2, date(2019, 6, 30), date(2019, 7, 10)),
    PeriodDue(3, date(2019, 12, 31), date(2020, 1, 10)),
    PeriodDue(4, date(2020, 6, 30), date(2020, 7, 10)),
    PeriodDue(5, date(2020, 12, 31), date(2021, 1, 10)),
]
A = {"deadline": date(2020, 12, 31), "approvals": []}
B = {
    "deadline": date(2019, 10, 31),
    "approvals": [
        Approval(date(2019, 1, 5), "in_progress", 30, 1),
        Approval(date(2019, 7, 5), "in_progress", 60, 2),
        Approval(date(2019, 11, 20), "completed", 100, 3),
    ],
}
C = {"deadline": date(2020, 12, 31), "approvals": [Approval(date(2019, 2, 1), "blocked", 10, 1)]}

R, Y, G, D = Light.RED, Light.YELLOW, Light.GREEN, Light.DONE
# day: (A, B, C) — each worked out by hand, reasons in the comments.
TABLE = {
    # before the plan took effect: nothing is expected yet
    date(2018, 10, 1): (G, G, G),
    # A 4.6 % elapsed; B 10.1 % elapsed, nothing due yet; C 4.6 %
    date(2018, 12, 15): (G, G, G),
    # A: 2018H2 was due 2019-01-10 and got nothing; B: 31.5 % vs 30 %, reported for 2018H2;
    # C: reported, but blocked
    date(2019, 3, 1): (Y, G, Y),
    # A: 28.5 % behind (≥ 25); B: 62.6 % vs 30 % = 32.6 behind; C: blocked
    date(2019, 6, 20): (Y, Y, Y),
    # A: 33.8 behind; B: 74.4 vs 60, reported for 2019H1; C: 2019H1 missed and blocked
    date(2019, 8, 1): (Y, G, Y),
    # B: 16 days to go
    date(2019, 10, 15): (Y, Y, Y),
    # B: past its deadline, not done
    date(2019, 11, 10): (Y, R, Y),
    # B: completed on 2019-11-20
    date(2019, 12, 1): (Y, D, Y),
    # A: 55.2 % elapsed with nothing (≥ 50 behind); C: 55.2 − 10 = 45.2 (< 50)
    date(2020, 1, 15): (R, D, Y),
    # C: 61.0 − 10 = 51 behind
    date(2020, 3, 1): (R, D, R),
    # after every deadline
    date(2021, 3, 1): (R, D, R),
}


@pytest.mark.parametrize("day", sorted(TABLE))
def test_the_rule_gives_the_lights_of_the_table(day):
    lights = tuple(
        light_on(day, start=START, periods=PERIODS, rule=RULE, **case) for case in (A, B, C)
    )
    assert lights == TABLE[day]


@pytest.mark.parametrize("case", [A, B, C], ids=["A", "B", "C"])
def test_the_stored_timeline_gives_the_same_light_as_the_rule_on_every_day(case):
    spans = light_timeline(start=START, periods=PERIODS, rule=RULE, **case)
    for span, following in zip(spans, spans[1:], strict=False):
        assert span.ends_on == following.starts_on - timedelta(days=1)
        assert span.light != following.light
    day = date(2018, 1, 1)
    while day <= date(2021, 12, 31):
        covering = [
            s for s in spans if s.starts_on <= day and (s.ends_on is None or day <= s.ends_on)
        ]
        expected = light_on(day, start=START, periods=PERIODS, rule=RULE, **case)
        assert (covering[0].light if covering else Light.GREEN) == expected, day
        day += timedelta(days=1)


def test_a_report_approved_at_60_percent_on_time_is_not_red():
    """What the bureau asked for: the diligent are told apart from the silent."""
    on_track = [Approval(date(2019, 12, 20), "in_progress", 60, 3)]
    assert (
        light_on(
            date(2020, 1, 15),
            start=START,
            deadline=date(2020, 12, 31),
            approvals=on_track,
            periods=PERIODS,
            rule=RULE,
        )
        == G
    )


def test_thresholds_come_from_settings(settings):
    settings.LIGHT_RULE = {"red_gap": 10, "yellow_gap": 5, "yellow_days": 30}
    assert light_on(date(2019, 8, 1), start=START, **A) == R


# --- the same table through the database, the selectors, "today" and ?as_of= ---


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


@pytest.fixture
def three_assignments(db):
    plan = PlanFactory(starts_on=date(2018, 1, 1), issued_on=START, ends_on=date(2020, 12, 31))
    periods = {}
    for n, (code, starts, ends) in enumerate(
        [
            ("2018H2", date(2018, 7, 1), date(2018, 12, 31)),
            ("2019H1", date(2019, 1, 1), date(2019, 6, 30)),
            ("2019H2", date(2019, 7, 1), date(2019, 12, 31)),
            ("2020H1", date(2020, 1, 1), date(2020, 6, 30)),
            ("2020H2", date(2020, 7, 1), date(2020, 12, 31)),
        ],
        start=1,
    ):
        periods[n] = ReportingPeriodFactory(
            plan=plan, code=code, starts_on=starts, ends_on=ends, due_on=ends + timedelta(days=10)
        )
    made = []
    for case in (A, B, C):
        assignment = AssignmentFactory(deadline=case["deadline"], responsibility__task__plan=plan)
        for approval in case["approvals"]:
            ProgressReportFactory(
                assignment=assignment,
                period=periods[approval.period_id],
                status=approval.status,
                percent=approval.percent,
                state=ProgressReport.State.APPROVED,
                reviewed_at=_at(approval.on),
            )
        made.append(assignment)
    services.lights_refresh(plan_ids=[plan.pk])
    return made


@pytest.mark.parametrize("day", sorted(TABLE))
def test_moving_today_gives_the_lights_of_the_table(three_assignments, day):
    with time_machine.travel(_at(day), tick=False):
        rows = {a.pk: a.light for a in assignment_list()}
    assert tuple(rows[a.pk] for a in three_assignments) == TABLE[day]


@pytest.mark.parametrize("day", sorted(TABLE))
def test_as_of_gives_the_same_lights_as_moving_today(three_assignments, day):
    rows = {a.pk: a.light for a in assignment_list(as_of=day)}
    assert tuple(rows[a.pk] for a in three_assignments) == TABLE[day]


def test_light_filter_and_counts_agree_with_the_rows(three_assignments):
    day = date(2019, 8, 1)
    ids = [a.pk for a in three_assignments]
    queryset = assignment_list(as_of=day).filter(pk__in=ids)
    yellow = {a.pk for a in with_light(queryset, Light.YELLOW, as_of=day)}
    assert yellow == {three_assignments[0].pk, three_assignments[2].pk}
    assert light_counts(queryset, as_of=day) == {"red": 0, "yellow": 2, "green": 1, "done": 0}


def test_as_of_shows_only_reports_approved_by_then(three_assignments):
    b = three_assignments[1]
    assert assignment_list(as_of=date(2019, 3, 1)).get(pk=b.pk).report_percent == 30
    assert assignment_list(as_of=date(2019, 8, 1)).get(pk=b.pk).report_percent == 60
    assert assignment_list(as_of=date(2018, 12, 1)).get(pk=b.pk).report_percent is None
