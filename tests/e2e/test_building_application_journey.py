"""A building application (byggesøknad) in Askim from start to decision, in Chromium, as
the people involved would do it, each in their own browser:

1. the applicant logs in with eID on the e-service's start page, fills in every step
   (with a drawing and a site plan as real PDFs), sends, and downloads the receipt;
2. the neighbour opens the personal link from the notice e-mail, reads the plans and
   objects; the applicant, from the receipt e-mail, finds the neighbour notification and
   sends the application to the municipality;
3. the case handler logs in with password and authenticator code, finds the case in the
   inbox and asks the applicant for more information;
4. the applicant answers in My cases, telling of their personal circumstances;
5. the case handler screens that answer's journal entry (offl. § 13, jf. fvl. § 13
   første ledd nr. 1), after the screening form has refused to go on without a legal
   basis;
6. the case handler decides, and the decision letter is made;
7. the applicant reads the decision letter in My cases;
8. anyone reads the case's entries in Askim's public journal: titles and parties (the
   case is not screened), except the screened answer, whose title hides the applicant's
   name and whose parties are hidden; never the national identity number or the
   contents.

axe-core checks the citizens' pages along the way; a screenshot is taken at each step
(var/screenshots/journey-*.png)."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from samvirke.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY
from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.models import User
from samvirke.cases.models import Case, EntryType, Submission
from samvirke.cases.screening.bases import PERSONAL_CIRCUMSTANCES

from .conftest import assert_accessible, axe_violations, screenshot

pytestmark = pytest.mark.e2e

APPLICANT = BY_KEY["p4"]
APPLICANT_EMAIL = "jonas.eksempelberg@example.invalid"
NEIGHBOUR_NAME = "Kari Nabo"
NEIGHBOUR_EMAIL = "kari.nabo@example.invalid"
HANDLER = "askim.saksbehandler"
START = "/e-services/askim/byggesoknad/"

NEXT = re.compile(r"^(Next|Neste)$")
SEND = re.compile(r"^Send$")
SLOW = 60_000  # sending and deciding render PDF/A documents
# the paths of the links in the e-mails (their host is the configured site, not the
# live server)
NOTICE_LINK = re.compile(r"https?://\S+?(/neighbour-notice/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/)")
RECEIPT_LINK = re.compile(r"https?://\S+?(/e-services/receipts/[0-9a-f-]+/)")
MY_CASE_LINK = re.compile(r"https?://\S+?(/my-cases/\d+/)")


def a_pdf(title: str) -> bytes:
    """A small but real PDF: one blank A4 page with a title in its metadata."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    return reader


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def serious_violations_in_main(page) -> list[dict]:
    """axe-core's findings inside our content on a Wagtail admin page (Wagtail's own menu
    and header are Wagtail's to fix), as in test_case_handling."""
    return [
        v
        for v in axe_violations(page)
        if any("#main" in str(n) or "nice-padding" in str(n) for n in v["nodes"])
    ]


def link_in_mail(to: str, pattern: re.Pattern, containing: str = "") -> str:
    """The path of the link in the last e-mail to this address (that contains the text)."""
    [*_, message] = [m for m in mail.outbox if m.to == [to] and containing in m.body]
    return pattern.search(message.body).group(1)


def fill_parts(scope, values: dict[str, str]) -> None:
    """Fills the parts of a compound question (address, property, map point) by label."""
    for label, value in values.items():
        scope.get_by_label(re.compile(f"^{label}")).fill(value)


def next_step(page, step: int | None) -> None:
    """Goes on to the step with this index (None: the review page)."""
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url(re.compile(rf"/step/{step}/$" if step is not None else r"/review/$"))


