"""Settings shared by every environment (local, test, production).

Everything that differs between a laptop, CI and production comes from the
environment (see `.env.example`) through one `environ.Env()`. The modules beside
this one only change defaults: `local` (DEBUG on, SQLite, no services needed),
`test`, and `production` (refuses to start without a secret and a database;
HTTPS-only by default).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if not env.bool("IGNORE_DOTENV", False):
    # `make run` writes a development .env (DEBUG on, a random key) on first use.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# Demo and synthetic data (load_demo, load_scale) may be written only where this is
# on: by default wherever DEBUG is; production settings switch it off for good.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "core",
    "accounts",
    "notifications",
    "departments",
    "tasks",
    "milestones",
    "reports",
    "plan_import",
    "summaries",
    "supervision",
    "seeding",
    "dashboard",
    "public",
    # County systems as API clients (OAuth 2.0 client credentials): docs/notes/countyapi.md
    "oauth2_provider",
    "integrations",
]

MIDDLEWARE = [
    # First: every log line of a request, and its 500 page, carry its id.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    # Idempotency-Key on API POSTs (integrations; outside the request's transaction).
    "integrations.middleware.IdempotencyMiddleware",
    "integrations.middleware.ExternalIdMiddleware",
    "core.as_of.AsOfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yangquan_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.as_of.as_of_context",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "yangquan_tracker.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Persistent connections: a request does not pay for a new connection (and its
# authentication) each time; the health check drops a connection the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out usernames before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password reset: by e-mail where mail is configured (EMAIL_HOST set), otherwise
# by a one-time link a coordinator issues in the admin (accounts.services).
# Either link works once and for PASSWORD_RESET_HOURS.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 3600
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_HOST)

# Lock a username after repeated failures, per username *and* address, for a
# finite time: nobody can lock a colleague out for good from another machine.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after a working day, and sooner when idle.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_SECONDS", default=10 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy (django-csp 4): only the app's own scripts, styles,
# fonts and images; no inline script or style anywhere (the API docs page uses
# drf-spectacular's split view and our own template for that). CSP_ENABLED=false
# turns the header off (e.g. to debug a page); production keeps it on.
CSP_ENABLED = env.bool("CSP_ENABLED", default=True)
CONTENT_SECURITY_POLICY = (
    {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            # Bootstrap and Swagger UI draw small icons as data: SVGs.
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'", "data:"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    }
    if CSP_ENABLED
    else None
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Evidence uploads (佐证材料). A file past EVIDENCE_MAX_BYTES is refused while it
# streams in (core.uploads.LimitedUploadHandler); a body that is not a file
# (JSON, a form) past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Links in e-mails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# SMTP once EMAIL_HOST is set; until then mails are written to the log (console).
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="renwu-genzong@localhost")

# Reporting. The light rule is documented in reports/lights.py.
LIGHT_RULE = {
    "red_gap": env.int("LIGHT_RED_GAP", default=50),
    "yellow_gap": env.int("LIGHT_YELLOW_GAP", default=25),
    "yellow_days": env.int("LIGHT_YELLOW_DAYS", default=30),
}
# Nobody approves a report they wrote or last changed.
REPORTS_SEPARATION_OF_DUTIES = env.bool("REPORTS_SEPARATION_OF_DUTIES", default=True)
# A half-year's reports are due this many days after it ends.
REPORTING_PERIOD_DUE_DAYS = env.int("REPORTING_PERIOD_DUE_DAYS", default=10)
# A reminder (催办) nobody has signed for after this many hours is escalated to the
# body's reviewers (supervision.tasks.reminders_escalate_task, hourly).
REMINDER_ESCALATE_AFTER_HOURS = env.int("REMINDER_ESCALATE_AFTER_HOURS", default=48)

# The public page (政务公开) is rebuilt at most this often (dashboard branch).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)

# Semi-annual summaries.
SUMMARY_COPY_THRESHOLD = env.float("SUMMARY_COPY_THRESHOLD", default=0.9)
SUMMARY_COPY_MIN_CHARS = env.int("SUMMARY_COPY_MIN_CHARS", default=20)
# Above this many bodies, the Excel ledger has one sheet for all (no sheet per body).
SUMMARY_XLSX_BODY_SHEETS_MAX = env.int("SUMMARY_XLSX_BODY_SHEETS_MAX", default=500)
# The scheduled job generates the draft of a period whose deadline passed within these days.
SUMMARY_GENERATE_WITHIN_DAYS = env.int("SUMMARY_GENERATE_WITHIN_DAYS", default=7)
# 催报: days before a period's deadline on which bodies that have not reported are reminded.
REPORT_DUE_REMINDER_DAYS = env.list("REPORT_DUE_REMINDER_DAYS", cast=int, default=[7, 3, 1])

REST_FRAMEWORK = {
    # Token first, so an anonymous API call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # County systems: Authorization: Bearer <token from /o/token/> (integrations).
        "integrations.authentication.ClientCredentialsAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Per county system only (people are not throttled); 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["integrations.throttling.ApiClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": env.str("API_CLIENT_RATE", default="600/min")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's, plus the error responses of every operation (core.schema).
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    # Size- and depth-limited (core.api): a huge or deeply nested body is a 413/400, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# --- County systems (integrations; docs/notes/countyapi.md) ----------------------
# OAuth 2.0 client credentials only: a client's token lasts at most an hour and carries
# the scopes its coordinator gave it (integrations.scopes).
API_TOKEN_URL = "/o/token/"
OAUTH2_PROVIDER = {
    "SCOPES": {"read": "读取", "write": "写入本单位的数据"},
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "integrations.scopes.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": min(env.int("API_TOKEN_SECONDS", default=3600), 3600),
    # Only client credentials are used; the rest follows RFC 9700 (OAuth 2.0 Security BCP),
    # access tokens included: stored hashed, never accepted in a query string.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# django-oauth-toolkit's models are swappable; migrations that point at them need the names.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
# Idempotency-Key records are kept this long (integrations.tasks cleans up hourly).
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)

SPECTACULAR_SETTINGS = {
    "TITLE": "阳泉市乡镇政府服务能力建设任务跟踪 API",
    "DESCRIPTION": "阳泉市《关于加强乡镇政府服务能力建设的实施方案》的工作任务、任务分解、进展填报和审核。"
    "登录后使用（会话或 Authorization: Token …）；列表分页（count/next/previous/results）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH takes the same body as PUT (the report's `version` is required in both).
    "COMPONENT_SPLIT_PATCH": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.query_strings_not_empty",
        # Idempotency-Key, If-Match/ETag, 429 and an example on every write (integrations).
        "integrations.schema.county_contract",
    ],
    # The interactive docs use Swagger UI served by the app itself (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "departments.models.RegionKind",
        "DepartmentKindEnum": "departments.models.DepartmentKind",
        "TaskKindEnum": "tasks.models.TaskKind",
        "ReportStatusEnum": "reports.models.ReportStatus",
        "ReportStateEnum": "reports.models.ReportState",
        "LightEnum": "reports.lights.Light",
        "TaskOriginEnum": "tasks.models.TaskOrigin",
        "LineStateEnum": "milestones.models.LineState",
        "ReminderStateEnum": "supervision.models.ReminderState",
        "SignOffStateEnum": "supervision.models.SignOffState",
        "ExternalKindEnum": "integrations.models.ExternalKind",
    },
}

# Celery. With REDIS_URL: Redis is the broker (and keeps results). Without it: kombu's
# filesystem transport on the local disk, a broker that needs no server, so that a bare
# `make run` still has a real worker and a real beat. Job state lives in our own rows
# (e.g. SummaryVersion), never only in a result backend.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = Path(env.str("CELERY_DATA_DIR", default=str(BASE_DIR / "var" / "celery")))
# The longest job (a national summary) takes minutes; a killed worker's job goes back to
# the queue (acks_late + reject_on_worker_lost on those jobs) once the broker's visibility
# timeout has passed, so the timeout is longer than any job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = None
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 28 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Default schedules, created in django-celery-beat by `manage.py ensure_schedules` (run by
# `make run` and after each deployment) and then changed by the bureau in the admin.
# crontab fields: "minute hour day_of_month month_of_year day_of_week" (Asia/Shanghai).
CELERY_BEAT_DEFAULTS = {
    "reports.daily": {
        "task": "reports.tasks.reports_daily_task",
        "crontab": "10 0 * * *",
        "description": "每日：生成新的半年报告期、关闭到期报告期、更新状态灯并通知变为黄灯/红灯的单位",
    },
    "reports.report_due_reminders": {
        "task": "reports.tasks.report_due_reminders_task",
        "crontab": "0 8 * * *",
        "description": "每日8点：报送截止前若干天，提醒尚未报送的单位（催报）",
    },
    "summaries.generate_due": {
        "task": "summaries.tasks.summaries_due_task",
        "crontab": "30 0 * * *",
        "description": "每日：报告期报送截止后，自动生成半年汇总草稿",
    },
    "reports.lights_stale": {
        "task": "reports.tasks.lights_stale_task",
        "crontab": "*/10 * * * *",
        "description": "每10分钟：为新增或改了完成时限的任务分解计算状态灯",
    },
    "supervision.reminders_escalate": {
        "task": "supervision.tasks.reminders_escalate_task",
        "crontab": "5 * * * *",
        "description": "每小时：逾时未签收的催办通知被催办单位的审核人",
    },
    "integrations.idempotency_expire": {
        "task": "integrations.tasks.idempotency_expire_task",
        "crontab": "15 * * * *",
        "description": "每小时：删除超过24小时的幂等请求记录（Idempotency-Key）",
    },
    "integrations.webhooks_fan_out": {
        "task": "integrations.tasks.webhooks_fan_out_task",
        "crontab": "* * * * *",
        "description": "每分钟：把新事件（填报退回/通过、催办、办结）发给订阅的对接系统",
    },
    "reports.evidence_orphans": {
        "task": "reports.tasks.evidence_orphans_remove_task",
        "crontab": "30 3 * * *",
        "description": "每日3点半：删除没有对应记录的佐证材料文件（进程中断时遗留的）",
    },
}
CELERY_TIMEZONE = TIME_ZONE

# Our LOGGING below, not Celery's own, formats a worker's logs.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Logs: every record to stderr, one JSON object per line with the request id
# (core.logging), so that a collector takes them as they are. LOG_FORMAT=plain
# for a readable line in a terminal (the default with DEBUG on, as in `make run`).
# Unhandled errors come from django.request with their traceback; refused writes
# and logins from yangquan.security.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "plain": {"()": "core.logging.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's default (console only with DEBUG on, mail to ADMINS):
        # errors reach the root handler, DEBUG or not.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
        "django.server": {"level": "INFO"},
        "yangquan": {"level": LOG_LEVEL},
        "celery": {"level": LOG_LEVEL},
        "axes": {"level": "WARNING"},
    },
}
