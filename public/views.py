"""The public progress page (政务公开): anonymous, read-only, cached (public.selectors)."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors


# Read-only and mostly served from the cache: no transaction around them.
@transaction.non_atomic_requests
@require_safe
def public_index(request):
    return render(request, "public/index.html", {"plans": selectors.public_plans()})


@transaction.non_atomic_requests
@require_safe
def public_plan(request, slug: str):
    data = selectors.public_plan(slug)
    if data is None:
        raise Http404("没有这个实施方案。")
    return render(request, "public/plan.html", {**data, "today": timezone.localdate()})
