from rest_framework.routers import SimpleRouter

from .views import ExternalIdViewSet, WebhookViewSet

router = SimpleRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("external-ids", ExternalIdViewSet, basename="external-id")
urlpatterns = router.urls
