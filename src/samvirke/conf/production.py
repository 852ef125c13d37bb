"""Production: every secret and host name must come from the environment, and start-up
stops (ImproperlyConfigured) rather than run unsafely: without DATABASE_URL or on SQLite,
with a missing, short or published SECRET_KEY, or with the development identity provider.
This is the default of `samvirke.wsgi` and the `samvirke` command."""

import dj_database_url

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import env, env_bool, env_int, refuse_unsafe_production, required

SAMVIRKE_ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = env("SECRET_KEY", "")
SAMVIRKE_DEV_IDP_ENABLED = env_bool("SAMVIRKE_DEV_IDP_ENABLED", False)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "sqlite://:memory:"),  # refused below when unset
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
refuse_unsafe_production(
    secret_key=SECRET_KEY,
    database_engine=DATABASES["default"]["ENGINE"],
    database_url=env("DATABASE_URL"),
    dev_idp=SAMVIRKE_DEV_IDP_ENABLED,
)
ALLOWED_HOSTS = required("ALLOWED_HOSTS").split(",")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: browsers use HTTPS only, for every municipal sub-domain too (askim.<domain>…)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
# The rate limits count in the cache, atomically and shared by every app server: Redis
# (REDIS_URL). Another shared backend only when named explicitly with CACHE_BACKEND.
if not (env("REDIS_URL") or env("CACHE_URL") or env("CACHE_BACKEND")):
    required("REDIS_URL")
