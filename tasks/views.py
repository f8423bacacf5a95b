"""Pages of the plans themselves: the plans, one plan as a tree, the searchable work items."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from accounts.permissions import is_coordinator

from . import selectors
from .models import Task


@login_required
def plan_detail(request):
    """The plan, or, once there are several, the list of plans (each at /plans/<slug>/)."""
    plans = list(
        selectors.plan_list()
        .annotate(clause_count=_clause_count())
        .order_by("-issued_on", "pk")  # Meta.ordering does not apply to grouped queries
    )
    if len(plans) > 1:
        return render(
            request,
            "tasks/plan_list.html",
            {"plans": plans, "may_import": is_coordinator(request.user)},
        )
    return _plan_page(request, plans[0] if plans else None)


@login_required
def plan_show(request, slug: str):
    """One plan as a tree, by its slug."""
    return _plan_page(request, get_object_or_404(selectors.plan_list(), slug=slug))


def _clause_count():
    return Count("tasks", filter=Q(tasks__kind=Task.Kind.CLAUSE, tasks__origin=Task.Origin.PLAN))


def _plan_page(request, plan):
    """The whole plan as a tree (tasks are stored in reading order), clauses with their wording.

    Rectification items added after inspections (督查整改) are not the plan's
    text: they are left out here and listed on the inspections' pages.
    """
    tasks = list(selectors.plan_tree(plan=plan).defer("text")) if plan else []
    return render(
        request,
        "tasks/plan_detail.html",
        {"plan": plan, "tasks": tasks, "may_import": is_coordinator(request.user)},
    )


@login_required
def task_list(request):
    """Every responsibility clause, searchable, paginated."""
    queryset = Task.objects.clauses().select_related("plan")
    if request.GET.get("origin") in Task.Origin.values:
        queryset = queryset.filter(origin=request.GET["origin"])
    q = request.GET.get("q", "").strip()[:100]
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(text__icontains=q))
    page = Paginator(queryset.order_by("plan_id", "order"), 25).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page, "q": q})
