"""Supervision's pieces on pages of the layers below (home, work item, assignment).

`reports` may not import `supervision` (layers), so its templates load these
tags instead: `{% load supervision %}` then `{% open_reminders user %}`,
`{% sign_off_panel task user %}`, `{% assignment_reminders assignment user %}`,
`{% may_chase user as chase %}`. Each costs a fixed number of queries.
"""

from django import template

from accounts.permissions import is_coordinator
from supervision import permissions, selectors
from supervision.forms import ReopenForm

register = template.Library()

HOME_LIMIT = 20


def _page(context) -> dict:
    """What the included templates need from the page: the request, CSRF and the day shown."""
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "as_of": context.get("as_of"),
    }


@register.simple_tag
def may_chase(user) -> bool:
    """`{% may_chase user as chase %}`: the bureau may send reminders (催办)."""
    return permissions.can_send_reminder(user)


@register.inclusion_tag("supervision/_open_reminders.html", takes_context=True)
def open_reminders(context, user):
    """Home page card: a body's reminders to sign for and answer; the bureau's overdue count."""
    data = _page(context)
    if context.get("as_of"):
        return data  # the home page as of a past day shows no inbox of today
    if is_coordinator(user):
        data["overdue"] = selectors.reminders_overdue_reply().count()
        return data
    data["reminders"] = list(selectors.reminders_open_for(user=user)[:HOME_LIMIT])
    return data


@register.inclusion_tag("supervision/_sign_off_panel.html", takes_context=True)
def sign_off_panel(context, task, user):
    """Work item page: finished (办结) or not; for the bureau, sign off or reopen."""
    data = _page(context)
    if not task.is_clause:
        return data
    sign_off = selectors.sign_off_of(task)
    may_act = not context.get("as_of") and permissions.can_sign_off(user)
    data.update(
        {
            "task": task,
            "sign_off": sign_off,
            "may_act": may_act,
            "blockers": selectors.sign_off_blockers(task=task)
            if may_act and not (sign_off and sign_off.is_signed)
            else [],
            "reopen_form": ReopenForm(),
            "history": selectors.sign_off_history(sign_off) if sign_off else [],
        }
    )
    return data


@register.inclusion_tag("supervision/_assignment_reminders.html", takes_context=True)
def assignment_reminders(context, assignment, user):
    """Assignment page: the reminders about this share, and a 催办 link for the bureau."""
    data = _page(context)
    reminders = list(selectors.reminders_for_assignment(assignment=assignment, user=user))
    for reminder in reminders:
        reminder.may_acknowledge = not context.get("as_of") and permissions.can_acknowledge(
            user, reminder
        )
    data.update(
        {
            "assignment": assignment,
            "reminders": reminders,
            "may_chase": not context.get("as_of") and permissions.can_send_reminder(user),
        }
    )
    return data
