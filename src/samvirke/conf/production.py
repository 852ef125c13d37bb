"""Production: every secret and host name must come from the environment."""

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import env, env_bool, required

DEBUG = False
SECRET_KEY = required("SECRET_KEY")
SAMVIRKE_DEV_IDP_ENABLED = False
ALLOWED_HOSTS = required("ALLOWED_HOSTS").split(",")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
# The rate limits count in the cache, atomically and shared by every app server: Redis
# (REDIS_URL). Another shared backend only when named explicitly with CACHE_BACKEND.
if not (env("REDIS_URL") or env("CACHE_URL") or env("CACHE_BACKEND")):
    required("REDIS_URL")
