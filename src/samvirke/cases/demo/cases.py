"""Demo cases: in every member municipality a handful of cases at every stage, made
through the real services (opened, assigned, messaged, decided with a PDF/A letter,
closed), so that the inbox, My cases, the public journal and the Noark archive export
have something to show everywhere. Idempotent.

- Open cases: one just received, one in progress and assigned, one waiting for the
  applicant's information (deadline paused), one overdue.
- Two closed cases with a decision letter per municipality (the archive export takes
  closed cases only, and must never be empty): a home-care decision, and an access
  request or, where PPT comes from a host, a PPT referral.
- PPT referrals from the participants of the PPT arrangements (Skiptvet and Hobøl to
  Spydeberg's PPT unit; Marker, Rakkestad and Trøgstad to Eidsberg's) are handled by the
  host's PPT unit, while the referring municipality owns the case.

A municipality with no case handler of its own gets one demo handler, so every
municipality's cases can be decided by someone who may see them. Confidential cases (need
to know: home care here) are handled by a handler of their handling unit, made for the
unit where it has none.

Every applicant is invented and marked "(testperson)". Two decisions per municipality,
and letters remembered by their HTML (`_cached_render_pdfa`), keep the seeding quick:
WeasyPrint takes a moment per letter.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samvirke.accounts import services as account_services
from samvirke.accounts.access import forget_grants
from samvirke.accounts.demo import DEMO_PASSWORD
from samvirke.accounts.models import Role, RoleAssignment, User
from samvirke.cases.core.selectors import is_confidential, route_for
from samvirke.cases.core.services import case_open, case_status_move
from samvirke.cases.documents.services import PDFA_VARIANT, render_pdfa
from samvirke.cases.handling import selectors as handling_selectors
from samvirke.cases.handling import services as handling
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import Case, EntryType, Outcome, ServiceOffering
from samvirke.organisations.models import Organisation, OrganisationKind, Unit

TESTPERSON = "(testperson)"
DEMO_EMAIL_DOMAIN = "demo-saker.invalid"

# Handlers for municipalities without one of their own: username, full name.
EXTRA_HANDLERS = {
    "aremark": "Arne Saksbehandler (demo)",
    "marker": "Mona Saksbehandler (demo)",
    "romskog": "Rolf Saksbehandler (demo)",
    "trogstad": "Tone Saksbehandler (demo)",
    "rakkestad": "Rune Saksbehandler (demo)",
    "hobol": "Hilde Saksbehandler (demo)",
    "spydeberg": "Svein Saksbehandler (demo)",
    "eidsberg": "Eli Saksbehandler (demo)",
}

# (key, form, title, applicant, days since received, what happens)
CASES = [
    (
        "received",
        "feilmelding",
        "Feilmelding: gatelys ute ved {place}",
        "Ola Lysvik",
        1,
        "received",
    ),
    (
        "progress",
        "byggesoknad",
        "Byggesøknad: garasje på gnr. 12 bnr. 34 – {name}",
        "Nora Byggesen",
        20,
        "in_progress",
    ),
    (
        "waiting",
        "barnehageopptak",
        "Søknad om barnehageplass – {name}",
        "Emma Hagestad",
        12,
        "awaiting_information",
    ),
    (
        "overdue",
        "melding-til-kommunen",
        "Melding om behov for benk ved {place}",
        "Per Sittevik",
        45,
        "overdue",
    ),
    (
        "closed-granted",
        "hjemmetjenester",
        "Søknad om praktisk bistand i hjemmet – {name}",
        "Kari Hjemli",
        40,
        "closed",
    ),
    (
        "closed-access",
        "innsyn",
        "Innsynskrav i postliste for {month}",
        "Jonas Innsynsen",
        9,
        "closed",
    ),
]
PPT_CASES = [
    ("ppt-progress", "Henvisning til PPT – {name}", "Lars Lærevik", 25, "in_progress"),
    ("ppt-closed", "Henvisning til PPT – {name}", "Sofie Skolestad", 70, "closed"),
]
PLACES = ["kirka", "torget", "skolen", "idrettsplassen", "biblioteket", "stasjonen"]
MESSAGES = {
    "waiting": (
        "Vi trenger bekreftelse på arbeidstid for begge foreldre før vi kan behandle "
        "søknaden. Last opp bekreftelsen eller send den som svar her innen to uker."
    ),
    "progress": "Vi har mottatt søknaden og tar kontakt hvis vi trenger mer.",
}
DECISIONS = {
    "closed-granted": (
        Outcome.GRANTED,
        "Du har behov for praktisk bistand i hjemmet etter kartleggingen. Du får hjelp "
        "to timer hver uke til rengjøring og innkjøp.",
    ),
    "closed-access": (
        Outcome.PARTLY_GRANTED,
        "Du får innsyn i postlisten. Dokumenter som er unntatt offentlighet etter "
        "offentleglova § 13 er holdt tilbake.",
    ),
    "ppt-closed": (
        Outcome.GRANTED,
        "PPT tar henvisningen til følge og gjør en sakkyndig vurdering av elevens behov. "
        "Skolen og foresatte blir kalt inn til et første møte.",
    ),
}


def _name(person: str) -> str:
    return f"{person} {TESTPERSON}"


def _email(person: str) -> str:
    local = person.lower().replace(" ", ".").replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def _handler(organisation: Organisation) -> User:
    """A case handler of the municipality itself (made when it has none)."""
    existing = (
        User.objects.filter(
            role_assignments__organisation=organisation,
            role_assignments__role=Role.CASE_HANDLER,
            memberships__units__slug="servicetorget",
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    full_name = EXTRA_HANDLERS.get(organisation.slug, f"Saksbehandler {organisation.name} (demo)")
    username = f"{organisation.slug}.saksbehandler"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.staff_user_create(
            username=username,
            full_name=full_name,
            email=f"{username}@{organisation.slug}.kommune.invalid",
            organisation=organisation,
            password=DEMO_PASSWORD,
            title="Saksbehandler",
            roles=[Role.CASE_HANDLER],
            units=Unit.objects.filter(organisation=organisation, slug="servicetorget"),
        )
    elif not RoleAssignment.objects.filter(
        user=user, organisation=organisation, role=Role.CASE_HANDLER
    ).exists():
        account_services.role_assign(user=user, organisation=organisation, role=Role.CASE_HANDLER)
    forget_grants(user)
    return user


def _ppt_handler(case: Case) -> User | None:
    candidates = handling_selectors.assignable_handlers(case)
    return candidates[0] if candidates else None


def _unit_handler(case: Case) -> User:
    """A handler who may know the (confidential) case: one of its handling unit's staff,
    made for the unit when it has none."""
    candidates = handling_selectors.assignable_handlers(case)
    if candidates:
        return candidates[0]
    organisation, unit = case.handling_organisation, case.handling_unit
    username = f"{organisation.slug}.{unit.slug}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.staff_user_create(
            username=username,
            full_name=f"Saksbehandler {unit.name}, {organisation.name} (demo)",
            email=f"{username}@{organisation.slug}.kommune.invalid",
            organisation=organisation,
            password=DEMO_PASSWORD,
            title="Saksbehandler",
            roles=[Role.CASE_HANDLER],
            units=Unit.objects.filter(pk=unit.pk),
        )
    forget_grants(user)
    return user


_rendered: dict[str, bytes] = {}
LETTER_CACHE_DAYS = 7


def _letter_cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "demo-letters"


def _cached_render_pdfa(template_name: str, context: dict, *, language: str = "nb") -> bytes:
    """`render_pdfa`, remembered by the HTML it renders. The demo is loaded again and
    again with the same letters (at the start of every test session, before every
    browser test, by `make run`), and WeasyPrint takes a while per letter; the same HTML
    gives the same letter, so it is rendered once and kept in memory and in var/cache."""
    with translation.override(language):
        html = render_to_string(template_name, {**context, "language": language})
    key = hashlib.sha256(f"{PDFA_VARIANT}\n{html}".encode()).hexdigest()
    if key in _rendered:
        return _rendered[key]
    directory = _letter_cache_dir()
    path = directory / f"{key}.pdf"
    try:
        content = path.read_bytes()
    except OSError:
        content = render_pdfa(template_name, context, language=language)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            cutoff = time.time() - LETTER_CACHE_DAYS * 86_400
            for old in directory.glob("*.pdf"):  # letters carry the date: old ones go
                if old.stat().st_mtime < cutoff:
                    old.unlink(missing_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(content)
            temporary.replace(path)
        except OSError:
            pass  # a read-only checkout renders each time
    _rendered[key] = content
    return content


def _letter(case: Case, outcome: str, text: str, handler: User) -> bytes:
    return handling.decision_letter_render(
        case,
        outcome=outcome,
        text=text,
        legal_basis=handling_selectors.default_legal_basis(case),
        decided_by=handler,
        renderer=_cached_render_pdfa,
    )


def _open(offering: ServiceOffering, title: str, person: str, days_ago: int, now) -> Case:
    opened = now - datetime.timedelta(days=days_ago, hours=3)
    name = _name(person)
    case = case_open(
        offering=offering,
        route=route_for(offering, {}),
        title=title,
        protected=[name],
        applicant_name=name,
        applicant_email=_email(person),
        opened_at=opened,
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=f"{offering.form.title} – {name}",
        protected=[name],
        parties=[{"role": "sender", "name": name, "kind": "person"}],
        document_date=timezone.localtime(opened).date(),
    )
    return case


def _advance(case: Case, key: str, goal: str, handler: User) -> None:
    if goal == "received":
        return
    if goal == "overdue":
        handling.case_assign(case, handler, handler)
        case_status_move(case=case, to_status="in_progress", actor=handler)
        return
    handling.case_assign(case, handler, handler)
    case_status_move(case=case, to_status="in_progress", actor=handler)
    if key in MESSAGES and goal != "awaiting_information":
        handling.message_to_applicant(case, MESSAGES[key], handler)
    if goal == "in_progress":
        handling.case_note_add(case, "Sjekket at søknaden er komplett. (demo)", handler)
        return
    if goal == "awaiting_information":
        handling.message_to_applicant(case, MESSAGES[key], handler, requests_information=True)
        return
    outcome, text = DECISIONS[key]
    letter = _letter(case, outcome, text, handler)
    handling.case_decide(case, outcome, text, handler, letter=letter)
    handling.case_close(case, handler)


def _already_loaded(organisation: Organisation) -> bool:
    return Case.objects.filter(
        Q(organisation=organisation), applicant_email__endswith=f"@{DEMO_EMAIL_DOMAIN}"
    ).exists()


def load() -> None:
    now = timezone.now()
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, is_member=True
    ).order_by("number")
    for index, organisation in enumerate(municipalities):
        if _already_loaded(organisation):
            continue
        offerings = {
            o.form.slug: o
            for o in ServiceOffering.objects.filter(organisation=organisation).select_related(
                "form", "case_type", "organisation"
            )
        }
        handler = _handler(organisation)
        place = PLACES[index % len(PLACES)]
        month = timezone.localtime(now - datetime.timedelta(days=40)).strftime("%m.%Y")
        ppt = offerings.get("henvisning-ppt")
        ppt_route = route_for(ppt, {}) if ppt is not None else None
        # a participant in a PPT arrangement shows its referrals handled by the host
        # (one of them closed), in place of the closed access request
        through_host = (
            ppt_route is not None
            and ppt_route.via_arrangement is not None
            and ppt_route.handling_organisation_id != organisation.pk
        )
        for key, form, title, person, days_ago, goal in CASES:
            offering = offerings.get(form)
            if offering is None or (through_host and key == "closed-access"):
                continue
            text = title.format(name=_name(person), place=place, month=month)
            case = _open(offering, text, person, days_ago, now)
            _advance(case, key, goal, handler if not is_confidential(case) else _unit_handler(case))
        if not through_host:
            continue
        ppt_handler = None
        for key, title, person, days_ago, goal in PPT_CASES:
            case = _open(ppt, title.format(name=_name(person)), person, days_ago, now)
            ppt_handler = ppt_handler or _ppt_handler(case)
            if ppt_handler is not None:
                _advance(case, key, goal, ppt_handler)
