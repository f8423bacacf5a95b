from rest_framework.routers import SimpleRouter

from .views import SummaryViewSet

router = SimpleRouter()
router.register("summaries", SummaryViewSet, basename="summary")
urlpatterns = router.urls
