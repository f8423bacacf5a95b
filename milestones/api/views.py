from rest_framework import viewsets

from milestones import selectors

from .serializers import MilestoneSerializer


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Dated steps of 二、目标步骤, each with its per-county / per-town checklist."""

    serializer_class = MilestoneSerializer
    queryset = selectors.milestone_list()
    filterset_fields = ["plan", "scope", "code"]
