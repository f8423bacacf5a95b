"""What the public page (政务公开) shows of a plan: approved, signed-off state only.

Shown: each work item of the plan with its answerable bodies (牵头, or 负责 where no
body leads) and, for each, the latest *approved* report's status, percent and
进展情况; whether the bureau signed the item off (办结) and when; the dated steps
per county, counting only lines the bureau confirmed. Never shown: people's
names, drafts or reports under review, evidence files, and 存在问题 unless the
bureau marked that report's problems publishable (`ProgressReport.problems_public`).

Built in six queries whatever the size of the plan, then cached for
`PUBLIC_PAGE_CACHE_SECONDS` (default 300): most visits cost no query at all.
"""

from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from milestones.models import ChecklistLine, LineState, Milestone
from reports.models import ProgressReport
from supervision.models import SignOff, SignOffState
from tasks.models import Assignment, Plan, Role, Task

CACHE_PREFIX = "public:plan:"
SHARES_LISTED = 12  # above this many answerable bodies, a work item shows counts by status


def cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 300))


def public_plans() -> list[dict]:
    key = CACHE_PREFIX + ":index"
    plans = cache.get(key)
    if plans is None:
        plans = list(Plan.objects.order_by("-issued_on").values("slug", "title", "issued_on"))
        cache.set(key, plans, cache_seconds())
    return plans


def public_plan(slug: str) -> dict | None:
    """The public figures of one plan (None when there is no such plan); cached."""
    key = CACHE_PREFIX + slug
    data = cache.get(key)
    if data is None:
        data = _build(slug) or {}
        cache.set(key, data, cache_seconds())
    return data or None


def public_cache_clear(slug: str) -> None:
    cache.delete(CACHE_PREFIX + slug)


STATUS = dict(ProgressReport.Status.choices)
ROLE = dict(Role.choices)


def _build(slug: str) -> dict | None:
    plan = (
        Plan.objects.filter(slug=slug)
        .values("pk", "slug", "title", "document_number", "issued_on", "starts_on", "ends_on")
        .first()
    )
    if plan is None:
        return None
    clauses = list(
        Task.objects.filter(plan_id=plan["pk"], kind=Task.Kind.CLAUSE, origin=Task.Origin.PLAN)
        .order_by("order")
        .values("pk", "code", "title", "due_date")
    )
    approved = "progress__approved_report__"
    shares = (
        Assignment.objects.filter(
            task__plan_id=plan["pk"], task__origin=Task.Origin.PLAN, is_active=True
        )
        .filter(role__in=[Role.LEAD, Role.RESPONSIBLE])
        .order_by("task_id", "role", "department__order", "pk")
        .values(
            "task_id",
            "role",
            "deadline",
            "department__short_name",
            approved + "status",
            approved + "percent",
            approved + "progress",
            approved + "problems",
            approved + "problems_public",
            approved + "reviewed_at",
        )
    )
    by_task: dict[int, list[dict]] = {}
    for s in shares:
        by_task.setdefault(s["task_id"], []).append(s)
    signed = dict(
        SignOff.objects.filter(task__plan_id=plan["pk"], state=SignOffState.SIGNED).values_list(
            "task_id", "signed_at"
        )
    )
    items = []
    for clause in clauses:
        rows = by_task.get(clause["pk"], [])
        # Where some body leads, those answer; otherwise every responsible body.
        leads = [r for r in rows if r["role"] == Role.LEAD] or rows
        shares = [_share(r) for r in leads]
        # A clause every county answers for has thousands of shares nationally: counted, not listed.
        many = len(shares) > SHARES_LISTED
        items.append(
            {
                "code": clause["code"],
                "title": clause["title"],
                "due_date": clause["due_date"] or plan["ends_on"],
                "signed_on": signed[clause["pk"]].date() if clause["pk"] in signed else None,
                "shares": [] if many else shares,
                "share_count": len(shares),
                "status_counts": sorted(Counter(s["status"] for s in shares).items())
                if many
                else [],
            }
        )
    return {
        "plan": plan,
        "items": items,
        "signed_count": sum(1 for i in items if i["signed_on"]),
        "steps": _steps(plan["pk"]),
    }


def _share(row: dict) -> dict:
    a = "progress__approved_report__"
    status = row[a + "status"]
    return {
        "body": row["department__short_name"],
        "role": str(ROLE[row["role"]]),
        "deadline": row["deadline"],
        "status": str(STATUS[status]) if status else "尚无审核通过的进展",
        "completed": status == ProgressReport.Status.COMPLETED,
        "percent": row[a + "percent"],
        "progress": row[a + "progress"] or "",
        "problems": (row[a + "problems"] or "") if row[a + "problems_public"] else "",
        "approved_on": row[a + "reviewed_at"].date() if row[a + "reviewed_at"] else None,
    }


def _steps(plan_id: int) -> dict:
    milestones = list(
        Milestone.objects.filter(plan_id=plan_id)
        .order_by("due_date", "order")
        .values("pk", "title", "due_date")
    )
    confirmed = Q(state=LineState.CONFIRMED)
    rows = (
        ChecklistLine.objects.filter(milestone__plan_id=plan_id)
        .values("department__region__name", "department__region__code", "milestone_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=confirmed),
            last=Max("completed_on", filter=confirmed),
        )
        .order_by("department__region__code")
    )
    counties: dict[str, dict] = {}
    for row in rows:
        county = counties.setdefault(
            row["department__region__code"],
            {"name": row["department__region__name"], "cells": {}},
        )
        county["cells"][row["milestone_id"]] = {
            "done": row["done"],
            "total": row["total"],
            "complete": row["done"] == row["total"],
            "completed_on": row["last"] if row["done"] == row["total"] else None,
        }
    return {
        "milestones": milestones,
        "counties": [
            {"name": c["name"], "cells": [c["cells"].get(m["pk"]) for m in milestones]}
            for _code, c in sorted(counties.items())
        ],
    }
