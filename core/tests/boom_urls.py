"""The project's URLs plus two views that fail, for the tests of error handling and logging."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from yangquan_tracker.urls import *  # noqa: F403  (handler400…handler500 too)
from yangquan_tracker.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise ZeroDivisionError("a page failed")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_boom(request):
    raise ZeroDivisionError("an API call failed")


urlpatterns = [path("boom/", boom), path("api/boom/", api_boom), *project_urlpatterns]
