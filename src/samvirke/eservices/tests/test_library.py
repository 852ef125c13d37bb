"""The ready forms in `library/`: metadata, languages, and the rules that make each one the
form it claims to be (who must give a name, what needs documentation, where is required)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samvirke.accounts.national_id import synthetic
from samvirke.eservices.definition import definition_problems
from samvirke.eservices.demo import library_documents
from samvirke.eservices.engine import answers_prune, prefill_answers, submission_validate

# slug: (area of work, authentication)
EXPECTED = {
    "barnehageopptak": ("barnehage", "eid_high"),
    "barnevern-kontakt": ("sosial-og-barnevern", "anonymous"),
    "byggesoknad": ("tekniske-tjenester", "eid_substantial"),
    "feilmelding": ("tekniske-tjenester", "anonymous"),
    "henvisning-ppt": ("ppt", "eid_high"),
    "hjemmetjenester": ("helse-og-omsorg", "eid_high"),
    "innsyn": ("sentraladministrasjon", "anonymous"),
    "melding-til-kommunen": ("sentraladministrasjon", "anonymous"),
}
# written in all four languages throughout
FULLY_TRANSLATED = {
    "barnehageopptak",
    "barnevern-kontakt",
    "feilmelding",
    "hjemmetjenester",
    "innsyn",
}


def form(slug: str) -> dict:
    return next(d for d in library_documents() if d["slug"] == slug)["definition"]


def texts(node, path=""):
    """Every translatable text in a definition, with where it is."""
    if isinstance(node, dict):
        if "nb" in node and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for key, value in node.items():
            yield from texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}/{i}")


def test_the_library_holds_the_expected_forms_with_area_and_authentication():
    found = {d["slug"]: (d["area_of_work"], d["authentication"]) for d in library_documents()}
    assert found == EXPECTED
    for document in library_documents():
        assert document["export_format"] == 1
        assert definition_problems(document["definition"]) == []


@pytest.mark.parametrize("slug", sorted(FULLY_TRANSLATED))
def test_the_new_forms_have_every_text_in_nb_nn_sv_and_en(slug):
    missing = [p for p, t in texts(form(slug)) if set(t) != {"nb", "nn", "sv", "en"}]
    assert missing == []


def pdf(name="dokument.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7 test", content_type="application/pdf")


def error_keys(definition, data, files=None) -> set[str]:
    _, errors = submission_validate(definition, data=data, files=files)
    return {e.key for e in errors}


# --- bekymringsmelding til barnevernet ---------------------------------------------------

CONCERN = {
    "children.rows": "1",
    "children.0.child_school": "Eksempel skole (demo)",
    "children.0.child_age": "8",
    "concern_types": ["neglect"],
    "description": "Barnet har ofte verken mat eller yttertøy og sier det er alene om kveldene.",
    "child_told": "no",
    "parents_informed": "unknown",
    "danger_now": "no",
}


def test_child_welfare_an_anonymous_private_person_gives_no_contact_details():
    definition = form("barnevern-kontakt")
    data = {**CONCERN, "reporter_type": "private", "anonymous": "yes", "relation": "neighbour"}
    # a name posted anyway is not kept: the field is hidden for an anonymous report
    answers, errors = submission_validate(
        definition, data={**data, "reporter_name": "Demo Demosen", "reporter_phone": "40000000"}
    )
    assert errors == []
    assert not {"reporter_name", "reporter_phone", "reporter_email"} & set(answers)
    assert answers["children"] == [{"child_age": 8, "child_school": "Eksempel skole (demo)"}]


def test_child_welfare_a_public_employee_cannot_be_anonymous():
    definition = form("barnevern-kontakt")
    data = {
        **CONCERN,
        "reporter_type": "work",
        "anonymous": "yes",
        "relation": "kindergarten_school",
    }
    missing = error_keys(definition, data)
    assert missing == {"workplace", "job_title", "reporter_name", "reporter_phone"}
    answers, errors = submission_validate(
        definition,
        data={
            **data,
            "workplace": "Eksempel barnehage (demo)",
            "job_title": "Pedagogisk leder",
            "reporter_name": "Demo Ansatt",
            "reporter_phone": "400 00 000",
        },
    )
    assert errors == [] and "anonymous" not in answers  # the question is never asked
    # no eID prefill: a logged-in private person stays anonymous
    assert prefill_answers(definition, name="Demo Demosen", national_id="x") == {}


def test_child_welfare_needs_at_least_one_child_and_warns_when_in_danger():
    definition = form("barnevern-kontakt")
    data = {k: v for k, v in CONCERN.items() if not k.startswith("children")}
    data |= {"reporter_type": "private", "anonymous": "yes", "relation": "family"}
    assert error_keys(definition, {**data, "children.rows": "1"}) == {"children"}
    answers, _ = submission_validate(definition, data={**CONCERN, **data, "danger_now": "yes"})
    assert answers["danger_now"] is True


# --- innsynskrav -------------------------------------------------------------------------


def test_access_request_is_anonymous_but_needs_somewhere_to_reply():
    definition = form("innsyn")
    data = {
        "request_type": "documents",
        "documents.rows": "1",
        "documents.0.document_reference": "2025/1234-5",
        "format": "email",
    }
    assert error_keys(definition, data) == {"email"}
    answers, errors = submission_validate(definition, data={**data, "email": "demo@example.no"})
    assert errors == [] and "requester_name" not in answers
    # read in person: an e-mail or a phone number
    data |= {"format": "read_in_person"}
    assert error_keys(definition, data) == {"phone"}
    assert error_keys(definition, {**data, "contact_email": "demo@example.no"}) == set()


def test_access_request_case_numbers_are_checked():
    definition = form("innsyn")
    data = {"request_type": "case", "format": "post", "case_number": "sak 12"}
    data |= {"postal_address.street": "Demogata 1", "postal_address.postcode": "1830"}
    data |= {"postal_address.city": "Askim"}
    _, errors = submission_validate(definition, data=data)
    assert [(e.key, e.code) for e in errors] == [("case_number", "pattern")]
    assert error_keys(definition, {**data, "case_number": "2025/1234"}) == set()


# --- feilmelding -------------------------------------------------------------------------


def test_fault_report_needs_a_map_point_or_an_address():
    definition = form("feilmelding")
    data = {
        "category": "street_light",
        "light_problem": "one_out",
        "dangerous": "no",
        "description": "Lyset på stolpen ved bussholdeplassen har vært slukket en uke.",
        "wants_feedback": "no",
    }
    assert error_keys(definition, data) == {"address"}
    answers, errors = submission_validate(
        definition, data={**data, "location.lat": "59.58", "location.lon": "11.16"}
    )
    assert errors == [] and answers["location"] == {"lat": 59.58, "lon": 11.16}
    photo = SimpleUploadedFile("hull.gif", b"GIF89a", content_type="image/gif")
    data |= {"location.lat": "59.58", "location.lon": "11.16"}
    _, errors = submission_validate(definition, data=data, files={"photos": [photo]})
    assert [e.code for e in errors] == ["file_type_not_allowed"]


def test_fault_report_feedback_needs_a_name_and_a_way_to_reach_you():
    definition = form("feilmelding")
    data = {
        "category": "road",
        "road_problem": "pothole",
        "dangerous": "yes",
        "location.lat": "59.58",
        "location.lon": "11.16",
        "description": "Dypt hull i veibanen i svingen.",
        "wants_feedback": "yes",
    }
    assert error_keys(definition, data) == {"name", "phone"}
    assert error_keys(definition, {**data, "name": "Demo", "email": "demo@example.no"}) == set()


# --- søknad om barnehageplass ------------------------------------------------------------


def kindergarten_application() -> dict:
    return {
        "child_name": "Demo Barn",
        "child_national_id": synthetic(dt.date.today() - dt.timedelta(days=500), 100),
        "child_birth_date": (dt.date.today() - dt.timedelta(days=500)).isoformat(),
        "has_place_now": "no",
        "guardian_name": "Demo Forelder",
        "guardian_national_id": synthetic(dt.date(1990, 5, 17), 200),
        "guardian_email": "demo@example.no",
        "guardian_phone": "40000000",
        "guardian_address.street": "Demogata 1",
        "guardian_address.postcode": "1830",
        "guardian_address.city": "Askim",
        "lives_with_child": "yes",
        "other_guardian": "no",
        "start_date": (dt.date.today() + dt.timedelta(days=120)).isoformat(),
        "attendance": "full",
        "kindergartens.rows": "2",
        "kindergartens.0.kindergarten_name": "Eksempel barnehage (demo)",
        "kindergartens.1.kindergarten_name": "Demo naturbarnehage",
        "accept_other": "yes",
        "has_siblings": "no",
        "wants_priority": "no",
        "needs_adaptation": "no",
        "confirmation": ["confirmed"],
    }


def test_kindergarten_application_lists_kindergartens_in_order():
    answers, errors = submission_validate(form("barnehageopptak"), data=kindergarten_application())
    assert errors == []
    assert [k["kindergarten_name"] for k in answers["kindergartens"]] == [
        "Eksempel barnehage (demo)",
        "Demo naturbarnehage",
    ]
    assert "consent_documentation" not in answers


def test_kindergarten_priority_needs_documentation_and_the_confirmation_is_required():
    definition = form("barnehageopptak")
    data = kindergarten_application() | {"wants_priority": "yes", "confirmation": []}
    assert error_keys(definition, data) == {
        "priority_grounds",
        "priority_reason",
        "priority_documents",
        "consent_documentation",
        "confirmation",
    }
    data |= {
        "priority_grounds": ["disability"],
        "priority_reason": "Barnet har en diagnose som krever tett oppfølging (demo).",
        "consent_documentation": "yes",
        "confirmation": ["confirmed"],
    }
    answers, errors = submission_validate(
        definition, data=data, files={"priority_documents": [pdf("uttalelse.pdf")]}
    )
    assert errors == [] and answers["priority_documents"][0]["name"] == "uttalelse.pdf"


# --- søknad om helse- og omsorgstjenester ------------------------------------------------


def home_care_application() -> dict:
    return {
        "applies_for": "other",
        "applicant_name": "Demo Datter",
        "applicant_national_id": synthetic(dt.date(1970, 2, 3), 300),
        "applicant_phone": "40000000",
        "relation": "child",
        "authority": "power_of_attorney",
        "person_name": "Demo Mor",
        "person_national_id": synthetic(dt.date(1940, 8, 9), 400),
        "person_address.street": "Demogata 2",
        "person_address.postcode": "1830",
        "person_address.city": "Askim",
        "household": "alone",
        "housing": "flat_no_lift",
        "stairs": "yes",
        "has_relatives": "no",
        "interpreter": "no",
        "services": ["home_nursing", "safety_alarm"],
        "nursing_needs": ["medication"],
        "key_safe": "yes",
        "needs": "Trenger hjelp med medisiner morgen og kveld, og er redd for å falle om natten.",
        "health_situation": "Demo: nedsatt gangfunksjon etter hoftebrudd.",
        "recent_hospital": "no",
        "gp_name": "Demo Lege",
        "consent_obtain": "yes",
        "confirmation": ["confirmed"],
    }


def test_home_care_on_behalf_of_someone_needs_the_power_of_attorney():
    definition = form("hjemmetjenester")
    data = home_care_application()
    assert error_keys(definition, data) == {"authority_document"}
    answers, errors = submission_validate(
        definition, data=data, files={"authority_document": [pdf("fullmakt.pdf")]}
    )
    assert errors == [] and answers["person_name"] == "Demo Mor"
    assert "applicant_address" not in answers and "meal_days" not in answers


def test_home_care_for_oneself_asks_for_ones_own_address_and_prefills_from_eid():
    definition = form("hjemmetjenester")
    data = {
        k: v
        for k, v in home_care_application().items()
        if not k.startswith(("person_", "relation", "authority"))
    }
    data["applies_for"] = "self"
    assert error_keys(definition, data) == {"applicant_address"}
    assert set(prefill_answers(definition, name="Demo", national_id="1")) == {
        "applicant_name",
        "applicant_national_id",
    }
    answers, _ = submission_validate(
        definition,
        data=data
        | {
            "applicant_address.street": "Demogata 3",
            "applicant_address.postcode": "1830",
            "applicant_address.city": "Askim",
        },
    )
    assert "person_name" not in answers_prune(definition, answers)
    assert not {"authority", "authority_document", "person_name"} & set(answers)
