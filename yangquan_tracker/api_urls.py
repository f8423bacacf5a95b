from django.urls import include, path

from accounts.api.views import MeView
from core.api import api_root_view

ENDPOINTS = [
    "plan",
    "task",
    "milestone",
    "department",
    "region",
    "assignment",
    "progress-report",
    "period",
    "notification",
    "summary",
    "checklist-line",
    "reminder",
    "sign-off",
    "inspection",
    "dashboard",
    "webhook",
    "external-id",
]

urlpatterns = [
    path("", api_root_view(ENDPOINTS), name="api-root"),
    path("me/", MeView.as_view(), name="me"),
    path("", include("departments.api.urls")),
    path("", include("tasks.api.urls")),
    path("", include("milestones.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("summaries.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("dashboard.api.urls")),
    # County systems' webhook subscriptions (integrations).
    path("", include("integrations.api.urls")),
]
