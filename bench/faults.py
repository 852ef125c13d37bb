"""`python -m bench.faults`: kill -9 under submission load, then check that nothing was
lost or left half done.

    python -m bench.faults                       # 6 citizens, 6 submissions each
    python -m bench.faults --citizens 8 --submissions 10 --kills 6
    python -m bench.faults --database-url postgres://user@host:5432/samvirke_faults

It makes a fresh PostgreSQL database of its own with the demo region, and a fresh media
folder, and starts gunicorn (2 workers, 4 threads, demo settings) and two task workers
(`samvirke worker`, with a short lease). Anonymous citizens then send the fault report
("Meld feil") over HTTP in threads, each with a photo, as a browser does; a browser
retries a request whose connection broke, and so do they. One submission of each citizen
is sent as five parallel replays of the final submit. Meanwhile the benchmark queues slow
idempotent tasks and, every few seconds, kills with SIGKILL either a gunicorn worker (the
master starts a new one) or the task worker that is running a task (a new one is started,
as systemd would). Last, one process is killed for certain between writing a file and
committing its row (`samvirke shell`, SIGKILL to itself), so the orphan sweep has
something to find.

Afterwards, once the lease has run out and the orphan sweep has run, it checks:

- every acknowledged submission (the citizen saw its receipt) has exactly one submission
  row and one case, and every document it names is stored with the right checksum;
- every submission has its case (nothing half done);
- no stored file without a row (before the sweep: how many a killed worker left), and
  no row without its file;
- no task left `RUNNING`, and how many were taken over;
- all five parallel replays of a submit got the receipt.

It exits with status 1 if an invariant does not hold. Figures go to
bench/results/faults.json and docs/operations.md ("Faults").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.database import ROOT, fresh_database
from bench.submissions import CSRF, photo_png

RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/samvirke_faults"
RECEIPT = re.compile(r"/e-services/receipts/([0-9a-f-]{36})/")

STEPS = [
    {"category": "road", "road_problem": "pothole", "dangerous": "no"},
    {
        "location.lat": "59.5853",
        "location.lon": "11.1641",
        "place_description": "Ved fotgjengerfeltet (faults)",
    },
    {"description": "Et hull i asfalten (faults)."},
    {"wants_feedback": "yes", "name": "Kari Nordmann", "email": "kari@example.invalid"},
]


# stores a document in a transaction and dies (SIGKILL) before the commit
KILLED_MID_STORE = """
import os, signal
from django.db import transaction
from samvirke.cases.documents.services import document_store
from samvirke.organisations.models import Organisation
with transaction.atomic():
    document_store(organisation=Organisation.objects.get(slug="askim"), name="killed.pdf",
                   content=b"%PDF-1.4 killed before the commit", content_type="application/pdf")
    os.kill(os.getpid(), signal.SIGKILL)
"""


class Broken(Exception):
    pass


def _send(session, method: str, url: str, *, tries: int = 8, **kwargs):
    """A browser's request: retried when the connection breaks or the server fails."""
    import requests

    for attempt in range(tries):
        try:
            response = session.request(method, url, timeout=120, **kwargs)
            if response.status_code < 500:
                return response
        except requests.ConnectionError:
            pass
        time.sleep(0.3 * (attempt + 1))
    raise Broken(f"{method} {url}: no answer after {tries} tries")


