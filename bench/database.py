"""A fresh database of the benchmark's own: PostgreSQL when it answers, else SQLite.

The benchmark never touches the demo or test databases: it creates `samvirke_bench` (or
`var/bench.sqlite3`), and drops it afterwards unless asked to keep it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/samvirke_bench"


@dataclass
class BenchDatabase:
    url: str
    vendor: str  # "postgresql" or "sqlite"
    note: str = ""

    def drop(self) -> None:
        if self.vendor == "postgresql":
            _postgres_admin(self.url, f'DROP DATABASE IF EXISTS "{_name(self.url)}" WITH (FORCE)')
        else:
            path = Path(urlsplit(self.url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _postgres_admin(url: str, statement: str) -> None:
    """Runs a statement on the server's `postgres` database, outside a transaction."""
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(
        (
            parts.scheme.replace("postgres", "postgresql", 1)
            if parts.scheme == "postgres"
            else parts.scheme,
            parts.netloc,
            "/postgres",
            "",
            "",
        )
    )
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
        connection.execute(statement)


def fresh_database(postgres_url: str | None) -> BenchDatabase:
    url = postgres_url or DEFAULT_POSTGRES_URL
    name = _name(url)
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"bench: refusing an unusual database name {name!r}")
    try:
        _postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres_admin(url, f'CREATE DATABASE "{name}"')
        return BenchDatabase(url=url, vendor="postgresql")
    except Exception as error:  # no server, no rights: fall back, and say so
        path = ROOT / "var" / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        database = BenchDatabase(
            url=f"sqlite:///{path}",
            vendor="sqlite",
            note=f"PostgreSQL at {urlsplit(url).hostname} was not reachable "
            f"({error.__class__.__name__}); figures are from SQLite and not comparable "
            "with production.",
        )
        database.drop()
        return database
