from rest_framework.routers import SimpleRouter

from .views import InspectionViewSet, ReminderViewSet, SignOffViewSet

router = SimpleRouter()
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("sign-offs", SignOffViewSet, basename="sign-off")
router.register("inspections", InspectionViewSet, basename="inspection")
urlpatterns = router.urls
