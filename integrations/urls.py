"""/o/: the OAuth 2.0 token endpoint of county systems (client credentials only)."""

from django.urls import path
from oauth2_provider import views as oauth2_views

app_name = "oauth2_provider"
urlpatterns = [
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
]
