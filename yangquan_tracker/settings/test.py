"""Settings for the test suite: the real settings, plus what only tests want."""

import os

# Tests never need a real secret; production refuses to start without one.
os.environ.setdefault("IGNORE_DOTENV", "true")  # tests do not depend on a local .env
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402,F403

# Hashing passwords the production way makes every login in a test slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / ".test-media"  # noqa: F405

# Jobs run in the test's own process unless a test starts a real worker
# (see conftest.py and the worker tests).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_DATA_DIR = BASE_DIR / ".test-celery"  # noqa: F405

# The seeding commands (load_demo, load_scale) run in tests; production refuses them.
DEMO_DATA_ALLOWED = True
