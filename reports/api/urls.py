from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, ProgressReportViewSet, ReportingPeriodViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("periods", ReportingPeriodViewSet, basename="period")
urlpatterns = router.urls
