from rest_framework.routers import SimpleRouter

from .views import AssignmentViewSet, ProgressReportViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
urlpatterns = router.urls
