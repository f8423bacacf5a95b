from rest_framework.routers import SimpleRouter

from .views import PlanViewSet, TaskViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
urlpatterns = router.urls
