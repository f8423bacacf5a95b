from rest_framework.routers import SimpleRouter

from .views import ChecklistLineViewSet, MilestoneViewSet

router = SimpleRouter()
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("checklist-lines", ChecklistLineViewSet, basename="checklist-line")
urlpatterns = router.urls
