"""Reads for places and bodies."""

from django.db.models import Prefetch, QuerySet

from .models import Department, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("parent", "successor")


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("region", "successor").prefetch_related(
        "aliases", Prefetch("members", queryset=Department.objects.order_by("order"))
    )
