"""Settings shared by every environment. Environment-specific values come from the
environment (see `samvirke.conf.environment`); `demo`, `test` and `production` adjust."""

import warnings
from pathlib import Path

import authlib.deprecate  # noqa: F401  (installs its own "always" filter; ours must come after)
import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from samvirke.conf.environment import env, env_bool, env_int, env_list

# Authlib 1.9 announces a move to "httpx2" on import of its httpx client, which we use
# deliberately (see docs/eid.md); the notice is for Authlib's next major version.
warnings.filterwarnings("ignore", message="The httpx module is deprecated")

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env("SAMVIRKE_HOME", str(PACKAGE_DIR.parent.parent)))  # the checkout
VAR_DIR = Path(env("SAMVIRKE_VAR_DIR", str(BASE_DIR / "var")))

# which settings these are: "production", "demo" or "test" (seed-demo runs only in the latter two)
SAMVIRKE_ENVIRONMENT = "production"
SECRET_KEY = env("SECRET_KEY", "")  # overridden per environment; production requires it
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # ours first, so our templates override the third-party ones
    "samvirke.web",
    "samvirke.audit",
    "samvirke.notifications",
    "samvirke.organisations",
    "samvirke.accounts",
    "samvirke.api",
    "samvirke.portal",
    "samvirke.eservices",
    "samvirke.cases",
    "samvirke.integrations",
    "samvirke.neighbours",
    "samvirke.archive",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "django.contrib.sitemaps",
    # Wagtail: the back office shell (and the portal, later)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # platform
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "samvirke.web.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a nonce per response (samvirke.web.csp)
    "samvirke.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # the language prefix (/nn/, /sv/, /en/) picks a portal page's content language;
    # the interface language comes from the prefix, else the cookie or the browser
    "samvirke.portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samvirke.accounts.middleware.StaffSecondFactorMiddleware",
    "samvirke.web.middleware.RequestUserContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samvirke.urls"
CSRF_FAILURE_VIEW = "samvirke.web.views.csrf_failure"
WSGI_APPLICATION = "samvirke.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samvirke.web.context_processors.platform",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samvirke.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server write without "database is locked"
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# The database's owner (PostgreSQL): `samvirke migrate`, `createcachetable` and
# `db-grant-app-role` connect with it when MIGRATE_DATABASE_URL is set, every other command
# and the app servers with DATABASE_URL, a role that may not change the schema nor the
# audit log (docs/operations.md). Both must name the same database.
SAMVIRKE_MIGRATE_DATABASE = (
    dj_database_url.parse(env("MIGRATE_DATABASE_URL") or "")
    if env("MIGRATE_DATABASE_URL")
    else None
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every app server and worker: one-time-use records (eID replay
# protection) and the rate limits' counters must hold across processes. With REDIS_URL
# (or CACHE_URL) set it is Redis, whose atomic counters the rate limits need in
# production (conf/production.py requires it); without, the database cache, which needs
# no extra service (`samvirke createcachetable` creates its table; make run does).
REDIS_URL = env("REDIS_URL") or env("CACHE_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "samvirke"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
            "LOCATION": env("CACHE_LOCATION", "samvirke_cache"),
        }
    }

# Rate limits (samvirke.core.ratelimit; docs/operations.md "Rate limits"): per client
# address, counted in the cache above. A rate is "N/m" (per s, m, h, d; "30/15m"), or
# "off". Each has its environment variable SAMVIRKE_RATE_LIMIT_<SCOPE>.
SAMVIRKE_RATE_LIMITS = {
    scope: env(f"SAMVIRKE_RATE_LIMIT_{scope.upper()}", default)
    for scope, default in {
        "access_request": "10/m",
        "anonymous_submission": "10/m",
        "eid_callback": "30/m",
        "api_auth_failure": "20/m",
        "staff_login_failure": "30/15m",
    }.items()
}
SAMVIRKE_RATE_LIMIT_CACHE = "default"
# Where the client address comes from: REMOTE_ADDR, unless a trusted proxy's header is
# named (e.g. "X-Real-IP", or "X-Forwarded-For" with as many trusted proxies in front as
# SAMVIRKE_TRUSTED_PROXY_COUNT says; the address is taken that many places from the right).
SAMVIRKE_CLIENT_IP_HEADER = env("SAMVIRKE_CLIENT_IP_HEADER", "")
SAMVIRKE_TRUSTED_PROXY_COUNT = env_int("SAMVIRKE_TRUSTED_PROXY_COUNT", 1)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:staff-login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"
WAGTAILADMIN_LOGIN_URL = "accounts:staff-login"

# Lockout after repeated failures (django-axes): per user name and client address
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samvirke.accounts.staff_views.lockout_response"
AXES_VERBOSE = False
# Behind a load balancer, trust its X-Forwarded-For (only then): lockout counts per client
# (the same as SAMVIRKE_CLIENT_IP_HEADER=X-Forwarded-For)
SAMVIRKE_TRUST_X_FORWARDED_FOR = env_bool("SAMVIRKE_TRUST_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "samvirke.web.middleware.client_address"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 60 * 60 * 24)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8

# Languages: bokmål is the default; nynorsk, Swedish and English alongside
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Page translations: bokmål pages at unprefixed addresses, translations under /nn/, /sv/
# and /en/ (samvirke/urls.py); editors translate with simple_translation's "Translate"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("sv", "Svenska"),
    ("en", "English"),
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
# Front-end packages come from the npm registry (package.json); only what pages use is served.
NODE_MODULES = Path(env("SAMVIRKE_NODE_MODULES", str(BASE_DIR / "node_modules")))
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/designsystemet", "@digdir/designsystemet-css/dist"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/inter", "@fontsource/inter"),
    ]
    if (NODE_MODULES / path).exists()
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage; credentials and endpoint come from the AWS_* variables
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Virus scanning of uploads: the identifier of a scanner in the `virus_scanners` registry
# (samvirke.cases.documents.scanning). "none", the default, scans nothing and says so;
# "clamav" talks to clamd over TCP or a Unix socket. The dotted class paths of earlier
# versions still work, with a deprecation warning in the log.
SAMVIRKE_VIRUS_SCANNER = env("SAMVIRKE_VIRUS_SCANNER", "none")
SAMVIRKE_CLAMAV_HOST = env("SAMVIRKE_CLAMAV_HOST", "localhost")
SAMVIRKE_CLAMAV_PORT = env_int("SAMVIRKE_CLAMAV_PORT", 3310)
SAMVIRKE_CLAMAV_SOCKET = env("SAMVIRKE_CLAMAV_SOCKET", "")
SAMVIRKE_CLAMAV_TIMEOUT = float(env("SAMVIRKE_CLAMAV_TIMEOUT", "30"))
# Uploaded pictures are decoded in full (samvirke.core.filecontent); one whose header gives
# more pixels than this is refused before decoding (a decompression bomb).
SAMVIRKE_UPLOAD_MAX_IMAGE_PIXELS = env_int("SAMVIRKE_UPLOAD_MAX_IMAGE_PIXELS", 50_000_000)

