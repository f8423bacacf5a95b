"""Three features that once could be switched off with the suite staying green.

Each test here fails when its feature is broken: the task search ignoring `?q=`,
the home page's light counts stuck at 0, the reviewer's queue switched off.
"""

import re
from collections import Counter

import pytest
from django.db.models import Q
from django.utils import timezone

from accounts.models import UserRole
from reports import services
from reports.selectors import spans_on
from tasks.models import Assignment, Task
from tests.factories import UserFactory

from .conftest import browser_for

pytestmark = pytest.mark.django_db


def _listed_codes(response) -> list[str]:
    return [t.code for t in response.context["page"]]


def test_the_task_search_finds_exactly_the_clauses_that_mention_the_words(member):
    client = browser_for(member)
    clauses = Task.objects.clauses()
    expected = set(
        clauses.filter(Q(title__icontains="执法") | Q(text__icontains="执法")).values_list(
            "code", flat=True
        )
    )
    assert 0 < len(expected) < clauses.count()

    found = client.get("/tasks/", {"q": "执法"})
    nothing = client.get("/tasks/", {"q": "没有这样的词语组合"})

    assert set(_listed_codes(found)) == expected
    assert found.context["page"].paginator.count == len(expected)
    assert nothing.context["page"].paginator.count == 0
    assert client.get("/tasks/").context["page"].paginator.count == clauses.count()


def test_the_home_page_counts_the_bodys_lights(member, body, assignment, make_report, reviewer):
    make_report(assignment, by=member, state="approved", status="completed", percent=100)
    expected = Counter(
        spans_on(timezone.localdate())
        .filter(assignment__department=body, assignment__is_active=True)
        .values_list("light", flat=True)
    )
    assert expected["done"] == 1 and sum(expected.values()) == body.assignments.count()

    html = browser_for(member).get("/").content.decode()

    shown = {
        light: int(n)
        for light, n in re.findall(
            r'data-light-count="(\w+)">.*?</span>\s*(\d+)</span>', html, re.S
        )
    }
    assert shown == {light: expected.get(light, 0) for light in ("red", "yellow", "green", "done")}


def test_the_reviewer_sees_what_waits_for_them_and_nothing_else(
    member, reviewer, body, assignment, make_report
):
    waiting = make_report(assignment, by=member, state="submitted")
    other = Assignment.objects.filter(department=body).exclude(pk=assignment.pk).first()
    own = services.report_create(assignment=other, by=reviewer, progress="审核人自己写的")
    services.report_submit(report=own, by=reviewer)

    queue = browser_for(reviewer).get("/").context["to_review"]
    assert [r.pk for r in queue] == [waiting.pk]  # not the one they wrote themselves

    services.report_approve(report=waiting, by=reviewer)
    assert browser_for(reviewer).get("/").context["to_review"] == []
    staff_home = browser_for(UserFactory(role=UserRole.STAFF, department=body)).get("/")
    assert staff_home.context["to_review"] == []
