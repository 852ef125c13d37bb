"""Shared test fixtures. Tests build data through the real services, and most start from
the demo region, which `seed-demo` loads idempotently."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from django.core.management import call_command

# pytest-django's own helpers for its django_db_setup, which ours stands in for
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

from samvirke.testing import snapshot, template_db

# Names this test run to the template (xdist gives its workers one name for the run).
RUN_ID = uuid.uuid4().hex


@pytest.fixture(scope="session", autouse=True)
def _fresh_urls_when_the_language_setting_changes():
    """Django caches reversed URLs per language, with the language prefix as it was: an
    "en" entry cached while a test had made English the default language has no /en/
    prefix, and would stay wrong for every later test. A test that changes the language
    settings therefore clears the URL caches, on the change and on the way back."""
    from django.core.signals import setting_changed
    from django.urls import clear_url_caches

    def clear(setting, **kwargs):
        if setting in ("LANGUAGE_CODE", "LANGUAGES", "WAGTAIL_CONTENT_LANGUAGES"):
            clear_url_caches()

    setting_changed.connect(clear, weak=False, dispatch_uid="conftest.clear_url_caches")
    yield
    setting_changed.disconnect(dispatch_uid="conftest.clear_url_caches")


@pytest.fixture(scope="session")
def django_db_setup(  # noqa: PLR0917 (pytest-django's fixtures, as its own django_db_setup)
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test databases with the demo region in them, once per session, and a copy of it:
    each test rolls back its changes, and a transactional test (the browser tests) gets
    the copy back after it instead of an empty database.

    In place of pytest-django's fixture of the same name: the database is copied from a
    template made by an earlier run (samvirke.testing.template_db) when there is one,
    instead of migrated and seeded. `--reuse-db`, `--nomigrations`, serialized rollback and
    SAMVIRKE_TEST_TEMPLATE=off take pytest-django's way."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    mode = template_db.template_mode()
    verbosity = request.config.option.verbose
    from_template = (
        mode != "off"
        and set(aliases) == {"default"}
        and not serialized_aliases
        and django_db_use_migrations
        and not django_db_keepdb
    )
    with django_db_blocker.unblock():
        if from_template:
            run_id = getattr(request.config, "workerinput", {}).get("testrunuid", RUN_ID)
            db_cfg = template_db.databases_set_up(
                aliases=aliases, verbosity=verbosity, run_id=run_id, rebuild=mode == "rebuild"
            )
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
            call_command("seed_demo", verbosity=0)
            for connection in connections.all():
                snapshot.snapshot_take(connection)
    snapshot.restore_demo_instead_of_flushing()
    yield
    with django_db_blocker.unblock():
        # A thread that touched the database (the browser tests' live server) may still
        # hold a session on PostgreSQL, which would keep the test database from being
        # dropped.
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
        if not django_db_keepdb:
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # noqa: BLE001 (as pytest-django: a warning, not an error)
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: what a rolled-back test cached (Wagtail's site
    root paths, say) must not leak into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def demo(db):
    """The demo region, loaded through the real seed command (a no-op when present)."""
    from samvirke.accounts.models import User
    from samvirke.organisations.models import CooperationArrangement, Organisation

    if not Organisation.objects.filter(slug="askim").exists():
        call_command("seed_demo", verbosity=0)
    organisations = {o.slug: o for o in Organisation.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    arrangements = {a.slug: a for a in CooperationArrangement.objects.all()}
    return SimpleNamespace(org=organisations, user=users, arrangement=arrangements)


def staff_login(client, user) -> None:
    """Logs a staff user in on the test client, second factor verified where they have one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def login():
    """`login(client, user)`: a staff session as after password and TOTP."""
    return staff_login


@pytest.fixture
def virus_scanner(settings):
    """`virus_scanner(MyScanner)`: uploads are scanned by a stand-in `VirusScanner` for the
    rest of the test, registered in `virus_scanners` and named in SAMVIRKE_VIRUS_SCANNER;
    afterwards the registry and the setting are as they were."""
    # imported here: conftest is loaded before Django's apps are
    from samvirke.cases.documents.services import virus_scanners

    with ExitStack() as registered:

        def use(plugin, identifier: str = "test-scanner") -> None:
            registered.enter_context(virus_scanners.temporarily(identifier, plugin))
            settings.SAMVIRKE_VIRUS_SCANNER = identifier

        yield use
