"""The case handler's inbox with many cases: bulk-created cases spread over the demo
municipalities (each routed as its service would route it, so Skiptvet's and Hobøl's PPT
referrals land with Spydeberg's PPT unit), then the inbox page timed through Django's
test client as a logged-in handler, with the filters handlers use most.

Cases are bulk-created without timeline, audit or journal rows: the inbox reads only the
case table (with its unit, municipality, form and handler), so those rows would not
change what is measured.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

BATCH = 5_000
INBOX = "/admin/cases/"
# status: share of the cases (closed cases dominate a real archive of several years)
STATUSES = [
    ("received", 8),
    ("in_progress", 12),
    ("awaiting_information", 4),
    ("decided", 6),
    ("closed", 70),
]
WORDS = ["Søknad", "Melding", "Klage", "Henvisning", "Innsynskrav", "Feilmelding", "Byggesøknad"]
THINGS = ["garasje", "gatelys", "vannlekkasje", "barnehageplass", "brøyting", "støy", "postliste"]


def load(count: int, *, seed: int = 2026) -> dict[str, float]:
    """Bulk-creates `count` cases; returns the seconds it took."""
    from samvirke.accounts.models import Role, RoleAssignment
    from samvirke.cases.core.selectors import route_for
    from samvirke.cases.models import Case, ServiceOffering

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    started = time.perf_counter()
    offerings = list(
        ServiceOffering.objects.select_related("form", "case_type", "organisation").filter(
            organisation__is_member=True, organisation__slug__in=_demo_slugs()
        )
    )
    routes = {o.pk: route_for(o, {}) for o in offerings}
    handlers_by_org: dict[int, list[int]] = {}
    for user_id, organisation_id in RoleAssignment.objects.filter(
        role=Role.CASE_HANDLER
    ).values_list("user_id", "organisation_id"):
        handlers_by_org.setdefault(organisation_id, []).append(user_id)
    statuses = [key for key, weight in STATUSES for _ in range(weight)]
    now = timezone.now()
    sequence: dict[tuple[int, int], int] = {}
    batch: list = []
    with transaction.atomic():
        for i in range(count):
            offering = rng.choice(offerings)
            route = routes[offering.pk]
            opened = now - dt.timedelta(days=rng.randint(0, 5 * 365), minutes=rng.randint(0, 1440))
            year = timezone.localtime(opened).year - 10  # clear of the demo's own numbers
            key = (offering.organisation_id, year)
            sequence[key] = sequence.get(key, 0) + 1
            status = rng.choice(statuses)
            handlers = handlers_by_org.get(route.handling_organisation_id, [])
            title = f"{rng.choice(WORDS)} om {rng.choice(THINGS)} {i:06d} (testdata)"
            deadline = timezone.localtime(opened).date() + dt.timedelta(
                days=offering.processing_days
            )
            if status in ("received", "in_progress", "awaiting_information"):
                # open cases are recent: most within their deadline, some overdue
                opened = now - dt.timedelta(days=rng.randint(0, offering.processing_days + 20))
                deadline = timezone.localtime(opened).date() + dt.timedelta(
                    days=offering.processing_days
                )
            batch.append(
                Case(
                    organisation_id=offering.organisation_id,
                    handling_organisation_id=route.handling_organisation_id,
                    handling_unit=route.handling_unit,
                    area_id=offering.form.area_id,
                    via_arrangement=route.via_arrangement,
                    case_type=offering.case_type,
                    offering=offering,
                    year=year,
                    sequence=sequence[key],
                    title=title,
                    public_title=title,
                    status=status,
                    applicant_name="Benk Testperson (testperson)",
                    assignee_id=rng.choice(handlers) if handlers and rng.random() < 0.6 else None,
                    opened_at=opened,
                    deadline=deadline,
                    paused_at=now if status == "awaiting_information" else None,
                    decided_at=now if status in ("decided", "closed") else None,
                    closed_at=now if status == "closed" else None,
                )
            )
            if len(batch) >= BATCH:
                Case.objects.bulk_create(batch)
                batch = []
        if batch:
            Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give
        cursor.execute("ANALYZE")
    return {"cases_s": round(time.perf_counter() - started, 2)}


def _demo_slugs() -> list[str]:
    from samvirke.organisations.demo import ALL

    return [name.lower().replace("ø", "o").replace("å", "a") for name in ALL]


def scenarios() -> list[tuple[str, Callable[[], int]]]:
    """The inbox as Askim's handler and as Spydeberg's PPT adviser (whose cases come
    through arrangements), each request a fresh one with the user looked up anew."""
    from django.test import Client

    from samvirke.accounts.models import User

    def client_for(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    askim = client_for("askim.saksbehandler")
    ppt = client_for("spydeberg.ppt")

    def page(client: Client, query: str = "") -> Callable[[], int]:
        def run() -> int:
            response = client.get(INBOX + query)
            if response.status_code != 200:
                raise RuntimeError(f"{INBOX}{query} answered {response.status_code}")
            return response.content.count(b'class="samvirke-row--')

        return run

    return [
        ("inbox, Askim handler, not closed, by deadline", page(askim)),
        ("inbox, Askim handler, overdue", page(askim, "?deadline=overdue")),
        ("inbox, Askim handler, assigned to me", page(askim, "?assignee=me")),
        ("inbox, Askim handler, search 'brøyting'", page(askim, "?q=br%C3%B8yting&status=all")),
        ("inbox, Askim handler, all cases, page 40", page(askim, "?status=all&p=40")),
        ("inbox, Spydeberg PPT (through arrangements)", page(ppt)),
    ]


def count() -> int:
    from samvirke.cases.models import Case

    return Case.objects.count()
