"""The test database template: its key follows the migrations and the seed code (and
nothing else that changes often), and a database copied from it holds the demo region,
its stored files and, on PostgreSQL, the audit log's append-only trigger. The tables are
named in SQL, as they stay where they are whichever module their models move to."""

from __future__ import annotations

import datetime
import sqlite3
import uuid

import psycopg
import pytest
from django.core.files.storage import storages
from django.db import connection

from samvirke.testing import template_db
from samvirke.testing.template_db import template_key

SQLITE = "django.db.backends.sqlite3"
DAY = datetime.date(2026, 1, 1)
CHECKOUT = {
    "requirements.lock": "django==5.2\n",
    "src/samvirke/conf/base.py": "INSTALLED_APPS = []\n",
    "src/samvirke/cases/migrations/__init__.py": "",
    "src/samvirke/cases/migrations/0001_initial.py": "operations = []\n",
    "src/samvirke/cases/demo.py": "def load(): pass\n",
    "src/samvirke/cases/demo_cases.py": "def load(): pass\n",
    "src/samvirke/web/management/commands/seed_demo.py": "LOADERS = []\n",
    "src/samvirke/eservices/library/byggesoknad.json": "{}\n",
    "src/samvirke/cases/views.py": "def case_detail(request): pass\n",
    "src/samvirke/cases/handling/services.py": "def case_decide(): pass\n",
}


@pytest.fixture
def checkout(tmp_path):
    for name, text in CHECKOUT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def key(root, *, engine=SQLITE, day=DAY) -> str:
    return template_key(root, engine=engine, day=day)


@pytest.mark.parametrize(
    "name",
    [
        "requirements.lock",
        "src/samvirke/conf/base.py",
        "src/samvirke/cases/migrations/0001_initial.py",
        "src/samvirke/cases/demo.py",
        "src/samvirke/cases/demo_cases.py",
        "src/samvirke/web/management/commands/seed_demo.py",
        "src/samvirke/eservices/library/byggesoknad.json",
        "src/samvirke/cases/handling/services.py",
    ],
)
def test_the_key_changes_when_a_migration_or_the_seed_changes(checkout, name):
    before = key(checkout)

    with (checkout / name).open("a") as file:
        file.write("# changed\n")

    assert key(checkout) != before


@pytest.mark.parametrize(
    "name",
    [
        "src/samvirke/cases/migrations/0002_more.py",
        "src/samvirke/archive/migrations/0001_initial.py",
        "src/samvirke/cases/demo/__init__.py",  # a loader moved into a package
        "src/samvirke/cases/demo/letters.py",
        "src/samvirke/portal/demo_pages.py",
        "src/samvirke/organisations/fixtures/regions.json",
        "src/samvirke/eservices/library/innsyn.json",
    ],
)
def test_the_key_changes_when_a_migration_or_seed_file_is_added(checkout, name):
    before = key(checkout)

    path = checkout / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n")

    assert key(checkout) != before


def test_the_key_changes_when_a_seed_file_moves(checkout):
    before = key(checkout)

    (checkout / "src/samvirke/cases/demo").mkdir()
    (checkout / "src/samvirke/cases/demo.py").rename(checkout / "src/samvirke/cases/demo/load.py")

    assert key(checkout) != before


def test_the_key_stays_when_other_code_changes(checkout):
    before = key(checkout)

    (checkout / "src/samvirke/cases/views.py").write_text("def case_detail(request): ...\n")
    cache = checkout / "src/samvirke/cases/migrations/__pycache__"
    cache.mkdir()
    (cache / "0001_initial.cpython-311.pyc").write_bytes(b"\0")

    assert key(checkout) == before


def test_the_key_differs_per_database_engine_and_day(checkout):
    keys = {
        key(checkout),
        key(checkout, engine="django.db.backends.postgresql"),
        key(checkout, day=DAY + datetime.timedelta(days=1)),
    }

    assert len(keys) == 3


def test_the_key_covers_the_real_migrations_and_seed():
    """The globs find the checkout's own files, wherever a refactor has put them."""
    files = {
        path.relative_to(template_db.REPO).as_posix()
        for pattern in template_db.KEY_GLOBS
        for path in template_db.REPO.glob(pattern)
    }

    assert "requirements.lock" in files
    assert any("/audit/migrations/" in name for name in files)
    assert any(name.endswith("seed_demo.py") for name in files)
    assert any("/eservices/library/" in name and name.endswith(".json") for name in files)


def askim_count(cursor) -> int:
    cursor.execute("SELECT count(*) FROM organisations_organisation WHERE slug = 'askim'")
    return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_test_database_holds_the_demo_region_and_its_stored_files():
    with connection.cursor() as cursor:
        assert askim_count(cursor) == 1
        cursor.execute("SELECT file FROM cases_document WHERE name LIKE '%.pdf'")
        names = [name for (name,) in cursor.fetchall()]

    assert names, "the demo region has letters"
    with storages["default"].open(names[0], "rb") as stored:
        assert stored.read(5) == b"%PDF-"


@pytest.fixture
def template(db):
    found = template_db.templates_used.get(connection.alias)
    if found is None:
        pytest.skip("no template in this run (SAMVIRKE_TEST_TEMPLATE=off or --reuse-db)")
    return found


@pytest.mark.django_db
def test_a_database_copied_from_the_sqlite_template_holds_the_demo_region(template):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite template")
    source = sqlite3.connect(f"{template.path.as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        assert askim_count(copy.cursor()) == 1
    finally:
        source.close()
        copy.close()


@pytest.mark.django_db
def test_a_database_copied_from_the_postgresql_template_keeps_the_audit_trigger(template):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL template")
    quote = connection.ops.quote_name
    name = f"{template.name}_check_{uuid.uuid4().hex[:6]}"
    settings = connection.settings_dict
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template.name)}")
    try:
        with psycopg.connect(
            dbname=name,
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"] or None,
            autocommit=True,
        ) as copy:
            assert askim_count(copy.cursor()) == 1
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                copy.execute("UPDATE audit_auditevent SET action = action")
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                copy.execute("DELETE FROM audit_auditevent")
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {quote(name)}")
