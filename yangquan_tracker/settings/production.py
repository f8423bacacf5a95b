"""Production: refuses to start without a secret and a real database; HTTPS by default.

Behind the intranet's reverse proxy the app sees plain HTTP with
`X-Forwarded-Proto: https`. Every HTTPS default can be switched off by the
environment for an intranet that serves plain HTTP (SECURE_COOKIES=false,
SSL_REDIRECT=false, HSTS_SECONDS=0).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not env.str("DATABASE_URL", default="") and not env.bool("ALLOW_SQLITE", False):
    # Production keeps years of reports: refuse to fall back to a file database.
    raise ImproperlyConfigured("DATABASE_URL must be set in production (or ALLOW_SQLITE=true).")