def test_a_building_application_from_the_applicant_to_the_decision(
    browser, live_server, e2e_demo, tmp_path
):
    # given a case handler in Askim with an authenticator app
    TOTPDevice.objects.get_or_create(
        user=User.objects.get(username=HANDLER),
        name="Demo",
        defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
    )
    mail.outbox.clear()
    drawing = tmp_path / "fasadetegning.pdf"
    drawing.write_bytes(a_pdf("Fasadetegning, garasje"))
    site_plan = tmp_path / "situasjonsplan.pdf"
    site_plan.write_bytes(a_pdf("Situasjonsplan, Storgata 1"))

    contexts = []

    def new_page():
        context = browser.new_context(locale="nb-NO", base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    try:
        citizen = new_page()
        neighbour = new_page()
        handler = new_page()
        # Wagtail's admin scrolls inside its own frame: a tall window shows the whole case
        handler.set_viewport_size({"width": 1280, "height": 2400})

        # --- 1. the applicant applies ------------------------------------------------
        citizen.goto(START)
        expect(citizen.get_by_role("heading", level=1)).to_contain_text("Søknad om tillatelse")
        assert_accessible(citizen)
        screenshot(citizen, "journey-01-start")
        citizen.get_by_role(
            "link", name=re.compile("Log in with eID and start|Logg inn med eID og start")
        ).click()
        citizen.wait_for_url(re.compile(r"/dev-idp/authorize/"))
        citizen.get_by_label(re.compile(APPLICANT.name)).check()
        citizen.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
        citizen.wait_for_url(re.compile(re.escape(START) + "$"))
        citizen.get_by_role("button", name="Start").click()

        # step 1: the applicant, filled in from eID
        citizen.wait_for_url(re.compile(r"/step/0/$"))
        assert citizen.get_by_label(re.compile("^Navn")).input_value() == APPLICANT.name
        assert citizen.get_by_label(re.compile("^Fødselsnummer")).input_value() == (
            APPLICANT.national_id
        )
        citizen.get_by_label(re.compile("^E-post")).fill(APPLICANT_EMAIL)
        citizen.get_by_label(re.compile("^Telefon")).fill("+4799887766")
        citizen.get_by_role("group", name=re.compile("vegne av et foretak")).get_by_label(
            "Nei"
        ).check()
        assert_accessible(citizen)
        screenshot(citizen, "journey-02-step-applicant")
        next_step(citizen, 1)

        # step 2: the property
        fill_parts(
            citizen.get_by_role("group", name=re.compile("^Eiendommen det gjelder")),
            {"Kommunenummer": "3110", "Gårdsnummer": "12", "Bruksnummer": "34"},
        )
        fill_parts(
            citizen.get_by_role("group", name=re.compile("^Adresse")),
            {"Gateadresse": "Storgata 1", "Postnummer": "1830", "Poststed": "Askim"},
        )
        fill_parts(
            citizen.get_by_role("group", name=re.compile("^Plassering")),
            {"Breddegrad": "59,5853", "Lengdegrad": "11,1641"},
        )
        assert_accessible(citizen)
        screenshot(citizen, "journey-03-step-property")
        next_step(citizen, 2)

        # step 3: the project
        citizen.get_by_label("Garasje eller uthus").check()
        citizen.get_by_label(re.compile("^Beskriv tiltaket")).fill(
            "Dobbel garasje i tre med saltak, 36 m², ved innkjørselen mot nord."
        )
        citizen.get_by_role("group", name=re.compile("dispensasjon")).get_by_label("Nei").check()
        # a garage has a floor area: the question shows once the choice is sent
        citizen.get_by_role("button", name=NEXT).click()
        area = citizen.get_by_label(re.compile("^Bruksareal"))
        expect(area).to_be_visible()
        assert re.search(r"/step/2/$", citizen.url)
        area.fill("36")
        assert_accessible(citizen)
        screenshot(citizen, "journey-04-step-project")
        next_step(citizen, 3)

        # step 4: the neighbour to notify, with an e-mail address for the personal link
        row = citizen.get_by_role("group", name=re.compile(r"^Nabo, nummer 1"))
        row.get_by_label(re.compile("^Navn")).fill(NEIGHBOUR_NAME)
        row.get_by_label(re.compile("^E-post")).fill(NEIGHBOUR_EMAIL)
        fill_parts(
            row.get_by_role("group", name=re.compile("^Postadresse")),
            {"Gateadresse": "Storgata 3", "Postnummer": "1830", "Poststed": "Askim"},
        )
        fill_parts(
            row.get_by_role("group", name=re.compile("^Naboeiendom")),
            {"Kommunenummer": "3110", "Gårdsnummer": "12", "Bruksnummer": "35"},
        )
        assert_accessible(citizen)
        screenshot(citizen, "journey-05-step-neighbours")
        next_step(citizen, 4)

        # step 5: the attachments
        citizen.get_by_label(re.compile("^Tegninger")).set_input_files(str(drawing))
        citizen.get_by_label(re.compile("^Situasjonsplan")).set_input_files(str(site_plan))
        assert_accessible(citizen)
        screenshot(citizen, "journey-06-step-attachments")
        next_step(citizen, None)

        # the review lists the answers and the files
        review = citizen.locator("main").inner_text()
        for expected in ("Storgata 1", NEIGHBOUR_NAME, "fasadetegning.pdf", "situasjonsplan.pdf"):
            assert expected in review
        assert_accessible(citizen)
        screenshot(citizen, "journey-07-review")
        citizen.get_by_role("button", name=SEND).click(timeout=SLOW)

        # the receipt: stored, waiting for the neighbours; the PDF receipt downloads
        citizen.wait_for_url(re.compile(r"/e-services/receipts/"), timeout=SLOW)
        expect(citizen.get_by_role("heading", level=1)).to_have_text(
            re.compile("Your submission is stored|Innsendingen din er lagret")
        )
        submission = Submission.objects.get(applicant__full_name=APPLICANT.name)
        assert submission.case is None
        assert_accessible(citizen)
        screenshot(citizen, "journey-08-receipt")
        with citizen.expect_download(timeout=SLOW) as download:
            citizen.get_by_role("link", name=re.compile("receipt|kvittering", re.I)).click()
        assert download.value.suggested_filename.endswith(".pdf")
        is_pdf(download.value.path().read_bytes())

        # --- 2. the neighbour answers through the link in the notice e-mail -----------
        [notice] = [m for m in mail.outbox if m.to == [NEIGHBOUR_EMAIL]]
        neighbour.goto(NOTICE_LINK.search(notice.body).group(1))
        main = neighbour.locator("main")
        expect(main).to_contain_text(APPLICANT.name)
        assert APPLICANT.national_id not in neighbour.content()
        plan = neighbour.get_by_role("link", name="fasadetegning.pdf")
        plan_response = neighbour.request.get(plan.get_attribute("href"))
        assert plan_response.ok
        assert plan_response.headers["content-type"] == "application/pdf"
        is_pdf(plan_response.body())
        assert_accessible(neighbour)
        screenshot(neighbour, "journey-09-neighbour-notice")
        neighbour.get_by_label(re.compile("I object|Jeg har merknader")).check()
        neighbour.get_by_label(re.compile("Your comment or objection|Kommentaren")).fill(
            "Garasjen kommer nær grensen vår. Vi ber om at takfoten ikke går over tomtegrensen."
        )
        neighbour.get_by_role("button", name=re.compile("Send the answer|Send svaret")).click()
        expect(neighbour.locator(".ds-alert[data-color='success']").first).to_be_visible()
        assert_accessible(neighbour)
        screenshot(neighbour, "journey-10-neighbour-answered")

        # the applicant opens the receipt from the receipt e-mail and follows the
        # neighbour notification from there; every neighbour has answered, so it can go
        citizen.goto(link_in_mail(APPLICANT_EMAIL, RECEIPT_LINK))
        citizen.get_by_role(
            "link", name=re.compile("^(Neighbour notification|Nabovarsling)$")
        ).click()
        citizen.wait_for_url(re.compile(rf"/neighbour-notice/status/{submission.key}/$"))
        expect(citizen.locator("main")).to_contain_text(NEIGHBOUR_NAME)
        expect(citizen.locator("main")).to_contain_text("takfoten")
        assert_accessible(citizen)
        screenshot(citizen, "journey-11-neighbour-status")
        with citizen.expect_navigation(timeout=SLOW):
            citizen.get_by_role(
                "button", name=re.compile("Send to the municipality now|Send til kommunen nå")
            ).click()
        submission.refresh_from_db()
        case = Case.objects.get(pk=submission.case_id)
        expect(citizen.locator("main")).to_contain_text(case.reference)
        assert_accessible(citizen)
        screenshot(citizen, "journey-12-sent-to-municipality")
        assert case.organisation.slug == "askim"
        # a neighbour objected: twelve weeks (pbl. § 21-7), however the rest was answered
        assert submission.neighbour_notification.processing_days == 84
        # the case is in My cases now
        citizen.get_by_role("link", name=re.compile("Follow the case|Følg saken")).click()
        citizen.wait_for_url(re.compile(r"/my-cases/$"))
        expect(citizen.get_by_role("row").filter(has_text=case.reference)).to_contain_text(
            re.compile("Received|Mottatt")
        )
        assert_accessible(citizen)
        screenshot(citizen, "journey-13-my-cases")

        # --- 3. the case handler asks for more information ---------------------------
        handler.goto("/accounts/staff/login/")
        handler.locator("#id_username").fill(HANDLER)
        handler.locator("#id_password").fill(DEMO_PASSWORD)
        handler.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
        handler.wait_for_url(re.compile(r"/accounts/staff/login/code/"))
        handler.locator("#id_code").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
        handler.get_by_role("button", name=re.compile("Continue|Fortsett")).click()
        handler.wait_for_url(re.compile(r"/admin/$"))
        handler.get_by_role("link", name=re.compile("Case inbox|Saksinnboks")).first.click()
        handler.wait_for_url(re.compile(r"/admin/cases/$"))
        handler.locator("#id_q").fill(case.reference)
        with handler.expect_navigation():
            handler.get_by_role("button", name=re.compile("Show cases|Vis saker")).click()
        found = handler.locator("table.samvirke-inbox").get_by_role("link", name=case.reference)
        expect(found).to_be_visible()
        assert serious_violations_in_main(handler) == []
        screenshot(handler, "journey-14-handler-inbox")
        found.click()
        handler.wait_for_url(re.compile(rf"/admin/cases/{case.pk}/$"))
        expect(handler.locator("h1")).to_contain_text(case.reference)
        assert serious_violations_in_main(handler) == []
        screenshot(handler, "journey-15-handler-case")
        with handler.expect_navigation():
            handler.get_by_role("button", name=re.compile("Take the case|Ta saken")).click()
        handler.locator("#id_message-body").fill(
            "Takk for søknaden. Send oss en tegning som viser avstanden fra garasjen til "
            "nabogrensen mot gnr/bnr 12/35."
        )
        handler.locator("#id_message-requests_information").check()
        handler.get_by_role(
            "button", name=re.compile("Send to the applicant|Send til søkeren")
        ).click()
        expect(handler.locator("article.samvirke-message--out")).to_contain_text("avstanden")
        screenshot(handler, "journey-16-handler-asked")
        case.refresh_from_db()
        assert case.status == "awaiting_information"

        # --- 4. the applicant answers in My cases, from the e-mail about the message --
        citizen.goto(link_in_mail(APPLICANT_EMAIL, MY_CASE_LINK, containing=case.reference))
        citizen.wait_for_url(re.compile(rf"/my-cases/{case.pk}/$"))
        expect(citizen.locator("main")).to_contain_text("avstanden fra garasjen")
        assert_accessible(citizen)
        screenshot(citizen, "journey-17-my-case-asked")
        distances = tmp_path / "avstander.pdf"
        distances.write_bytes(a_pdf("Avstand til nabogrensen"))
        citizen.get_by_label(re.compile("Your message|Meldingen din")).fill(
            "Garasjen står 4 meter fra grensen. Tegningen med målene er vedlagt. Jeg bruker "
            "rullestol etter en ulykke, derfor må garasjen ligge nær inngangen."
        )
        citizen.get_by_label(re.compile("^(Attachments|Vedlegg)")).set_input_files(str(distances))
        with citizen.expect_navigation():
            citizen.locator("#reply").get_by_role("button", name=SEND).click()
        expect(citizen.get_by_test_id("case-status")).to_have_text(
            re.compile("In progress|Under behandling")
        )
        expect(citizen.locator("main")).to_contain_text("avstander.pdf")
        assert_accessible(citizen)
        screenshot(citizen, "journey-18-my-case-answered")
        case.refresh_from_db()
        assert case.status == "in_progress" and case.paused_at is None

        # --- 5. the case handler screens the answer, which tells of a disability -------
        handler.reload()
        expect(handler.locator("main")).to_contain_text("4 meter fra grensen")
        answer = case.journal_entries.filter(entry_type=EntryType.INCOMING).latest("number_in_case")
        assert answer.title.startswith("Svar fra søker") and not answer.is_screened
        handler.get_by_test_id(f"journal-entry-{answer.number_in_case}").get_by_role(
            "link", name=re.compile("^(Screen|Skjerm)")
        ).click()
        handler.wait_for_url(re.compile(rf"/admin/cases/{case.pk}/journal/{answer.pk}/screening/$"))
        expect(handler.get_by_test_id("always-hidden")).to_contain_text(APPLICANT.name)
        # without a legal basis the form says so, linked to the choices, and keeps the rest
        words = handler.get_by_label(re.compile("Other words to hide|Andre ord"))
        words.fill("rullestol")
        screen = handler.get_by_role(
            "button", name=re.compile("^(Screen the journal entry|Skjerm journalposten)$")
        )
        with handler.expect_navigation():
            screen.click()
        summary = handler.locator(".samvirke-error-summary")
        expect(summary).to_contain_text(
            re.compile("Choose the legal basis|Velg hjemmelen for skjermingen")
        )
        assert serious_violations_in_main(handler) == []
        screenshot(handler, "journey-19-handler-screening-error")
        # the summary's link leads to the first choice
        assert summary.get_by_role("link").get_attribute("href") == "#id_screening-basis_0"
        expect(handler.locator("fieldset #id_screening-basis_0")).to_have_count(1)
        # a word that is not in the title is refused too: it would hide nothing
        assert words.input_value() == "rullestol"
        handler.get_by_label(re.compile("^" + re.escape(PERSONAL_CIRCUMSTANCES))).check()
        with handler.expect_navigation():
            screen.click()
        expect(handler.locator(".samvirke-error-summary")).to_contain_text("rullestol")
        handler.get_by_label(re.compile("^" + re.escape(PERSONAL_CIRCUMSTANCES))).check()
        words.fill("")
        assert serious_violations_in_main(handler) == []
        screenshot(handler, "journey-20-handler-screening")
        with handler.expect_navigation():
            screen.click()
        handler.wait_for_url(re.compile(rf"/admin/cases/{case.pk}/(#journal)?$"))
        screened_item = handler.get_by_test_id(f"journal-entry-{answer.number_in_case}")
        expect(screened_item).to_contain_text(PERSONAL_CIRCUMSTANCES)
        expect(screened_item).to_contain_text("*****")
        screenshot(handler, "journey-21-handler-screened")
        answer.refresh_from_db()
        assert answer.screening_basis == PERSONAL_CIRCUMSTANCES
        assert APPLICANT.name not in answer.public_title and "*****" in answer.public_title

        # --- 6. the case handler decides ----------------------------------------------
        handler.locator('input[name="decide-outcome"][value="granted"]').check()
        handler.locator("#id_decide-text").fill(
            "Tillatelse gis til oppføring av garasje på gnr/bnr 12/34. Nabomerknaden er "
            "vurdert: garasjen står 4 meter fra grensen."
        )
        with handler.expect_navigation(timeout=SLOW):
            handler.get_by_role("button", name=re.compile("Make the decision|Fatt vedtak")).click()
        expect(
            handler.get_by_role("link", name=re.compile("Decision letter|Vedtaksbrev"))
        ).to_be_visible()
        screenshot(handler, "journey-22-handler-decided")
        case.refresh_from_db()
        assert case.status == "decided" and case.decision.letter.is_pdfa

        # --- 7. the applicant reads the decision letter, from the e-mail about it ------
        citizen.goto(link_in_mail(APPLICANT_EMAIL, MY_CASE_LINK, containing=case.reference))
        citizen.wait_for_url(re.compile(rf"/my-cases/{case.pk}/$"))
        decision = citizen.get_by_role("region", name=re.compile("^(Decision|Vedtak)$"))
        expect(decision).to_contain_text(re.compile("Granted|Innvilget"))
        assert_accessible(citizen)
        screenshot(citizen, "journey-23-my-case-decided")
        with citizen.expect_download() as download:
            decision.get_by_role("link", name=re.compile("decision letter|vedtaksbrevet")).click()
        letter = is_pdf(download.value.path().read_bytes())
        assert case.reference in pdf_text(letter)

        # --- 8. the public journal ----------------------------------------------------
        public = new_page()  # anyone, not logged in
        public.goto("/public-journal/")
        public.get_by_role("navigation", name=re.compile("Journal per")).get_by_role(
            "link", name="Askim kommune"
        ).click()
        public.wait_for_url(re.compile(r"/public-journal/askim/$"))
        public.get_by_label(re.compile("Case number|Saksnummer")).fill(case.reference)
        public.get_by_role("button", name=re.compile("^(Search|Søk)$")).click()
        public.wait_for_url(re.compile(r"[?&]case="))
        entries = public.get_by_test_id("journal-entry")
        # the application, the neighbours' answers, the objection, the request, the
        # answer and the decision: every incoming and outgoing document
        published = case.journal_entries.filter(entry_type__in=["I", "U"])
        assert entries.count() == published.count() == 6
        for entry in published:
            expect(entries.filter(has_text=entry.reference)).to_have_count(1)
        # building applications are not screened (there is no legal basis to, and the
        # case has none): the applicant is named as in the municipalities' own journals.
        # The objection's title names no neighbour. What is never published: the
        # national identity number, the answers and the letters' contents.
        assert case.screening_basis == ""
        application = entries.filter(has_text=f"{case.reference}-1")
        expect(application).to_contain_text(APPLICANT.name)
        # the answer the handler screened: its public title, the legal basis, and its
        # sender hidden; the title's cell never names the applicant
        row = entries.filter(has_text=answer.reference)
        title_cell, parties_cell = row.locator("td").nth(2), row.locator("td").nth(3)
        expect(title_cell).to_contain_text(answer.public_title)
        expect(title_cell).to_contain_text(PERSONAL_CIRCUMSTANCES)
        expect(title_cell).not_to_contain_text(APPLICANT.name)
        expect(parties_cell).to_have_text(
            re.compile(r"^\s*(Hidden \(screened\)|Skjult \(skjermet\))\s*$")
        )
        # every other entry still shows its title and its parties
        for entry in published.exclude(pk=answer.pk):
            other = entries.filter(has_text=entry.reference)
            expect(other.locator("td").nth(2)).to_contain_text(entry.title)
            for party in entry.parties:
                expect(other.locator("td").nth(3)).to_contain_text(party["name"])
        [objection] = [e for e in published if e.parties[0]["name"] == NEIGHBOUR_NAME]
        assert NEIGHBOUR_NAME not in objection.title
        expect(entries.filter(has_text=objection.reference)).to_contain_text(objection.title)
        content = public.content()
        assert APPLICANT.national_id not in content
        assert "takfoten" not in content and "4 meter fra grensen" not in content
        assert "rullestol" not in content
        assert_accessible(public)
        screenshot(public, "journey-24-public-journal")
    finally:
        for context in contexts:
            context.close()
