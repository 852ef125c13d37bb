"""The embedded default used by `make run`: SQLite, local files, the bundled development
identity provider switched on. Never for production (it must be named explicitly:
DJANGO_SETTINGS_MODULE=samvirke.conf.demo; the Makefile and bin/serve do)."""

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import DEMO_SECRET_KEY, env, env_bool

SAMVIRKE_ENVIRONMENT = "demo"
# Citizens never see Django's debug page, in the demo either: errors get the translated
# 400/403/404/500 pages. DEBUG=true in the environment brings the debug page back.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", DEMO_SECRET_KEY)
SAMVIRKE_DEV_IDP_ENABLED = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# whitenoise serves the static files with DEBUG off; from the apps and node_modules
# directly too, so the demo works before (or without) collectstatic
WHITENOISE_USE_FINDERS = True
# One development IdP for every host of the demo (the municipal portals too): browsers and
# the server itself reach it at the main host, never through a portal's host name.
SAMVIRKE_OIDC_DEV_ISSUER = env(
    "SAMVIRKE_OIDC_DEV_ISSUER",
    WAGTAILADMIN_BASE_URL.rstrip("/") + "/dev-idp/",  # noqa: F405
)
SAMVIRKE_OIDC_DEV_INTERNAL_URL = env("SAMVIRKE_OIDC_DEV_INTERNAL_URL", "")
