"""Demo history (load_demo) and the national-shaped synthetic data set (load_scale).

Both refuse to run unless `settings.DEMO_DATA_ALLOWED` (off in production
settings). Both write through `seeding.writer`, which keeps every report's
history, the stored progress and the light spans as the services would have.

Synthetic rows are marked so nobody mistakes them for real ones: region codes
start with 99 (no real province has that code) and every synthetic region, body
and account name ends with “（模拟）”. Demo reports start with “【演示】”.
"""

import logging
import random
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.db.models import Exists, OuterRef
from simple_history.utils import bulk_create_with_history

from accounts.models import UserRole
from departments.models import Department, Region
from reports.models import ProgressReport, ReportingPeriod
from tasks.models import Assignment, Plan, Responsibility

from .stories import People, assignment_story
from .writer import reports_write

log = logging.getLogger("yangquan.seeding")

SYNTHETIC_MARK = "（模拟）"
SYNTHETIC_PREFIX = "99"  # region codes: no province uses 99
SYNTHETIC_CITY_CODE = "990000000000"
DEMO_PREFIX = "【演示】"
DEFAULT_PLAN_SLUG = "yq-2018-township-service"
DEMO_PERIODS = ("2018H2", "2019H1", "2019H2", "2020H1", "2020H2")
SCALE_PERIODS = 10  # closed half-years with reports, from the plan's first full one
TOWNS_PER_COUNTY = (12, 16)  # ~14 township-level units per county
COUNTY_BATCH = 100  # counties written (and committed) together


class SeedingRefused(Exception):
    """Demo or synthetic data asked for where it must not go (production settings)."""


def seeding_check_allowed() -> None:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise SeedingRefused(
            "演示/模拟数据不能写入生产环境：当前设置 DEMO_DATA_ALLOWED 为关闭"
            "（生产设置始终关闭；开发环境随 DEBUG 开启，也可设环境变量 DEMO_DATA_ALLOWED=true）。"
        )


