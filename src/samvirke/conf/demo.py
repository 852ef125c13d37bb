"""The embedded default used by `make run`: SQLite, local files, the bundled development
identity provider switched on. Never for production."""

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "demo-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
SAMVIRKE_DEV_IDP_ENABLED = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# One development IdP for every host of the demo (the municipal portals too): browsers and
# the server itself reach it at the main host, never through a portal's host name.
SAMVIRKE_OIDC_DEV_ISSUER = env(
    "SAMVIRKE_OIDC_DEV_ISSUER",
    WAGTAILADMIN_BASE_URL.rstrip("/") + "/dev-idp/",  # noqa: F405
)
SAMVIRKE_OIDC_DEV_INTERNAL_URL = env("SAMVIRKE_OIDC_DEV_INTERNAL_URL", "")
