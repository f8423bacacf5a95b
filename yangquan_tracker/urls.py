from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page is for people: logged out, it sends them to the login page.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("api/v1/", include("yangquan_tracker.api_urls")),
    path("", include("notifications.urls")),
    # Before tasks: /plans/import/ is not a plan's slug.
    path("", include("plan_import.urls")),
    path("", include("tasks.urls")),
    path("", include("summaries.urls")),
    path("", include("reports.urls")),
    path("", include("milestones.urls")),
    path("", include("supervision.urls")),
]