class Citizen(threading.Thread):
    def __init__(self, base: str, municipality: str, count: int, photo: bytes, replay_at: int):
        super().__init__(daemon=True)
        self.base, self.municipality, self.count, self.photo = base, municipality, count, photo
        self.replay_at = replay_at
        self.acknowledged: list[str] = []
        self.replays: list[int] = []  # per parallel replay: 1 if it got the receipt
        self.errors: list[str] = []

    def run(self) -> None:
        for n in range(self.count):
            try:
                self.submit_one(parallel=n == self.replay_at)
            except Exception as error:  # noqa: BLE001 - counted and reported
                self.errors.append(f"{type(error).__name__}: {error}")

    def submit_one(self, *, parallel: bool) -> None:
        import requests

        session = requests.Session()
        start_url = f"{self.base}/e-services/{self.municipality}/feilmelding/"
        page = _send(session, "GET", start_url)
        step = _send(session, "POST", start_url, data={"csrfmiddlewaretoken": _token(page)})
        for index, answers in enumerate(STEPS):
            files = {"photos": ("hull.png", self.photo, "image/png")} if index == 2 else None
            step = _send(
                session,
                "POST",
                step.url,
                data={"csrfmiddlewaretoken": _token(step), "_action": "next", **answers},
                files=files,
            )
            if index == 2 and step.url.endswith("/step/2/"):
                raise Broken(f"the photo was refused: {step.status_code}")
        if not step.url.endswith("/review/"):
            raise Broken(f"not on the review page: {step.url}")
        data = {"csrfmiddlewaretoken": _token(step)}
        if not parallel:
            receipt = _send(session, "POST", step.url, data=data)
            self._acknowledge(receipt)
            return
        answers: list = [None] * 5
        barrier = threading.Barrier(5)

        def replay(i):
            browser = requests.Session()
            browser.cookies.update(session.cookies)
            barrier.wait()
            try:
                answers[i] = _send(browser, "POST", step.url, data=data)
            except Broken:
                answers[i] = None

        threads = [threading.Thread(target=replay, args=(i,)) for i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        got = [a for a in answers if a is not None and _receipt_key(a)]
        self.replays.extend(1 if a is not None and _receipt_key(a) else 0 for a in answers)
        if got:
            self._acknowledge(got[0])

    def _acknowledge(self, receipt) -> None:
        key = _receipt_key(receipt)
        if key is None:
            raise Broken(f"no receipt: {receipt.status_code} {receipt.url}")
        self.acknowledged.append(key)


def _token(page) -> str:
    found = CSRF.search(page.text)
    if found is None:
        raise Broken(f"no form on {page.url} ({page.status_code})")
    return found.group(1)


def _receipt_key(response) -> str | None:
    found = RECEIPT.search(response.url)
    if response.status_code == 200 and found:
        return found.group(1)
    return None


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


class Cluster:
    """gunicorn and the task workers, all started (and killed) by the benchmark."""

    def __init__(self, env: dict, port: int) -> None:
        self.env, self.port = env, port
        self.workers: dict[str, subprocess.Popen] = {}
        self.gunicorn: subprocess.Popen | None = None
        self.serial = 0

    def start(self) -> None:
        self.gunicorn = subprocess.Popen(  # noqa: S603 - our own server
            [
                str(VENV_BIN / "gunicorn"),
                "samvirke.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--log-level",
                "critical",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.worker_start()
        self.worker_start()

    def worker_start(self) -> str:
        self.serial += 1
        worker_id = f"faults-worker-{self.serial}"
        self.workers[worker_id] = subprocess.Popen(  # noqa: S603 - our own worker
            [
                str(VENV_BIN / "samvirke"),
                "worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.2",
                "--worker-id",
                worker_id,
                "--verbosity",
                "0",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return worker_id

    def kill_gunicorn_worker(self) -> int | None:
        assert self.gunicorn is not None
        children = _children(self.gunicorn.pid)
        if not children:
            return None
        victim = random.choice(children)  # noqa: S311 - not a secret
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill_task_worker(self, worker_id: str) -> None:
        process = self.workers.pop(worker_id)
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in [self.gunicorn, *self.workers.values()]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.gunicorn, *self.workers.values()]:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def _busy_worker(cluster: Cluster) -> tuple[str, str] | None:
    """A live task worker that is running a task now, and the task."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    for task_id, worker_ids in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ).values_list("id", "worker_ids"):
        # `samvirke worker` runs as "<--worker-id>.<random suffix>"
        base = worker_ids[-1].rsplit(".", 1)[0] if worker_ids else ""
        if base in cluster.workers:
            return base, str(task_id)
    return None


def chaos(cluster: Cluster, stop: threading.Event, kills: int, every: float, log: list) -> None:
    """Queues slow tasks, and kills a gunicorn worker or a busy task worker in turn."""
    from bench.fault_tasks import slow_sleep

    n = 0
    while not stop.wait(every) and n < kills:
        for _ in range(3):
            slow_sleep.enqueue(2.0)
        if n % 2 == 0:
            victim = cluster.kill_gunicorn_worker()
            log.append({"at": time.time(), "killed": "gunicorn worker", "pid": victim})
        else:
            deadline = time.monotonic() + 10
            busy = _busy_worker(cluster)
            while busy is None and time.monotonic() < deadline:
                time.sleep(0.1)
                busy = _busy_worker(cluster)
            if busy is None:
                continue
            cluster.kill_task_worker(busy[0])
            log.append(
                {"at": time.time(), "killed": "task worker", "worker": busy[0], "task": busy[1]}
            )
            cluster.worker_start()  # as systemd would
        n += 1


def _until_nothing_runs(*, deadline: float) -> float:
    """Waits until no task is RUNNING (the takeover has done its work), at most
    `deadline` seconds; returns how long it waited."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    began = time.perf_counter()
    while time.perf_counter() - began < deadline:
        if not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists():
            break
        time.sleep(0.5)
    return time.perf_counter() - began


def takeover_latencies(kills: list[dict]) -> list[float]:
    """For each task whose worker was killed: seconds from the kill until another worker
    started it again (the lease, the next tick, and the queue)."""
    from django_tasks_db.models import DBTaskResult

    latencies = []
    for kill in kills:
        if kill["killed"] != "task worker":
            continue
        row = DBTaskResult.objects.filter(pk=kill["task"]).first()
        if row is not None and len(row.worker_ids) > 1 and row.started_at is not None:
            latencies.append(round(row.started_at.timestamp() - kill["at"], 1))
    return latencies


def invariants(acknowledged: list[str], media: Path) -> dict:
    """The checks after the storm; every count but the informative ones must be 0."""
    from django.db.models import Count
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from samvirke.cases.models import Case, Document, DocumentKind, Submission
    from samvirke.core.files import referenced_file_names

    missing_submission = duplicate = without_case = missing_documents = bad_files = 0
    for key in acknowledged:
        rows = list(Submission.objects.filter(key=key))
        if not rows:
            missing_submission += 1
            continue
        duplicate += len(rows) - 1
        submission = rows[0]
        if submission.case_id is None or Case.objects.filter(submission=submission).count() != 1:
            without_case += 1
        named = {
            item["document"]
            for value in submission.answers.values()
            if isinstance(value, list)
            for item in value
            if isinstance(item, dict) and "document" in item
        }
        documents = {d.pk: d for d in Document.objects.filter(submission=submission)}
        if not named <= set(documents) or not any(
            d.kind == DocumentKind.SUBMISSION for d in documents.values()
        ):
            missing_documents += 1
        for document in documents.values():
            path = media / document.file.name
            if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != (
                document.sha256
            ):
                bad_files += 1
    stored = {str(p.relative_to(media)) for p in (media / "cases").rglob("*") if p.is_file()}
    referenced = referenced_file_names()
    cases_per_submission = (
        Case.objects.filter(submission__isnull=False)
        .values("submission")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    results = list(DBTaskResult.objects.values_list("status", "worker_ids", "exception_class_path"))
    return {
        "acknowledged_without_submission": missing_submission,
        "acknowledged_with_duplicate_submission": duplicate,
        "acknowledged_without_one_case": without_case,
        "acknowledged_missing_documents": missing_documents,
        "documents_with_missing_or_wrong_file": bad_files,
        "submissions_without_case": Submission.objects.filter(case=None).count(),
        "submissions_with_several_cases": cases_per_submission,
        "files_without_row": len(stored - referenced),
        "rows_without_file": sum(
            1
            for name in Document.objects.values_list("file", flat=True)
            if name and not (media / name).exists()
        ),
        "tasks_running": sum(1 for s, _, _ in results if s == TaskResultStatus.RUNNING),
        "_tasks_taken_over_and_rerun": sum(
            1 for s, w, _ in results if len(w) > 1 and s == TaskResultStatus.SUCCESSFUL
        ),
        "_tasks_failed_as_lost": sum(1 for _, _, e in results if e.endswith("WorkerLost")),
        "_running": [
            {"task": path, "workers": w, "started": str(started)}
            for path, w, started in DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING
            ).values_list("task_path", "worker_ids", "started_at")
        ],
        "_lost": list(
            DBTaskResult.objects.filter(exception_class_path__endswith="WorkerLost").values_list(
                "task_path", "traceback"
            )
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="PostgreSQL URL to (re)create")
    parser.add_argument("--citizens", type=int, default=6, help="concurrent citizens")
    parser.add_argument("--submissions", type=int, default=6, help="submissions per citizen")
    parser.add_argument("--kills", type=int, default=6, help="processes to kill, in turn")
    parser.add_argument("--every", type=float, default=4.0, help="seconds between kills")
    parser.add_argument("--lease", type=int, default=8, help="SAMVIRKE_TASK_LEASE_SECONDS")
    parser.add_argument("--port", type=int, default=8392)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    database = fresh_database(args.database_url)
    if database.vendor != "postgresql":
        database.drop()
        raise SystemExit("bench.faults needs PostgreSQL: " + database.note)
    media = ROOT / "var" / "faults-media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    orphan_age = 20  # seconds: older files no row names are swept
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "samvirke.conf.demo",
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
        "SAMVIRKE_TASK_LEASE_SECONDS": str(args.lease),
        "SAMVIRKE_WORKER_TICK_SECONDS": "1",
        "SAMVIRKE_ORPHAN_FILE_AGE_HOURS": str(orphan_age / 3600),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    os.environ.update(env)
    samvirke = str(VENV_BIN / "samvirke")
    cluster = Cluster(env, args.port)
    kills: list[dict] = []
    try:
        for command in (["migrate", "-v", "0"], ["createcachetable"], ["seed-demo"]):
            done = subprocess.run(  # noqa: S603 - our own commands
                [samvirke, *command], env=env, capture_output=True, text=True
            )
            if done.returncode:
                raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
        import django

        django.setup()
        from bench.submissions import _wait_for

        cluster.start()
        base = f"http://127.0.0.1:{args.port}"
        _wait_for(f"{base}/health/")
        photo = photo_png(100 * 1024)
        warm = Citizen(base, "askim", 1, photo, replay_at=-1)
        warm.run()
        if warm.errors:
            raise SystemExit(f"bench: the warm-up submission failed: {warm.errors[0]}")
        municipalities = ["askim", "spydeberg", "skiptvet", "eidsberg", "hobol", "marker"]
        citizens = [
            Citizen(
                base,
                municipalities[i % len(municipalities)],
                args.submissions,
                photo,
                replay_at=i % args.submissions,
            )
            for i in range(args.citizens)
        ]
        stop = threading.Event()
        storm = threading.Thread(
            target=chaos, args=(cluster, stop, args.kills, args.every, kills), daemon=True
        )
        began = time.perf_counter()
        for citizen in citizens:
            citizen.start()
        storm.start()
        for citizen in citizens:
            citizen.join()
        elapsed = time.perf_counter() - began
        stop.set()
        storm.join()
        # and one process killed for certain between writing a file and its commit
        subprocess.run(  # noqa: S603 - our own command
            [samvirke, "shell", "-c", KILLED_MID_STORE], env=env, capture_output=True
        )
        # the lease runs out, the takeover and the retried tasks run, files age past the
        # sweep's limit; then the orphan sweep runs, as the worker's schedule would
        quiet = time.perf_counter()
        _until_nothing_runs(deadline=args.lease * 15)
        time.sleep(max(0.0, orphan_age + 2 - (time.perf_counter() - quiet)))
        acknowledged = [key for c in [warm, *citizens] for key in c.acknowledged]
        before = invariants(acknowledged, media)
        swept = subprocess.run(  # noqa: S603 - our own command
            [samvirke, "periodic-jobs", "--run", "orphan-files"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        after = invariants(acknowledged, media)
        latencies = takeover_latencies(kills)
    finally:
        cluster.stop()
        if not args.keep:
            database.drop()
            shutil.rmtree(media, ignore_errors=True)

    errors = [e for c in citizens for e in c.errors]
    replays = [r for c in citizens for r in c.replays]
    must_be_zero = {k: v for k, v in after.items() if not k.startswith("_")}
    result = {
        "database": database.vendor,
        "citizens": args.citizens,
        "submissions_tried": args.citizens * args.submissions,
        "acknowledged": len(acknowledged),
        "citizen_errors": len(errors),
        "first_errors": errors[:3],
        "parallel_replays": len(replays),
        "parallel_replays_with_receipt": sum(replays),
        "kills": [k["killed"] for k in kills],
        "elapsed_s": round(elapsed, 1),
        "lease_s": args.lease,
        "takeover_seconds_after_kill": latencies,
        "files_without_row_before_sweep": before["files_without_row"],
        "orphan_sweep": json.loads(swept.stdout.strip().splitlines()[-1])["outcome"],
        "tasks_taken_over_and_rerun": after["_tasks_taken_over_and_rerun"],
        "tasks_failed_as_lost": after["_tasks_failed_as_lost"],
        "invariants": must_be_zero,
        "running_left": after["_running"],
        "failed_as_lost": after["_lost"],
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faults.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    failed = any(must_be_zero.values()) or sum(replays) != len(replays)
    if failed:
        print("bench.faults: an invariant does not hold", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
