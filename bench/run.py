"""`make bench` / `python -m bench`: load a scaled region into a fresh database, time the
heaviest reads, print a table and write bench/results/latest.json.

    python -m bench                       # 300 organisations, 5 000 arrangements,
                                          # 40 000 participations, 200 000 audit events
    python -m bench --scale 0.1           # a tenth of that, for a quick look
    python -m bench --database-url postgres://user@host:5432/samvirke_bench --keep

Not a timed test: it reports figures, it does not fail on them. Timings are wall-clock
times of direct selector calls (and of the public register page through Django's test
client), with the result fully evaluated, on one process against a local database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.database import ROOT, fresh_database
from bench.load import Scale

RESULTS = ROOT / "bench" / "results"
PAGE_SIZE = 50


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


MIN_RUNS = 5


def measure(
    name: str, run: Callable[[], int], repeat: int, budget_s: float, warmup: int = 1
) -> dict:
    """Times `run` (which returns how many rows it produced) after a warm-up: `repeat`
    runs, or fewer (but at least MIN_RUNS) when they would take longer than `budget_s`.
    Counts the queries of one run."""
    from django.db import connection

    for _ in range(warmup):
        run()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        rows = run()
    durations: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(durations) < repeat and (len(durations) < MIN_RUNS or time.perf_counter() < deadline):
        started = time.perf_counter()
        run()
        durations.append((time.perf_counter() - started) * 1000)
    return {
        "name": name,
        "rows": rows,
        "queries": queries,
        "runs": len(durations),
        "p50_ms": round(statistics.median(durations), 2),
        "p95_ms": round(percentile(durations, 0.95), 2),
        "max_ms": round(max(durations), 2),
    }


def scenarios() -> list[tuple[str, Callable[[], int]]]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from samvirke.accounts.models import User
    from samvirke.audit.selectors import audit_event_list
    from samvirke.organisations.models import Organisation
    from samvirke.organisations.selectors import arrangement_list, register_build

    coordinator_id = User.objects.get(username="region.koordinator").pk
    admin_id = User.objects.get(username="askim.admin").pk
    askim_id = Organisation.objects.get(slug="askim").pk
    # the user is fetched afresh for each run, so grants are computed as in a request
    coordinator = lambda: User.objects.get(pk=coordinator_id)  # noqa: E731
    admin = lambda: User.objects.get(pk=admin_id)  # noqa: E731

    def register(user_factory):
        def run() -> int:
            register = register_build(user=user_factory())
            return sum(len(cell) for cell in register.cells.values())

        return run

    def arrangements_first_page(user_factory):
        def run() -> int:
            page = list(arrangement_list(user=user_factory())[:PAGE_SIZE])
            for arrangement in page:  # what a list row shows
                [p.organisation.name for p in arrangement.participations.all()]
            return len(page)

        return run

    def audit_first_page(user_factory):
        def run() -> int:
            return len(
                list(audit_event_list(user=user_factory(), organisation_id=askim_id)[:PAGE_SIZE])
            )

        return run

    client = Client()

    def register_page() -> int:
        response = client.get("/cooperation/")
        if response.status_code != 200:
            raise RuntimeError(f"/cooperation/ answered {response.status_code}")
        return len(response.content)

    return [
        ("register_build, anonymous (public arrangements)", register(AnonymousUser)),
        ("register_build, regional coordinator (all)", register(coordinator)),
        ("arrangement_list first page (50), anonymous", arrangements_first_page(AnonymousUser)),
        ("arrangement_list first page (50), coordinator", arrangements_first_page(coordinator)),
        ("audit_event_list first page (50), Askim, admin", audit_first_page(admin)),
        ("audit_event_list first page (50), Askim, coordinator", audit_first_page(coordinator)),
        ("GET /cooperation/ (public register page, bytes)", register_page),
    ]


def print_table(results: list[dict], out=sys.stdout) -> None:
    header = f"{'scenario':56} {'rows':>7} {'queries':>7} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for r in results:
        if "error" in r:
            print(f"{r['name']:56} not measured: {r['error']}", file=out)
            continue
        print(
            f"{r['name']:56} {r['rows']:>7} {r['queries']:>7} {r['runs']:>5} "
            f"{r['p50_ms']:>9.1f} {r['p95_ms']:>9.1f}",
            file=out,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per scenario (at most)")
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds per scenario before stopping early"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL of the database to (re)create")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--cases",
        type=int,
        default=None,
        help="cases for the handler inbox (default 100 000, whatever the scale)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)

    database = fresh_database(args.database_url)
    print(f"bench: database {database.vendor} ({database.url.split('@')[-1]})")
    if database.note:
        print(f"bench: NOTE: {database.note}")

    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "samvirke.conf.test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import inbox
    from bench.load import counts, load

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started
        scale = Scale.scaled(args.scale)
        print(f"bench: loading {scale} …")
        load_timings = load(scale)
        load_timings.update(inbox.load(args.cases if args.cases is not None else 100_000))
        sizes = {**counts(), "cases": inbox.count()}
        print(f"bench: loaded {sizes} in {sum(load_timings.values()):.0f} s")

        load_before = os.getloadavg()
        results = []
        for name, run in scenarios() + inbox.scenarios():
            try:
                results.append(measure(name, run, args.repeat, args.budget))
            except Exception as error:  # a page another team is still building, say
                results.append({"name": name, "error": f"{error.__class__.__name__}: {error}"})
        print()
        print_table(results)

        report = {
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
            "database": {
                "vendor": connection.vendor,
                "version": ".".join(str(v) for v in connection.Database.__version__.split(".")[:3])
                if connection.vendor == "sqlite"
                else connection.cursor().connection.info.server_version,
                "note": database.note,
            },
            "python": platform.python_version(),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                # other work on the machine skews the figures: this says how busy it was
                "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            },
            "sizes": sizes,
            "load_seconds": {"migrate_s": round(migrate_s, 2), **load_timings},
            "repeat": args.repeat,
            "results": results,
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
        print(f"\nbench: wrote {shown}")
    finally:
        connection.close()
        if not args.keep:
            database.drop()
