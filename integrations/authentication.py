"""Bearer tokens of county systems (OAuth 2.0 client credentials).

A client's token carries no user (client credentials); it acts as the client's
service account, a staff member of its body, so every permission rule that applies to
that body's staff applies to it and no other. On top of those rules:

- a revoked client is refused at once (its tokens are also deleted on revocation);
- a token acts within its scopes: `read` for GET/HEAD/OPTIONS, `write` for anything
  else (403 otherwise), whatever the view's own permission classes say;
- the client's last use is recorded (at most once a minute);
- its PUT/PATCH must carry If-Match (core.api.ETagMixin answers 428 otherwise).
"""

from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS

from .models import ApiClient
from .services import api_client_touch


class ClientCredentialsAuthentication(OAuth2Authentication):
    www_authenticate_realm = "api"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = (
            ApiClient.objects.select_related("user", "department")
            .filter(application_id=token.application_id)
            .first()
        )
        if client is None or client.revoked_at is not None or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("该对接系统已停用或不存在。"))
        needed = "read" if request.method in SAFE_METHODS else "write"
        if not token.allow_scopes([needed]):
            raise exceptions.PermissionDenied(
                _("访问令牌没有“%(scope)s”权限。") % {"scope": needed}
            )
        api_client_touch(client=client)
        request._request.api_client = client
        # A system must say which version it changes (core.api.ETagMixin): 428 without If-Match.
        request._request.require_if_match = True
        return client.user, token


def api_client_of(request) -> ApiClient | None:
    """The client a request came from (None: a person, by session or personal token)."""
    return getattr(getattr(request, "_request", request), "api_client", None)
