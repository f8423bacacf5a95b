"""Reads for summaries: the periods with their summaries, a summary's versions."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from reports.models import ReportingPeriod

from .models import Summary, SummaryVersion


def periods_with_summaries() -> QuerySet[ReportingPeriod]:
    """Every period that has begun, newest first, each with its summary and its versions."""
    return (
        ReportingPeriod.objects.filter(starts_on__lte=timezone.localdate())
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "summaries",
                queryset=Summary.objects.select_related("submitted_version").prefetch_related(
                    Prefetch("versions", queryset=SummaryVersion.objects.order_by("-number"))
                ),
            )
        )
        .order_by("plan_id", "-starts_on")
    )


def summary_detail() -> QuerySet[Summary]:
    return Summary.objects.select_related("plan", "period", "submitted_version").prefetch_related(
        Prefetch(
            "versions",
            queryset=SummaryVersion.objects.select_related("requested_by", "submitted_by").order_by(
                "-number"
            ),
        )
    )


def version_list() -> QuerySet[SummaryVersion]:
    return SummaryVersion.objects.select_related(
        "summary__plan", "summary__period", "requested_by", "submitted_by"
    ).order_by("-requested_at", "-pk")
