"""Reading settings from the environment.

Settings come from environment variables only (twelve-factor); code holds no secrets. A
required value has no default in production: `required()` stops start-up with a clear
message instead of running with something guessed.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    raw = env(name, default) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# The secret keys the repository publishes (the demo's and the test suite's): known to
# everyone, so production refuses them, and so does `check --deploy`.
DEMO_SECRET_KEY = "demo-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
TEST_SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
PUBLISHED_SECRET_KEYS = frozenset({DEMO_SECRET_KEY, TEST_SECRET_KEY})
# Django's own check (security.W009) wants at least 50 characters, 5 of them different.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


def secret_key_problem(key: str | None) -> str | None:
    """Why `key` must not sign anything in production, or None if it may."""
    if not key:
        return "SECRET_KEY is not set."
    if key in PUBLISHED_SECRET_KEYS or "not-secret" in key or key.startswith("django-insecure"):
        return "SECRET_KEY is the published demo or test key (or one like it)."
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return (
            f"SECRET_KEY is too short or too simple: use at least {SECRET_KEY_MIN_LENGTH} "
            "random characters."
        )
    return None


def dev_idp_problem(enabled: bool) -> str | None:
    """Why the development identity provider would be switched on, or None."""
    if enabled:
        return "the development identity provider (SAMVIRKE_DEV_IDP_ENABLED) is switched on."
    providers = [p.strip().lower() for p in (env("SAMVIRKE_OIDC_PROVIDERS", "") or "").split(",")]
    if "dev" in providers:
        return "SAMVIRKE_OIDC_PROVIDERS names the development identity provider (dev)."
    if env("SAMVIRKE_OIDC_DEV_ISSUER"):
        return "SAMVIRKE_OIDC_DEV_ISSUER points at a development identity provider."
    return None


def refuse_unsafe_production(
    *, secret_key: str | None, database_engine: str, database_url: str | None, dev_idp: bool
) -> None:
    """Production fails closed: stop start-up, naming every problem at once, rather than
    run with a published key, a throw-away database or fake identities."""
    problems = []
    if not database_url:
        problems.append("DATABASE_URL is not set (production never falls back to SQLite).")
    elif database_engine.endswith("sqlite3"):
        problems.append("DATABASE_URL points at SQLite; production needs PostgreSQL.")
    problems += [p for p in (secret_key_problem(secret_key), dev_idp_problem(dev_idp)) if p]
    if problems:
        raise ImproperlyConfigured(
            "Samvirke refuses to start with production settings (samvirke.conf.production): "
            + " ".join(problems)
            + " See docs/operations.md, 'Settings and secrets'. For the demo or the tests, "
            "name their settings: DJANGO_SETTINGS_MODULE=samvirke.conf.demo (or .test)."
        )
