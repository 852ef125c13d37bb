"""Demo content for the portals: the regional portal Smaalensveven and a site for each of
the ten member municipalities, with invented news, events, a service catalogue drawn from
one regional list, contact pages and accessibility statements. Everything here is test
content; every page carries a demo notice (portal/demo_notice.html).

Also the editor groups' demo members: Askim's editor, a regional editor and a reviewer.
Idempotent: a site whose pages are already there is left alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch import signal_handlers as search_signal_handlers
from modelsearch.backends import get_search_backends
from wagtail.models import Locale
from wagtail.signal_handlers import disable_reference_index_auto_update

from samvirke.accounts import demo as accounts_demo
from samvirke.accounts import services as account_services
from samvirke.accounts.models import Role, User
from samvirke.organisations import selectors as organisation_selectors
from samvirke.organisations.models import Organisation, Unit
from samvirke.portal import services
from samvirke.portal.models import (
    AccessibilityStatementPage,
    ContactPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    SearchPage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)

DEMO = "Demoinnhold: oppdiktet testinnhold."

# slug, title, summary, audience, how to apply, legal basis, fees, processing time, unit slug
SERVICES = [
    (
        "byggesoknad",
        "Byggesøknad",
        "Søk om tillatelse før du bygger, river eller endrer bruken av et bygg.",
        "Huseiere, utbyggere og foretak som skal gjøre søknadspliktige tiltak.",
        "Varsle naboene, vent to uker på eventuelle merknader, og send søknaden med "
        "tegninger, situasjonskart og nabovarsel.",
        "Plan- og bygningsloven kapittel 20 og 21",
        "Etter kommunens gebyrregulativ",
        "12 uker, 3 uker for enkle saker uten merknader",
        "kart-og-oppmaling",
    ),
    (
        "barnehageopptak",
        "Søke barnehageplass",
        "Søk plass i kommunal eller privat barnehage. Hovedopptaket har frist 1. mars.",
        "Foreldre og foresatte med barn under skolealder som bor i kommunen.",
        "Fyll ut søknaden om barnehageplass og før opp inntil tre barnehager i prioritert "
        "rekkefølge.",
        "Barnehageloven § 16",
        "Makspris for foreldrebetaling, med søskenmoderasjon",
        "Svar på hovedopptaket innen utgangen av april",
        "barnehager",
    ),
    (
        "henvisning-ppt",
        "Henvisning til PPT",
        "Pedagogisk-psykologisk tjeneste hjelper barn og unge med særlige behov i "
        "barnehage og skole.",
        "Barn og unge i barnehage og skole, deres foresatte og lærere.",
        "Skolen eller barnehagen henviser i samråd med foresatte. Foresatte kan også "
        "henvende seg direkte.",
        "Opplæringsloven § 5-6 og barnehageloven § 33",
        "Gratis",
        "Saken tas opp innen tre måneder",
        "oppvekst",
    ),
    (
        "innsyn",
        "Be om innsyn",
        "Be om innsyn i dokumenter i kommunens postjournal.",
        "Alle kan be om innsyn. Du trenger ikke oppgi hvorfor.",
        "Oppgi hvilket dokument du vil se, gjerne med saksnummer fra postjournalen.",
        "Offentleglova § 3",
        "Gratis",
        "Normalt innen tre virkedager",
        "servicetorget",
    ),
    (
        "generell-henvendelse",
        "Send en henvendelse",
        "Send spørsmål, innspill eller klager til kommunen.",
        "Innbyggere, næringsliv og organisasjoner.",
        "Skriv henvendelsen og legg ved dokumenter. Ikke send sensitive opplysninger.",
        "Forvaltningsloven § 11",
        "Gratis",
        "Svar innen tre uker",
        "servicetorget",
    ),
    (
        "meld-feil",
        "Meld feil på vei, vann eller lys",
        "Si fra om hull i veien, vannlekkasjer, gatelys som ikke virker eller andre feil.",
        "Alle som ser en feil på kommunal vei, vann, avløp eller gatelys.",
        "Beskriv feilen og hvor den er. Legg gjerne ved et bilde.",
        "Veglova § 20",
        "Gratis",
        "Akutte feil utbedres fortløpende",
        "teknisk",
    ),
    (
        "hjemmetjenester",
        "Hjemmetjenester",
        "Hjemmesykepleie og praktisk bistand for deg som trenger hjelp til å bo hjemme.",
        "Personer som på grunn av sykdom, alder eller funksjonsnedsettelse trenger hjelp.",
        "Søk om helse- og omsorgstjenester. Kommunen kartlegger behovet sammen med deg.",
        "Helse- og omsorgstjenesteloven § 3-2",
        "Hjemmesykepleie er gratis; praktisk bistand etter inntekt",
        "Vedtak innen fire uker",
        "helse-og-omsorg",
    ),
    (
        "kontakt-barnevernet",
        "Kontakt barneverntjenesten",
        "Er du bekymret for et barn, eller trenger familien hjelp? Ta kontakt.",
        "Barn, foreldre og alle som er bekymret for et barn.",
        "Ring eller send bekymringsmelding. Utenfor kontortid: barnevernvakta.",
        "Barnevernsloven § 2-1",
        "Gratis",
        "Meldinger gjennomgås innen én uke",
        "barnevern",
    ),
]

NEWS = [
    (
        "Nytt bibliotek åpner etter sommeren",
        "Det nye biblioteket får lengre åpningstider og egen lesesal for ungdom.",
    ),
    (
        "Vi skifter ut gatelys i sentrum",
        "Gatelysene byttes til LED. Arbeidet pågår i tre uker, og det kan bli kortvarig mørkt.",
    ),
    (
        "Søk tilskudd til lag og foreninger",
        "Frivillige lag og foreninger kan søke om driftstilskudd innen 15. april.",
    ),
]
EVENTS = [
    ("Folkemøte om kommuneplanen", "Kommunestyresalen, rådhuset", 14, 18, 20),
    ("Åpen dag på ungdomsskolen", "Ungdomsskolen, aulaen", 30, 17, 19),
]

REGIONAL_NEWS = [
    (
        "Bredbånd til alle 36 skoler",
        "Smaalensveven kobler de siste skolene til det regionale nettet i andre fase.",
        "all",
    ),
    (
        "Felles PPT-kontor flytter",
        "PPT for Spydeberg, Skiptvet og Hobøl samles i nye lokaler.",
        ["spydeberg", "skiptvet", "hobol"],
    ),
    (
        "Regionalt IKT-råd møtes",
        "IKT-rådet i Smaalensveven legger fram arbeidsplanen for neste år.",
        [],
    ),
]

# username, full name, roles, group
EDITORS = [
    ("region.redaktor", "Rita Regional (demo)", [Role.EDITOR], services.REGIONAL_EDITORS_GROUP),
    ("region.godkjenner", "Gunnar Godkjenner (demo)", [Role.EDITOR], services.REVIEWERS_GROUP),
]


def _body(text: str) -> list[tuple[str, object]]:
    return [
        ("paragraph", f"<p>{text}</p>"),
        ("info_box", {"title": "Demo", "text": f"<p>{DEMO}</p>", "kind": "info"}),
    ]


def _accessibility_body(name: str) -> list[tuple[str, object]]:
    return [
        ("heading", {"text": "Status", "level": "h2"}),
        (
            "paragraph",
            f"<p>{name} skal oppfylle kravene i WCAG 2.1 nivå AA. Nettstedet testes "
            "automatisk med axe-core og manuelt med tastatur og skjermleser.</p>",
        ),
        ("heading", {"text": "Tilbakemelding og klage", "level": "h2"}),
        (
            "paragraph",
            "<p>Finner du noe som ikke virker, si fra til servicetorget. Du kan også klage "
            "til Tilsynet for universell utforming av ikt.</p>",
        ),
        ("info_box", {"title": "Demo", "text": f"<p>{DEMO}</p>", "kind": "info"}),
    ]


def _child(parent, model):
    return model.objects.child_of(parent).first()


def _fill_site(home: HomePage, organisation: Organisation | None, index: int) -> bool:
    """Adds the demo pages to a site whose sections exist; skips a site already filled.
    Says whether it added any."""
    news_index = _child(home, NewsIndexPage)
    if news_index is None or news_index.numchild or home.intro:
        return False
    name = organisation.name if organisation else home.title
    home.intro = (
        f"<p>Velkommen til {name}. Her finner du tjenester, nyheter og arrangementer.</p>"
        if organisation
        else "<p>Smaalensveven er den felles portalen for de ti kommunene i Indre Østfold.</p>"
    )
    home.search_description = f"{name}: tjenester, nyheter og arrangementer. {DEMO}"
    home.save(update_fields=["intro", "search_description"])
    today = timezone.localdate()

    articles = REGIONAL_NEWS if organisation is None else NEWS
    for number, (title, lead, *_rest) in enumerate(articles):
        news_index.add_child(
            instance=NewsArticlePage(
                title=title if organisation is None else f"{title} ({organisation.name})",
                slug=f"nyhet-{number + 1}",
                date=today - timedelta(days=3 * number + index),
                lead=lead,
                body=_body(lead),
            )
        )
    event_index = _child(home, EventIndexPage)
    for number, (title, place, days, start, end) in enumerate(EVENTS):
        day = today + timedelta(days=days + index)
        event_index.add_child(
            instance=EventPage(
                title=title,
                slug=f"arrangement-{number + 1}",
                start=timezone.make_aware(datetime.combine(day, time(start))),
                end=timezone.make_aware(datetime.combine(day, time(end))),
                place=place if organisation else "Digitalt møte",
                lead=f"{title}. {DEMO}",
            )
        )
    if organisation is not None:
        service_index = _child(home, ServiceIndexPage)
        service_index.intro = "Tjenestene kommunen tilbyr, og hvordan du søker."
        service_index.save(update_fields=["intro"])
        units = {u.slug: u for u in Unit.objects.filter(organisation=organisation, is_public=True)}
        # every municipality offers at least six of the eight regional services
        chosen = SERVICES if index % 3 == 0 else SERVICES[: 6 + index % 2]
        for slug, title, summary, audience, apply, legal, fees, processing, unit in chosen:
            if slug == "henvisning-ppt" and "ppt" in units:
                unit = "ppt"
            service_index.add_child(
                instance=ServicePage(
                    title=title,
                    slug=slug,
                    summary=summary,
                    audience=f"<p>{audience}</p>",
                    how_to_apply=f"<p>{apply}</p>",
                    legal_basis=legal,
                    fees=fees,
                    processing_time=processing,
                    responsible_unit=units.get(unit),
                    search_description=f"{summary} {DEMO}",
                )
            )
    else:
        # the region has no services of its own: each municipality's catalogue has them
        ServiceIndexPage.objects.child_of(home).update(show_in_menus=False)
        home.add_child(
            instance=StandardPage(
                title="Om samarbeidet",
                slug="om-samarbeidet",
                lead="Ti kommuner i Indre Østfold samarbeider om portal, bredbånd og tjenester.",
                body=_body(
                    "Smaalensveven eies av kommunene i fellesskap. Hver kommune har sitt eget "
                    "nettsted, og felles saker publiseres her og vises hos kommunene."
                ),
                show_in_menus=True,
            )
        )
    statement = _child(home, AccessibilityStatementPage)
    statement.body = _accessibility_body(name)
    statement.last_reviewed = date(today.year, 1, 15)
    statement.save(update_fields=["body", "last_reviewed"])
    return True


def _share_regional_news(region_home: HomePage) -> None:
    news_index = _child(region_home, NewsIndexPage)
    theme = StandardPage.objects.child_of(region_home).filter(slug="om-samarbeidet").first()
    if theme is not None and not theme.share_with_all:
        services.shared_article_share(article=theme, share_with_all=True)
    for number, (_title, _lead, shared) in enumerate(REGIONAL_NEWS):
        article = (
            NewsArticlePage.objects.child_of(news_index).filter(slug=f"nyhet-{number + 1}").first()
        )
        if article is None or article.share_with_all or article.shared_to.exists():
            continue
        if shared == "all":
            services.shared_article_share(article=article, share_with_all=True)
        elif shared:
            services.shared_article_share(
                article=article, organisations=Organisation.objects.filter(slug__in=shared)
            )


# Demo translations (invented text, marked as demo): page, language, fields. The regional
# portal's and Askim's home pages in English and nynorsk, and a few key pages in English.
TRANSLATIONS: list[tuple[str, str, dict]] = [
    (
        "region",
        "en",
        {
            "title": "Smaalensveven – Indre Østfold",
            "intro": "<p>Smaalensveven is the shared portal of the ten municipalities of Indre "
            "Østfold. (Demo content: invented test text.)</p>",
            "search_description": "The regional portal of Indre Østfold. Demo content.",
        },
    ),
    (
        "region",
        "nn",
        {
            "title": "Smaalensveven – Indre Østfold",
            "intro": "<p>Smaalensveven er den felles portalen for dei ti kommunane i Indre "
            "Østfold. (Demoinnhald: oppdikta testinnhald.)</p>",
            "search_description": "Regionportalen for Indre Østfold. Demoinnhald.",
        },
    ),
    (
        "region/om-samarbeidet",
        "en",
        {
            "title": "About the cooperation",
            "lead": "Ten municipalities in Indre Østfold cooperate on a portal, broadband and "
            "services. (Demo content.)",
        },
    ),
    ("region/nyheter", "en", {"title": "News"}),
    (
        "region/nyheter/nyhet-1",
        "en",
        {
            "title": "Broadband to all 36 schools",
            "lead": "Smaalensveven connects the last schools to the regional network in the second "
            "phase. (Demo content.)",
        },
    ),
    (
        "askim",
        "en",
        {
            "title": "Askim Municipality",
            "intro": "<p>Welcome to Askim Municipality. Here you find services, news and events. "
            "(Demo content: invented test text.)</p>",
            "search_description": "Askim Municipality: services, news and events. Demo content.",
        },
    ),
    (
        "askim",
        "nn",
        {
            "title": "Askim kommune",
            "intro": "<p>Velkommen til Askim kommune. Her finn du tenester, nyheiter og "
            "arrangement. (Demoinnhald: oppdikta testinnhald.)</p>",
            "search_description": "Askim kommune: tenester, nyheiter og arrangement. Demoinnhald.",
        },
    ),
    (
        "askim/tjenester",
        "en",
        {
            "title": "Services",
            "intro": "The services the municipality offers, and how to apply.",
        },
    ),
    (
        "askim/tjenester/byggesoknad",
        "en",
        {
            "title": "Building application",
            "summary": "Apply for a permit before you build, demolish or change the use of a "
            "building. (Demo content.)",
            "audience": "<p>Home owners, developers and firms carrying out work that needs a "
            "permit.</p>",
            "how_to_apply": "<p>Notify your neighbours, wait two weeks for any comments, and send "
            "the application with drawings, a site plan and the neighbour notice.</p>",
            "legal_basis": "Planning and Building Act, chapters 20 and 21",
            "fees": "According to the municipality's schedule of fees",
            "processing_time": "12 weeks, 3 weeks for simple cases without objections",
            "search_description": "Building permits in Askim. Demo content.",
        },
    ),
    ("askim/kontakt", "en", {"title": "Contact us"}),
]


def _demo_page(address: str):
    """'region', 'askim' or 'askim/tjenester/byggesoknad': a page of the bokmål trees."""
    first, *slugs = address.split("/")
    page = (
        (
            HomePage.objects.filter(is_regional=True)
            if first == "region"
            else HomePage.objects.filter(organisation__slug=first)
        )
        .filter(locale=Locale.get_default())
        .first()
    )
    for slug in slugs:
        if page is None:
            return None
        page = page.get_children().filter(slug=slug).first()
    return page.specific if page is not None else None


def _translate() -> None:
    """Publishes the demo translations that are not there yet, made the way editors make
    them (Wagtail's copy for translation, then a published revision)."""
    for address, language, fields in TRANSLATIONS:
        page = _demo_page(address)
        locale = Locale.objects.filter(language_code=language).first()
        if page is None or locale is None or page.has_translation(locale):
            continue
        translation = page.copy_for_translation(locale).specific
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save_revision().publish()


def _editors() -> None:
    askim = Organisation.objects.get(slug="askim")
    askim_editor = User.objects.filter(username="askim.redaktor").first()
    if askim_editor is not None:
        askim_editor.groups.add(services.editor_group(organisation=askim))
    for username, full_name, roles, group_name in EDITORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.staff_user_create(
                username=username,
                full_name=full_name,
                email=f"{username}@smaalensveven.invalid",
                organisation=askim,  # the portal's editorial office sits in Askim
                password=accounts_demo.DEMO_PASSWORD,
                roles=roles,
                title="Portalredaktør (demo)",
            )
        user.groups.add(account_services.staff_group())
        group = (
            services.regional_editors_group()
            if group_name == services.REGIONAL_EDITORS_GROUP
            else services.reviewers_group()
        )
        user.groups.add(group)


PAGE_MODELS = [
    HomePage,
    StandardPage,
    NewsIndexPage,
    NewsArticlePage,
    EventIndexPage,
    EventPage,
    ServiceIndexPage,
    ServicePage,
    ContactPage,
    AccessibilityStatementPage,
    SearchPage,
]


@contextmanager
def _indexing_in_one_batch():
    """Seeding runs before every test session and browser test, so it must be quick: the
    demo pages go into the search index in one batch per page type instead of one task per
    save, and the reference index is left alone (demo pages refer to nothing it tracks)."""
    for model in PAGE_MODELS:
        post_save.disconnect(search_signal_handlers.post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in PAGE_MODELS:
            post_save.connect(search_signal_handlers.post_save_signal_handler, sender=model)


def _index_pages() -> None:
    for backend in get_search_backends(with_auto_update=True):
        for model in PAGE_MODELS:
            backend.add_bulk(model, list(model.objects.all()))


def load() -> None:
    region = organisation_selectors.region_current()
    if region is None:
        return
    with _indexing_in_one_batch():
        region_home = services.regional_site_ensure(region=region)
        created = _fill_site(region_home, None, 0)
        for index, municipality in enumerate(organisation_selectors.municipality_list()):
            home = services.portal_site_ensure(organisation=municipality)
            created = _fill_site(home, municipality, index + 1) or created
    if created:
        _index_pages()
    _share_regional_news(region_home)
    _translate()
    _editors()
