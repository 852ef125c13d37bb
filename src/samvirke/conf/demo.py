"""The embedded default used by `make run`: SQLite, local files, the bundled development
identity provider switched on. Never for production."""

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "demo-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
SAMVIRKE_DEV_IDP_ENABLED = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
