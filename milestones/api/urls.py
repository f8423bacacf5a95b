from rest_framework.routers import SimpleRouter

from .views import MilestoneViewSet

router = SimpleRouter()
router.register("milestones", MilestoneViewSet, basename="milestone")
urlpatterns = router.urls
