"""Pages of the plan itself: the plan as a tree, the searchable list of work items."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from . import selectors
from .models import Task


@login_required
def plan_detail(request):
    """The whole plan as a tree (tasks are stored in reading order), clauses with their wording."""
    plan = selectors.plan_list().first()
    tasks = list(Task.objects.filter(plan=plan).order_by("order").defer("text")) if plan else []
    return render(request, "tasks/plan_detail.html", {"plan": plan, "tasks": tasks})


@login_required
def task_list(request):
    """Every responsibility clause, searchable, paginated."""
    queryset = Task.objects.clauses().select_related("plan")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(text__icontains=q))
    page = Paginator(queryset.order_by("plan_id", "order"), 25).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page, "q": q})
