"""Requests per county system (429 with Retry-After past the rate). People are not throttled here."""

from rest_framework.throttling import SimpleRateThrottle

from .authentication import api_client_of


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_cache_key(self, request, view):
        client = api_client_of(request)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
