"""Pages: the workbench home, the plan as a tree, one work item."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.models import Role as UserRole
from milestones.selectors import milestone_targets_for_department
from reports import permissions
from reports.models import ProgressReport
from reports.selectors import Light, assignment_list, latest_reports_for_task, report_list
from yangquan_tracker.history import timeline

from . import selectors
from .models import Assignment, Responsibility, Role, Task


@login_required
def home(request):
    """A body's own assignments grouped by role; the bureau's review queue."""
    user = request.user
    groups = []
    if user.department_id:
        mine = list(assignment_list(user=user).for_department(user.department_id).active())
        for role in Role:
            rows = [a for a in mine if a.role == role]
            if rows:
                groups.append((role.label, rows))
    to_review = ProgressReport.objects.none()
    if permissions.is_coordinator(user):
        to_review = report_list(user=user).filter(state=ProgressReport.State.SUBMITTED)
    elif user.role == UserRole.REVIEWER:
        to_review = report_list(user=user).filter(
            state=ProgressReport.State.SUBMITTED, assignment__department_id=user.department_id
        )
    steps = (
        list(milestone_targets_for_department(department_id=user.department_id))
        if user.department_id
        else []
    )
    counts = dict.fromkeys(Light.values, 0)
    for _label, rows in groups:
        for a in rows:
            counts[a.light] += 1
    return render(
        request,
        "tasks/home.html",
        {
            "groups": groups,
            "to_review": list(to_review[:50]),
            "light_counts": counts,
            "steps": steps,
        },
    )


@login_required
def plan_detail(request):
    """The whole plan as a tree (tasks are stored in reading order), clauses with their bodies."""
    plan = selectors.plan_list().first()
    tasks = list(selectors.task_list().filter(plan=plan).order_by("order")) if plan else []
    return render(request, "tasks/plan_detail.html", {"plan": plan, "tasks": tasks})


@login_required
def task_list(request):
    """Every responsibility clause, searchable, paginated."""
    queryset = selectors.task_list().filter(kind=Task.Kind.CLAUSE)
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(title__icontains=q) | queryset.filter(text__icontains=q)
    page = Paginator(queryset.order_by("plan_id", "order"), 25).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page, "q": q})


@login_required
def task_detail(request, task_id: int):
    """A work item: the plan's words, every body's share and latest report, the history."""
    task = get_object_or_404(selectors.task_list().select_related("parent__parent"), pk=task_id)
    assignments = list(assignment_list(user=request.user).filter(task=task))
    latest = latest_reports_for_task(task=task, user=request.user)
    for a in assignments:
        a.visible_report = latest.get(a.pk)
        a.mine = permissions.can_report_on(request.user, a)
    own_is_lead = any(a.mine and a.role == Role.LEAD for a in assignments)
    history = timeline(
        [
            (Task.history.filter(id=task.pk), lambda r: f"工作任务 {r.code}"),
            (
                Responsibility.history.filter(task_id=task.pk).select_related("department"),
                lambda r: f"责任分工 {r.written_as}",
            ),
            (
                Assignment.history.filter(task_id=task.pk).select_related("department"),
                lambda r: f"任务分解 {r.department.short_name}",
            ),
            (
                ProgressReport.history.filter(
                    assignment_id__in=_report_history_visible_for(request.user, assignments)
                ).select_related("assignment__department"),
                lambda r: f"{r.assignment.department.short_name}的进展填报",
            ),
        ]
    )
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "assignments": assignments,
            "own_is_lead": own_is_lead,
            "history": history[:200],
        },
    )


def _report_history_visible_for(user, assignments) -> list[int]:
    """Report history (drafts included) is for the body itself and the bureau only."""
    return [a.pk for a in assignments if permissions.can_see_unapproved(user, a.department_id)]
