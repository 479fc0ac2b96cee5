"""The one settings module, read from environment variables.

Quick start (no variables): the demo's embedded PostgreSQL (``make demo``, gongyi.demoserver),
eager Celery tasks, DJANGO_DEBUG must be set to 1.
Production: set DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; the defaults then pass `manage.py check --deploy`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gongyi import demoserver

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("GONGYI_TESTING", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see docs/operations.md)."
        )
    SECRET_KEY = "dev-only-insecure-key-for-the-quick-start-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "gongyi",
    "posts",
    "people",
    "people.onboarding",
    "subsidies",
    "subsidies.attendance",
    "subsidies.payout",
    "audits",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "gongyi.apps.AxesConfig",  # django-axes, named in Chinese
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongyi.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongyi.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gongyi.middleware.ControlCharacterQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongyi.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongyi.urls"
WSGI_APPLICATION = "gongyi.wsgi.application"

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
                "gongyi.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL only. Without DATABASE_URL: the demo's embedded server (gongyi.demoserver).
DATABASES = {
    "default": (
        dj_database_url.parse(os.environ["DATABASE_URL"])
        if os.environ.get("DATABASE_URL")
        else demoserver.database_settings()
    )
    | {"CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60)}
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL database (postgres://…).")
if TESTING:
    # One test database per process: two suites (or a suite and a benchmark) on one machine
    # must not drop each other's database. pytest-django drops it at the end of the run.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "gongyi.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongyi.backends.RegionModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after GONGYI_SESSION_IDLE_MINUTES without a request, and with the browser. The
# expiry is pushed back by gongyi.middleware.SessionIdleMiddleware at most once a minute, not
# written on every request; a session thus ends up to a minute before the idle timeout, never
# after it. Sessions stay in PostgreSQL: reading one is a primary-key lookup (Redis would save a
# fraction of a millisecond and make every page depend on Redis), and they survive a Redis flush.
SESSION_COOKIE_AGE = env_int("GONGYI_SESSION_IDLE_MINUTES", 120) * 60
GONGYI_SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
# An API token opens the API for this many hours after it is issued (a working day), unless it
# is revoked before: by its owner, by the administrator, on a password change or deactivation.
GONGYI_API_TOKEN_HOURS = env_int("GONGYI_API_TOKEN_HOURS", 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures (django-axes): per user name and address, so that nobody can
# lock a colleague out from another machine.
AXES_FAILURE_LIMIT = env_int("GONGYI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GONGYI_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongyi.views.lockout"
AXES_VERBOSE = False

# Secure transport: on by default whenever debug is off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "gongyi.views.csrf_failure"
# Only behind a reverse proxy that sets it: otherwise a client could forge its own address.
GONGYI_TRUST_X_FORWARDED_FOR = env_bool("GONGYI_TRUST_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "gongyi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG and not TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("GONGYI_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# The most rows one external dataset may hold (docs/policy.md §8): a province's list for one
# county is well under it; a file past it is refused before any row is read.
GONGYI_DATASET_MAX_ROWS = env_int("GONGYI_DATASET_MAX_ROWS", 5_000_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials is a 401 that names the scheme.
        "gongyi.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "gongyi.schema.AutoSchema",
    "EXCEPTION_HANDLER": "gongyi.apis.exception_handler",
}
SPECTACULAR_SETTINGS = {
    # Read by county staff on the API docs page: in Chinese, as the rest of the site.
    "TITLE": "城乡公益性岗位管理系统接口",
    "DESCRIPTION": "每个列表只含调用者所辖区域的数据。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Served from the sidecar package: county intranets have no internet, so no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for one choice set used by several fields (a post's kind, a person's residence).
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "posts.enums.AreaKind",
        # An application's state, its records' from/to and a move's target are one set.
        "ApplicationStateEnum": "people.onboarding.enums.ApplicationState",
        # A month's state and a move's target.
        "SheetStateEnum": "subsidies.attendance.enums.SheetState",
        # A leave's move and the moves the caller may make.
        "LeaveActionEnum": "subsidies.attendance.leave.LEAVE_ACTIONS",
        # A payout batch's state and a move's target; its kind; a payout line's status.
        "PayoutBatchStateEnum": "subsidies.payout.enums.BatchState",
        "PayoutBatchKindEnum": "subsidies.payout.enums.BatchKind",
        "PayoutLineStatusEnum": "subsidies.payout.enums.LineStatus",
        # The bank's reason for a failed payment (an account fix's).
        "BankFailureReasonEnum": "subsidies.bankfiles.enums.FailureReason",
        # An external dataset's kind (a version's, an upload's, the list's filter).
        "DatasetKindEnum": "audits.datasets.enums.DatasetKind",
        # An exit's kind; a debt's state and a move's target; a repayment's kind.
        "ExitKindEnum": "audits.exits.enums.ExitKind",
        "DebtStateEnum": "audits.exits.enums.DebtState",
        "RepaymentKindEnum": "audits.exits.enums.RepaymentKind",
    },
}

# No page cache: pages are fast because their queries are (indexes, keyset paging, capped counts).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, every task runs eagerly in the calling process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "audit-verify-chain-nightly": {
        "task": "gongyi.tasks.audit_verify_chain",
        "schedule": crontab(hour=2, minute=30),
    },
    "attendance-months-prepare-daily": {
        "task": "subsidies.attendance.tasks.months_prepare",
        "schedule": crontab(hour=1, minute=15),
    },
    "warnings-refresh-daily": {
        "task": "audits.warnings.tasks.warnings_refresh_all",
        "schedule": crontab(hour=1, minute=45),
    },
    # The cross-check of everyone on a post against the newest datasets (docs/policy.md §8).
    "datasets-match-monthly": {
        "task": "audits.datasets.tasks.dataset_match_monthly",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
    },
    "exits-debts-collect-nightly": {
        "task": "audits.exits.tasks.debts_collect",
        "schedule": crontab(hour=3, minute=15),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGYI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# A village's month grid posts one field per open day and person: 150 people × 31 days, with
# room. Django's default of 1,000 would refuse a village of 40 people's month.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Labels used across the UI.
GONGYI_SITE_NAME = _("Public-welfare posts")
