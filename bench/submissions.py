"""`python -m bench.submissions`: citizens submitting an e-service at the same time, with a
200 KB photo, against gunicorn on PostgreSQL.

    python -m bench.submissions                          # 8 citizens, 10 submissions each
    python -m bench.submissions --citizens 16 --submissions 5 --workers 2
    python -m bench.submissions --database-url postgres://user@host:5432/samvirke_bench

Each citizen is an anonymous visitor (the fault report, "Meld feil", needs no login) with
its own session, going through the whole e-service as a browser does: the start page,
"Start" (a draft), the four steps (the photo on the third, content-sniffed and stored),
the review page, submit, and the receipt. Reported: completed submissions per second,
and p50/p95 latency of the final submit (route, case number, the submitted form rendered
to PDF/A, the journal entry) and of a whole submission.

The database is a fresh one of the benchmark's own, loaded with the demo region; gunicorn
runs the demo settings with the given number of workers (4 threads each), as `make run`
does. Not a timed test: it reports figures, it does not fail on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib

from bench.database import ROOT, fresh_database
from bench.run import percentile

RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def photo_png(size: int = 200 * 1024) -> bytes:
    """A real PNG of about `size` bytes: noise does not compress."""
    width = 256
    rows = max(1, size // (width * 3))
    raw = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 1))
        + chunk(b"IEND", b"")
    )


STEPS = [
    {"category": "road", "road_problem": "pothole", "dangerous": "no"},
    {
        "location.lat": "59.5853",
        "location.lon": "11.1641",
        "place_description": "Ved fotgjengerfeltet (benchmark)",
    },
    {"description": "Et dypt hull i asfalten, omtrent en halv meter bredt (benchmark)."},
    {"wants_feedback": "no"},
]


class Citizen(threading.Thread):
    def __init__(self, base: str, municipality: str, count: int, photo: bytes):
        super().__init__(daemon=True)
        self.base, self.municipality, self.count, self.photo = base, municipality, count, photo
        self.submit_times: list[float] = []
        self.total_times: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        import requests

        session = requests.Session()
        start_url = f"{self.base}/e-services/{self.municipality}/feilmelding/"
        for _ in range(self.count):
            try:
                began = time.perf_counter()
                page = session.get(start_url, timeout=60)
                token = CSRF.search(page.text).group(1)
                step = session.post(start_url, data={"csrfmiddlewaretoken": token}, timeout=60)
                for index, answers in enumerate(STEPS):
                    token = CSRF.search(step.text).group(1)
                    files = (
                        {"photos": ("hull.png", self.photo, "image/png")} if index == 2 else None
                    )
                    step = session.post(
                        step.url,
                        data={"csrfmiddlewaretoken": token, "_action": "next", **answers},
                        files=files,
                        timeout=60,
                    )
                    if step.status_code != 200:
                        raise RuntimeError(f"step {index}: {step.status_code}")
                if not step.url.endswith("/review/"):
                    raise RuntimeError(f"not on the review page: {step.url}")
                token = CSRF.search(step.text).group(1)
                submitting = time.perf_counter()
                receipt = session.post(step.url, data={"csrfmiddlewaretoken": token}, timeout=120)
                done = time.perf_counter()
                if "/e-services/receipts/" not in receipt.url or receipt.status_code != 200:
                    raise RuntimeError(f"no receipt: {receipt.status_code} {receipt.url}")
                self.submit_times.append(done - submitting)
                self.total_times.append(done - began)
            except Exception as error:  # noqa: BLE001 - counted and reported
                self.errors.append(f"{type(error).__name__}: {error}")


def _wait_for(url: str, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: the server did not answer at {url}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.submissions", description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--citizens", type=int, default=8, help="concurrent citizens")
    parser.add_argument("--submissions", type=int, default=10, help="submissions per citizen")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    database = fresh_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "samvirke.conf.demo",
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        # every simulated citizen comes from 127.0.0.1: the per-address limit on anonymous
        # submissions (docs/operations.md, Rate limits) would measure itself, not the site
        "SAMVIRKE_RATE_LIMIT_ANONYMOUS_SUBMISSION": "off",
    }
    samvirke = str(VENV_BIN / "samvirke")
    server = None
    try:
        for command in (["migrate", "-v", "0"], ["createcachetable"], ["seed-demo"]):
            done = subprocess.run(  # noqa: S603 - our own commands
                [samvirke, *command], env=env, capture_output=True, text=True
            )
            if done.returncode:
                raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
        server = subprocess.Popen(  # noqa: S603 - our own server
            [
                str(VENV_BIN / "gunicorn"),
                "samvirke.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{args.port}"
        _wait_for(f"{base}/health/")
        photo = photo_png()
        # one warm-up submission: imports, WeasyPrint's fonts, connection set-up
        warm = Citizen(base, "askim", 1, photo)
        warm.run()
        if warm.errors:
            raise SystemExit(f"bench: the warm-up submission failed: {warm.errors[0]}")
        municipalities = ["askim", "spydeberg", "skiptvet", "eidsberg", "hobol", "marker"]
        citizens = [
            Citizen(base, municipalities[i % len(municipalities)], args.submissions, photo)
            for i in range(args.citizens)
        ]
        began = time.perf_counter()
        for citizen in citizens:
            citizen.start()
        for citizen in citizens:
            citizen.join()
        elapsed = time.perf_counter() - began
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            database.drop()

    submits = [t for c in citizens for t in c.submit_times]
    totals = [t for c in citizens for t in c.total_times]
    errors = [e for c in citizens for e in c.errors]
    result = {
        "database": database.vendor,
        "citizens": args.citizens,
        "gunicorn_workers": args.workers,
        "photo_bytes": len(photo),
        "submissions": len(submits),
        "errors": len(errors),
        "first_errors": errors[:3],
        "elapsed_s": round(elapsed, 2),
        "submissions_per_s": round(len(submits) / elapsed, 2) if elapsed else 0,
        "submit_p50_ms": round(statistics.median(submits) * 1000) if submits else None,
        "submit_p95_ms": round(percentile(submits, 0.95) * 1000) if submits else None,
        "whole_p50_ms": round(statistics.median(totals) * 1000) if totals else None,
        "whole_p95_ms": round(percentile(totals, 0.95) * 1000) if totals else None,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "submissions.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if database.note:
        print(database.note, file=sys.stderr)


if __name__ == "__main__":
    main()
