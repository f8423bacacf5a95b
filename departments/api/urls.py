from rest_framework.routers import SimpleRouter

from .views import DepartmentViewSet, RegionViewSet

router = SimpleRouter(trailing_slash=True)
router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
urlpatterns = router.urls
