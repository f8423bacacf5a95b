"""The scopes a client may ask for: those its coordinator gave it (ApiClient.scopes)."""

from oauth2_provider.scopes import SettingsScopes


class ClientScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        from .models import ApiClient

        client = ApiClient.objects.filter(application=application).first()
        if client is None or client.revoked_at is not None:
            return []
        return client.scope_list

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)