def _plan(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise SeedingRefused(f"找不到实施方案“{slug}”：请先运行 python manage.py load_plan。")
    return plan


def _seed_user(username: str, role: str):
    """An inactive account that signs seeded reports (it cannot log in)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username, role=role, is_active=False, first_name=f"{username}{SYNTHETIC_MARK}"
        )
        user.set_unusable_password()
        user.save()
    return user


# --- load_demo -------------------------------------------------------------------


def _demo_people(plan: Plan) -> Callable[[int], People]:
    """Each body's reports are signed by its own demo staff and reviewer where they exist."""
    user_model = get_user_model()
    staff, reviewers = {}, {}
    for pk, department_id, role in user_model.objects.filter(
        department__isnull=False, role__in=[UserRole.STAFF, UserRole.REVIEWER], is_active=True
    ).values_list("pk", "department_id", "role"):
        (staff if role == UserRole.STAFF else reviewers).setdefault(department_id, pk)
    fallback_staff = _seed_user("demo_staff", UserRole.VIEWER).pk
    coordinator = (
        user_model.objects.filter(role=UserRole.COORDINATOR, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    ) or _seed_user("demo_reviewer", UserRole.VIEWER).pk

    def people(department_id: int) -> People:
        return People(
            staff_id=staff.get(department_id, fallback_staff),
            reviewer_id=reviewers.get(department_id, coordinator),
        )

    return people


@transaction.atomic
def demo_load(*, plan_slug: str = DEFAULT_PLAN_SLUG, seed: int = 2018) -> int:
    """Demo reports from every body on each of its assignments, 2018H2–2020H2.

    Idempotent: an assignment that already has a demo report gets nothing more.
    Returns how many reports were written.
    """
    seeding_check_allowed()
    plan = _plan(plan_slug)
    periods = list(
        ReportingPeriod.objects.filter(plan=plan, code__in=DEMO_PERIODS).order_by("starts_on")
    )
    if not periods:
        raise SeedingRefused("该方案还没有 2018H2–2020H2 的报告期：请先运行 load_plan。")
    has_demo = ProgressReport.objects.filter(
        assignment=OuterRef("pk"), progress__startswith=DEMO_PREFIX
    )
    assignments = list(
        Assignment.objects.filter(task__plan=plan, is_active=True)
        .exclude(department__short_name__endswith=SYNTHETIC_MARK)
        .exclude(Exists(has_demo))
        .order_by("pk")
        .values_list("pk", "department_id")
    )
    people = _demo_people(plan)
    plans = []
    for assignment_id, department_id in assignments:
        rng = random.Random(f"demo-{seed}-{assignment_id}")
        story = assignment_story(
            rng=rng,
            assignment_id=assignment_id,
            periods=periods,
            open_period=None,
            people=people(department_id),
            prefix=DEMO_PREFIX,
            copy_share=0.2,
        )
        if not story:  # every body shows something: report at least the first half-year
            story = assignment_story(
                rng=rng,
                assignment_id=assignment_id,
                periods=periods,
                open_period=None,
                people=people(department_id),
                prefix=DEMO_PREFIX,
                copy_share=0.2,
                miss_share=0,
            )
        plans.extend(story)
    reports_write(plans)
    return len(plans)


# --- load_scale ------------------------------------------------------------------


def _county_code(number: int) -> str:
    return f"{SYNTHETIC_PREFIX}{number:04d}000000"


def _collective_kinds(plan: Plan) -> list[tuple[Responsibility, str]]:
    """Each clause given to a collective (各县(区)人民政府), with the kind of body it expands to."""
    result = []
    for responsibility in (
        Responsibility.objects.filter(task__plan=plan, department__kind=Department.Kind.COLLECTIVE)
        .select_related("task", "department")
        .prefetch_related("department__members")
        .order_by("task__order", "order")
    ):
        kinds = Counter(m.kind for m in responsibility.department.members.all())
        if kinds:
            result.append((responsibility, kinds.most_common(1)[0][0]))
    return result


def _synthetic_city() -> Region:
    city = Region.objects.filter(code=SYNTHETIC_CITY_CODE).first()
    if city is None:
        city = Region(
            code=SYNTHETIC_CITY_CODE, name=f"模拟市{SYNTHETIC_MARK}", kind=Region.Kind.CITY
        )
        city.full_clean()
        city.save()
    return city


def _scale_periods(plan: Plan) -> tuple[list[ReportingPeriod], ReportingPeriod | None]:
    periods = list(
        ReportingPeriod.objects.filter(plan=plan, starts_on__gte=date(2018, 7, 1)).order_by(
            "starts_on"
        )
    )
    closed = [p for p in periods if p.is_locked][:SCALE_PERIODS]
    open_period = next((p for p in reversed(periods) if not p.is_locked), None)
    return closed, open_period


def scale_load(
    *,
    counties: int,
    seed: int = 2018,
    plan_slug: str = DEFAULT_PLAN_SLUG,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Add synthetic counties 1..`counties` (those not there yet) with their whole history.

    Each batch of counties is one transaction: regions (~14 towns each), one body
    per collective wording (county government, county party committee), their
    share of every collective clause, and reports over 10 half-years plus the
    open one. Memory holds one batch. Returns counts of what was written.
    """
    seeding_check_allowed()
    plan = _plan(plan_slug)
    collective = _collective_kinds(plan)
    closed, open_period = _scale_periods(plan)
    city = _synthetic_city()
    people = People(
        staff_id=_seed_user(f"scale_staff{SYNTHETIC_MARK}", UserRole.VIEWER).pk,
        reviewer_id=_seed_user(f"scale_reviewer{SYNTHETIC_MARK}", UserRole.VIEWER).pk,
    )
    existing = set(
        Region.objects.filter(
            kind=Region.Kind.COUNTY, code__startswith=SYNTHETIC_PREFIX
        ).values_list("code", flat=True)
    )
    todo = [n for n in range(1, counties + 1) if _county_code(n) not in existing]
    totals = Counter()
    for offset in range(0, len(todo), COUNTY_BATCH):
        numbers = todo[offset : offset + COUNTY_BATCH]
        with transaction.atomic():
            done = _scale_batch(
                numbers=numbers,
                seed=seed,
                city=city,
                plan=plan,
                collective=collective,
                closed=closed,
                open_period=open_period,
                people=people,
            )
        totals.update(done)
        if not connection.force_debug_cursor:
            # With DEBUG on, the log of bulk inserts would grow with the country. (A caller
            # that captures queries, e.g. a test, forces the log on and keeps it.)
            reset_queries()
        if progress:
            progress(
                f"counties {offset + len(numbers)}/{len(todo)}: "
                + ", ".join(f"{k}={v}" for k, v in sorted(totals.items()))
            )
    if todo and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, for the data it just got
    return dict(totals)


def _scale_batch(*, numbers, seed, city, plan, collective, closed, open_period, people) -> Counter:
    counties = [
        Region(
            code=_county_code(n),
            name=f"模拟{n:04d}县{SYNTHETIC_MARK}",
            kind=Region.Kind.COUNTY,
            parent=city,
        )
        for n in numbers
    ]
    counties = bulk_create_with_history(counties, Region, batch_size=1000)
    counties = list(Region.objects.filter(code__in=[c.code for c in counties]).order_by("code"))
    towns = []
    for county in counties:
        rng = random.Random(f"towns-{seed}-{county.code}")
        for t in range(1, rng.randint(*TOWNS_PER_COUNTY) + 1):
            towns.append(
                Region(
                    code=f"{county.code[:6]}{t:03d}000",
                    name=f"{county.name.removesuffix(SYNTHETIC_MARK)}第{t:02d}镇{SYNTHETIC_MARK}",
                    kind=Region.Kind.TOWN,
                    parent=county,
                )
            )
    bulk_create_with_history(towns, Region, batch_size=2000)

    kinds = sorted({kind for _r, kind in collective})
    suffix = {
        Department.Kind.COUNTY_GOVERNMENT: "人民政府",
        Department.Kind.COUNTY_PARTY_COMMITTEE: "委",
    }
    bodies = []
    for county in counties:
        number = int(county.code[2:6])
        base = county.name.removesuffix(SYNTHETIC_MARK)
        for k, kind in enumerate(kinds):
            bodies.append(
                Department(
                    short_name=f"{base}{suffix.get(kind, kind)}{SYNTHETIC_MARK}",
                    full_name=f"{base}{suffix.get(kind, kind)}{SYNTHETIC_MARK}",
                    kind=kind,
                    region=county,
                    order=100000 + number * 10 + k,
                )
            )
    bulk_create_with_history(bodies, Department, batch_size=2000)
    bodies = list(Department.objects.filter(region__in=counties, kind__in=kinds).order_by("order"))
    by_kind = {kind: [b for b in bodies if b.kind == kind] for kind in kinds}

    # The collective wordings stand for every county's body, synthetic ones included.
    through = Department.members.through
    links = {(r.department_id, body.pk) for r, kind in collective for body in by_kind[kind]}
    through.objects.bulk_create(
        [through(from_department_id=c, to_department_id=b) for c, b in sorted(links)],
        ignore_conflicts=True,
        batch_size=5000,
    )
    assignments = [
        Assignment(
            task_id=r.task_id,
            department_id=body.pk,
            role=r.role,
            responsibility_id=r.pk,
            deadline=r.task.due_date or plan.ends_on,
        )
        for r, kind in collective
        for body in by_kind[kind]
    ]
    bulk_create_with_history(assignments, Assignment, batch_size=2000)
    ids = list(
        Assignment.objects.filter(department__in=bodies).order_by("pk").values_list("pk", flat=True)
    )
    plans = []
    for assignment_id in ids:
        rng = random.Random(f"scale-{seed}-{assignment_id}")
        plans.extend(
            assignment_story(
                rng=rng,
                assignment_id=assignment_id,
                periods=closed,
                open_period=open_period,
                people=people,
            )
        )
    reports_write(plans)
    history = sum(len(p.steps) for p in plans)
    return Counter(
        counties=len(counties),
        towns=len(towns),
        bodies=len(bodies),
        assignments=len(ids),
        reports=len(plans),
        report_history=history,
    )
