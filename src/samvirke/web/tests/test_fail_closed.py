"""Settings that fail closed: production settings are the default of wsgi and the command
line, and they refuse to start without a database URL, with a published, empty or short
secret key, or with the development identity provider. `seed-demo` refuses under them;
`check --deploy` refuses the demo key. Each case imports the settings in a fresh process,
with exactly the environment given."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samvirke.conf.environment import DEMO_SECRET_KEY, TEST_SECRET_KEY

VENV_BIN = Path(sys.executable).parent
GOOD_KEY = secrets.token_urlsafe(64)
POSTGRES = "postgres://samvirke:secret@db.invalid:5432/samvirke"
PRODUCTION = {
    "DATABASE_URL": POSTGRES,
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "samvirke.example.no",
    # a shared cache must be named (REDIS_URL in production; core.ratelimit): a local one
    # here, so that no Redis is needed to start
    "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
}


def clean_environment(**values: str) -> dict[str, str]:
    """The test process's environment without any setting of ours, plus `values`."""
    ours = ("DJANGO_", "SAMVIRKE_", "DATABASE_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    ours += ("REDIS_URL", "CACHE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return {**env, **values}


def run_python(code: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env=clean_environment(**values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def import_settings(**values: str) -> subprocess.CompletedProcess:
    """Loads the settings the way a server does (DJANGO_SETTINGS_MODULE as given, else
    whatever samvirke.wsgi chooses), prints the module and DEBUG."""
    return run_python(
        "import os, django\n"
        "from django.conf import settings\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'samvirke.conf.production')\n"
        "import samvirke.wsgi\n"
        "print(settings.SETTINGS_MODULE, settings.DEBUG)\n",
        **values,
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_wsgi_defaults_to_production_settings():
    result = run_python(
        "import samvirke.wsgi\nfrom django.conf import settings\nprint(settings.SETTINGS_MODULE)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "samvirke.conf.production"


def test_wsgi_without_settings_or_environment_refuses_to_start():
    result = run_python("import samvirke.wsgi")
    message = refusal(result)
    assert "DATABASE_URL is not set" in message
    assert "SECRET_KEY is not set" in message


def test_the_command_line_defaults_to_production_settings():
    result = subprocess.run(  # noqa: S603 - our own command
        [str(VENV_BIN / "samvirke"), "diffsettings", "--all"],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "refuses to start with production settings" in result.stderr


def test_production_starts_with_what_it_needs():
    result = import_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["samvirke.conf.production", "False"]


REFUSALS = [
    ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": "sqlite:////tmp/samvirke.sqlite3"}, "points at SQLite"),
    ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": DEMO_SECRET_KEY}, "published demo or test key"),
    ({"SECRET_KEY": TEST_SECRET_KEY}, "published demo or test key"),
    ({"SECRET_KEY": "short-key"}, "too short or too simple"),
    ({"SECRET_KEY": "a" * 60}, "too short or too simple"),
    ({"SAMVIRKE_DEV_IDP_ENABLED": "true"}, "development identity provider"),
    ({"SAMVIRKE_OIDC_PROVIDERS": "idporten,dev"}, "development identity provider"),
    ({"SAMVIRKE_OIDC_DEV_ISSUER": "http://localhost:8000/dev-idp/"}, "development"),
]

# Imports the production settings module afresh once per case, in one process (starting
# a Python with Django for each case would take as long as all the rest of this module).
EACH_CASE = """
import importlib, json, os, sys
from django.core.exceptions import ImproperlyConfigured
base = dict(os.environ)
for change in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update({**base, **change})
    sys.modules.pop("samvirke.conf.production", None)
    try:
        importlib.import_module("samvirke.conf.production")
        print(json.dumps("started"))
    except ImproperlyConfigured as exc:
        print(json.dumps(str(exc)))
"""


def test_production_refuses_to_start():
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", EACH_CASE, json.dumps([change for change, _ in REFUSALS])],
        env=clean_environment(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(messages) == len(REFUSALS)
    for (change, reason), message in zip(REFUSALS, messages, strict=True):
        assert reason in message, (change, message)
        assert message.startswith("Samvirke refuses to start with production settings")
        assert "docs/operations.md" in message


def test_the_demo_settings_must_be_named_and_run_without_debug():
    result = import_settings(DJANGO_SETTINGS_MODULE="samvirke.conf.demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["samvirke.conf.demo", "False"]


def test_seed_demo_refuses_under_production_settings():
    result = subprocess.run(  # noqa: S603 - our own command
        [str(VENV_BIN / "samvirke"), "seed-demo"],
        env=clean_environment(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "seed-demo refuses to run under production settings" in result.stderr
    assert "The demo region is loaded" not in result.stdout


def test_seed_demo_refuses_when_the_settings_are_not_the_demos(settings):
    settings.SAMVIRKE_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="seed-demo refuses"):
        call_command("seed_demo")


def deploy_check(**values: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command
        [str(VENV_BIN / "samvirke"), "check", "--deploy", "--fail-level", "ERROR"],
        env=clean_environment(**values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_refuses_the_demo_key_and_the_development_provider():
    result = deploy_check(DJANGO_SETTINGS_MODULE="samvirke.conf.demo")
    assert result.returncode != 0
    assert "samvirke.E001" in result.stderr
    assert "samvirke.E002" in result.stderr


def test_check_deploy_passes_production_settings():
    result = deploy_check(**PRODUCTION)
    assert "samvirke.E00" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


def test_production_sends_hsts_for_every_sub_domain():
    result = run_python(
        "from django.conf import settings\n"
        "import samvirke.wsgi\n"
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    seconds, subdomains = result.stdout.split()
    assert int(seconds) >= 31536000
    assert subdomains == "True"
