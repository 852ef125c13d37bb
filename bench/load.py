"""Loading a scaled region: the demo region (through `seed-demo`, so the demo users and
their roles exist), then many more organisations, arrangements, participations and audit
events, bulk-created. Deterministic for a given seed."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone


@dataclass
class Scale:
    organisations: int = 300
    arrangements: int = 5_000
    participations: int = 40_000
    audit_events: int = 200_000

    @classmethod
    def scaled(cls, factor: float) -> Scale:
        base = cls()
        return cls(*(max(1, int(getattr(base, f) * factor)) for f in base.__dataclass_fields__))


BATCH = 5_000


def load(scale: Scale, *, seed: int = 2026, log=print) -> dict[str, float]:
    from django.core.management import call_command

    from samvirke.audit import chain as audit_chain
    from samvirke.audit.models import AuditAction, AuditEvent
    from samvirke.organisations.models import (
        AreaOfWork,
        ArrangementStatus,
        CooperationArrangement,
        LegalForm,
        Organisation,
        OrganisationKind,
        Participation,
        Region,
    )

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    timings: dict[str, float] = {}

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    timings["seed_demo_s"] = time.perf_counter() - started

    region = Region.objects.get(slug="indre-ostfold")
    areas = list(AreaOfWork.objects.all())

    started = time.perf_counter()
    existing = Organisation.objects.count()
    extra = max(0, scale.organisations - existing)
    # a third of the new organisations are member municipalities, the rest partners
    partner_kinds = [
        OrganisationKind.INTER_MUNICIPAL_COMPANY,
        OrganisationKind.VENDOR,
        OrganisationKind.STATE_AGENCY,
        OrganisationKind.NETWORK_OPERATOR,
    ]
    new_organisations = []
    for i in range(extra):
        is_municipality = i % 3 == 0
        new_organisations.append(
            Organisation(
                region=region,
                kind=OrganisationKind.MUNICIPALITY
                if is_municipality
                else rng.choice(partner_kinds),
                name=f"Benk-organisasjon {i:04d}",
                slug=f"bench-{i:04d}",
                number=f"{9000 + i:04d}" if is_municipality else "",
                is_member=is_municipality,
                population=rng.randint(500, 40_000) if is_municipality else None,
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(new_organisations, batch_size=BATCH)
    organisations = list(Organisation.objects.values_list("id", "is_member"))
    organisation_ids = [o for o, _ in organisations]
    member_ids = [o for o, member in organisations if member]
    timings["organisations_s"] = time.perf_counter() - started

    started = time.perf_counter()
    legal_forms = list(LegalForm.values)
    statuses = [ArrangementStatus.ACTIVE] * 8 + [ArrangementStatus.PLANNED, ArrangementStatus.ENDED]
    arrangements = [
        CooperationArrangement(
            region=region,
            name=f"Benk-samarbeid {i:05d}",
            slug=f"bench-{i:05d}",
            description="Samarbeid lastet av benchmarken (testdata).",
            area=rng.choice(areas),
            legal_form=rng.choice(legal_forms),
            host_id=rng.choice(member_ids),
            status=rng.choice(statuses),
            is_public=rng.random() < 0.8,
        )
        for i in range(scale.arrangements)
    ]
    with transaction.atomic():
        CooperationArrangement.objects.bulk_create(arrangements, batch_size=BATCH)
    arrangement_ids = list(
        CooperationArrangement.objects.filter(slug__startswith="bench-").values_list(
            "id", flat=True
        )
    )
    timings["arrangements_s"] = time.perf_counter() - started

    started = time.perf_counter()
    per_arrangement, remainder = divmod(scale.participations, max(1, len(arrangement_ids)))
    today = timezone.localdate()
    participations = []
    for index, arrangement_id in enumerate(arrangement_ids):
        count = min(len(member_ids), per_arrangement + (1 if index < remainder else 0))
        for organisation_id in rng.sample(member_ids, count):
            ended = rng.random() < 0.05
            participations.append(
                Participation(
                    arrangement_id=arrangement_id,
                    organisation_id=organisation_id,
                    starts_on=today - dt.timedelta(days=rng.randint(30, 3_000)),
                    ends_on=today - dt.timedelta(days=rng.randint(1, 29)) if ended else None,
                )
            )
    with transaction.atomic():
        Participation.objects.bulk_create(participations, batch_size=BATCH)
    timings["participations_s"] = time.perf_counter() - started

    started = time.perf_counter()
    actions = [AuditAction.UPDATE] * 5 + [AuditAction.CREATE, AuditAction.READ, AuditAction.LOGIN]
    now = timezone.now()
    # most events belong to member municipalities, as they would
    weighted_orgs = member_ids * 4 + organisation_ids
    batch: list = []
    with transaction.atomic():
        for i in range(scale.audit_events):
            batch.append(
                AuditEvent(
                    occurred_at=now - dt.timedelta(seconds=rng.randint(0, 365 * 24 * 3600)),
                    actor_label="Benk-bruker (testdata)",
                    acting_for_id=rng.choice(weighted_orgs),
                    action=rng.choice(actions),
                    object_type="organisations.cooperationarrangement",
                    object_id=str(rng.choice(arrangement_ids)),
                    object_label="Benk-samarbeid",
                    changes={"status": ["planned", "active"]},
                    request_id=f"bench{i:010d}",
                )
            )
            if len(batch) >= BATCH:
                audit_chain.link(batch, audit_chain.lock_head())
                AuditEvent.objects.bulk_create(batch)
                batch = []
        if batch:
            audit_chain.link(batch, audit_chain.lock_head())
            AuditEvent.objects.bulk_create(batch)
    timings["audit_events_s"] = time.perf_counter() - started

    _analyze()
    return {key: round(value, 2) for key, value in timings.items()}


def _analyze() -> None:
    """Fresh statistics, as autovacuum would give a production database after a while."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def counts() -> dict[str, int]:
    from samvirke.audit.models import AuditEvent
    from samvirke.organisations.models import CooperationArrangement, Organisation, Participation

    return {
        "organisations": Organisation.objects.count(),
        "member_municipalities": Organisation.objects.filter(is_member=True).count(),
        "arrangements": CooperationArrangement.objects.count(),
        "participations": Participation.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
