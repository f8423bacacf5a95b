"""OpenAPI: the client-credentials flow of county systems as a security scheme."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ClientCredentialsScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.ClientCredentialsAuthentication"
    name = "countyClient"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "对接系统（各县区政务系统）：client_id + client_secret 换取访问令牌"
            "（有效期不超过1小时），请求时带 Authorization: Bearer 令牌。",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": settings.API_TOKEN_URL,
                    "scopes": {"read": "读取", "write": "填报和修改本单位的数据"},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        scope = "read" if auto_schema.method in ("GET", "HEAD", "OPTIONS") else "write"
        return {self.name: [scope]}
