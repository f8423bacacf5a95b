from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Errors outside any view (an unknown /api/ URL, a body too large to read, an
# unhandled exception): JSON for /api/, Chinese pages elsewhere (core.views).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page is for people: logged out, it sends them to the login page.
    # The split view serves its start-up script as a file (no inline script: CSP).
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    path("api/v1/", include("yangquan_tracker.api_urls")),
    # County systems get their access tokens here (integrations, OAuth 2.0 client credentials).
    path("o/", include("integrations.urls")),
    path("", include("notifications.urls")),
    # Before tasks: /plans/import/ is not a plan's slug.
    path("", include("plan_import.urls")),
    path("", include("tasks.urls")),
    path("", include("summaries.urls")),
    path("", include("reports.urls")),
    path("", include("milestones.urls")),
    path("", include("supervision.urls")),
    path("", include("dashboard.urls")),
    path("", include("public.urls")),
]
