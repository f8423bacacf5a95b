"""Production: refuses to start without a secret and a real database; HTTPS by default.

Behind the intranet's reverse proxy the app sees plain HTTP with
`X-Forwarded-Proto: https` (trusted: SECURE_PROXY_SSL_HEADER). Every HTTPS
default can be switched off by the environment for an intranet that serves
plain HTTP: SECURE_COOKIES=false, SSL_REDIRECT=false, HSTS_SECONDS=0
(see .env.example). With the defaults, `manage.py check --deploy` reports no
issues (core/tests/test_deploy.py).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Demo reports and synthetic counties never go into a production database.
DEMO_DATA_ALLOWED = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not env.str("DATABASE_URL", default="") and not env.bool("ALLOW_SQLITE", False):
    # Production keeps years of reports: refuse to fall back to a file database.
    raise ImproperlyConfigured("DATABASE_URL must be set in production (or ALLOW_SQLITE=true).")

# HTTPS. The proxy terminates TLS and says so in X-Forwarded-Proto; it must
# overwrite that header on every request (never pass a client's own through).
if env.bool("TRUST_X_FORWARDED_PROTO", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSP_ENABLED = env.bool("CSP_ENABLED", default=True)
if not CSP_ENABLED:
    CONTENT_SECURITY_POLICY = None