# Need to know: how long breaking the glass opens one confidential case (minutes).
SAMVIRKE_EMERGENCY_ACCESS_MINUTES = env_int("SAMVIRKE_EMERGENCY_ACCESS_MINUTES", 60)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Samvirke <no-reply@samvirke.invalid>")

# Background work: django-tasks; the database backend needs no broker
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `samvirke worker` (docs/operations.md, "Faults"): a task RUNNING this long whose worker
# has sent no heartbeat for as long is taken over (idempotent tasks run again, others fail)
SAMVIRKE_TASK_LEASE_SECONDS = env_int("SAMVIRKE_TASK_LEASE_SECONDS", 300)
# how often each worker writes its heartbeat, takes over lost tasks and queues due jobs
SAMVIRKE_WORKER_TICK_SECONDS = env_int("SAMVIRKE_WORKER_TICK_SECONDS", 15)
# a stored file no row names is deleted once it is this old (a killed process's upload)
SAMVIRKE_ORPHAN_FILE_AGE_HOURS = float(env("SAMVIRKE_ORPHAN_FILE_AGE_HOURS", "24"))
# drafts (and their attachments) are deleted this many days after they were last changed
SAMVIRKE_DRAFT_RETENTION_DAYS_ANONYMOUS = env_int("SAMVIRKE_DRAFT_RETENTION_DAYS_ANONYMOUS", 30)
SAMVIRKE_DRAFT_RETENTION_DAYS_IDENTIFIED = env_int("SAMVIRKE_DRAFT_RETENTION_DAYS_IDENTIFIED", 90)
# an identified citizen with a known e-mail address is told this many days before
SAMVIRKE_DRAFT_DELETION_NOTICE_DAYS = env_int("SAMVIRKE_DRAFT_DELETION_NOTICE_DAYS", 7)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "samvirke.api.authentication.ApiTokenAuthentication",
        "samvirke.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "samvirke.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "samvirke.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samvirke API",
    "DESCRIPTION": "The REST API of Samvirke: organisations, units, cooperation arrangements "
    "and the audit log. Integrated systems use a token scoped to one organisation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_URLCONF": "samvirke.openapi_urls",
    # one name for the webhook events, listed by deliveries and subscriptions alike
    "ENUM_NAME_OVERRIDES": {"WebhookEventEnum": "samvirke.integrations.models.WebhookEvent"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "samvirke.api.schema.strict_text_hook",
    ],
}

WAGTAIL_SITE_NAME = "Samvirke"
# No Gravatar in the back office: it would send a hash of every staff member's e-mail
# address to a third party (and the Content-Security-Policy loads images from here only)
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env("SAMVIRKE_BASE_URL", "http://localhost:8000")
# Portals: the region on SAMVIRKE_PORTAL_DOMAIN, each member municipality on <slug>.<domain>
SAMVIRKE_PORTAL_DOMAIN = env("SAMVIRKE_PORTAL_DOMAIN", "localhost")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# eID over OpenID Connect: providers are configured from the environment
# (see samvirke.accounts.oidc.config and docs/operations.md)
SAMVIRKE_DEV_IDP_ENABLED = False
SAMVIRKE_REGION_SLUG = env("SAMVIRKE_REGION", "indre-ostfold")

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "samvirke.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp; samvirke.web.csp relaxes it for Wagtail's admin only).
# Inline scripts and styles need the response's nonce: {{ request.csp_nonce }}. Extra
# sources (a CDN for images, S3 for uploaded files, an embed provider's frames) come from
# the environment, comma-separated.
_s3_origin = [env("AWS_S3_CUSTOM_DOMAIN") or env("AWS_S3_ENDPOINT_URL") or ""]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *filter(None, _s3_origin), *env_list("SAMVIRKE_CSP_IMG_SRC")],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *env_list("SAMVIRKE_CSP_FRAME_SRC")],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
