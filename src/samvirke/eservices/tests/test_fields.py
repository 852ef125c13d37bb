"""Every field type's validation, through the engine's public API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samvirke.accounts.national_id import synthetic
from samvirke.eservices.engine import step_validate, submission_validate
from samvirke.eservices.engine.checks import organisation_number_is_valid

from .definitions import field, single

NATIONAL_ID = synthetic(dt.date(1985, 3, 14), 100)


def validate(one_field: dict, data: dict, files=None):
    return step_validate(single(one_field), step_index=0, data=data, files=files)


def codes(outcome) -> list[str]:
    return [e.code for e in outcome.errors]


def test_required_text_and_length_and_pattern():
    f = field(
        "name",
        "text",
        required=True,
        validation={
            "min_length": 2,
            "max_length": 5,
            "pattern": "[a-z]+",
            "pattern_message": {"nb": "Bare små bokstaver"},
        },
    )
    assert codes(validate(f, {})) == ["required"]
    assert codes(validate(f, {"name": "a"})) == ["min_length"]
    assert "max_length" in codes(validate(f, {"name": "abcdefg"}))
    outcome = validate(f, {"name": "AB"})
    assert codes(outcome) == ["pattern"] and outcome.errors[0].message == "Bare små bokstaver"
    assert validate(f, {"name": " abc "}).answers == {"name": "abc"}


def test_number_accepts_a_decimal_comma_and_checks_min_max():
    f = field("area", "number", validation={"min": 1, "max": 100})
    assert validate(f, {"area": "12,5"}).answers == {"area": 12.5}
    assert validate(f, {"area": "12"}).answers == {"area": 12}
    assert codes(validate(f, {"area": "tolv"})) == ["invalid_number"]
    assert codes(validate(f, {"area": "0"})) == ["min_value"]
    assert codes(validate(f, {"area": "101"})) == ["max_value"]
    assert codes(validate(f, {"area": "NaN"})) == ["invalid_number"]


def test_dates_with_absolute_and_relative_limits():
    today = timezone.localdate()
    f = field("when", "date", validation={"min_date": "today", "max_date": "today+30d"})
    assert validate(f, {"when": today.isoformat()}).answers == {"when": today.isoformat()}
    assert validate(f, {"when": today.strftime("%d.%m.%Y")}).answers == {"when": today.isoformat()}
    assert codes(validate(f, {"when": (today - dt.timedelta(days=1)).isoformat()})) == ["min_date"]
    assert codes(validate(f, {"when": (today + dt.timedelta(days=31)).isoformat()})) == ["max_date"]
    assert codes(validate(f, {"when": "31.02.2026"})) == ["invalid_date"]
    adult = field("born", "date", validation={"max_date": "today-18y", "min_date": "1900-01-01"})
    assert codes(validate(adult, {"born": (today - dt.timedelta(days=365)).isoformat()})) == [
        "max_date"
    ]
    assert codes(validate(adult, {"born": "1899-12-31"})) == ["min_date"]


def test_email_and_phone():
    assert codes(validate(field("e", "email"), {"e": "not-an-address"})) == ["invalid_email"]
    assert validate(field("e", "email"), {"e": "kari@example.no"}).answers == {
        "e": "kari@example.no"
    }
    assert validate(field("p", "phone"), {"p": "+47 69 12 34 56"}).answers == {"p": "+4769123456"}
    assert codes(validate(field("p", "phone"), {"p": "12"})) == ["invalid_phone"]


def test_choices():
    one = field("c", "single_choice", required=True)
    assert validate(one, {"c": "b"}).answers == {"c": "b"}
    assert codes(validate(one, {"c": "zz"})) == ["invalid_choice"]
    many = field("m", "multiple_choice", validation={"min": 2, "max": 2})
    assert validate(many, {"m": ["c", "a"]}).answers == {"m": ["a", "c"]}
    assert codes(validate(many, {"m": ["a"]})) == ["min_choices"]
    assert codes(validate(many, {"m": ["a", "b", "c"]})) == ["max_choices"]
    assert codes(validate(many, {"m": ["a", "x"]})) == ["invalid_choice"]


def test_yes_no_is_a_boolean_and_required_means_answered():
    f = field("ok", "yes_no", required=True)
    assert validate(f, {"ok": "no"}).answers == {"ok": False}
    assert validate(f, {"ok": "yes"}).answers == {"ok": True}
    assert codes(validate(f, {})) == ["required"]
    assert codes(validate(f, {"ok": "maybe"})) == ["invalid_choice"]


def test_national_id_checksum():
    f = field("nid", "national_id")
    assert validate(f, {"nid": NATIONAL_ID}).answers == {"nid": NATIONAL_ID}
    wrong = NATIONAL_ID[:10] + str((int(NATIONAL_ID[10]) + 1) % 10)
    assert codes(validate(f, {"nid": wrong})) == ["invalid_national_id"]
    assert codes(validate(f, {"nid": "123"})) == ["invalid_national_id"]


@pytest.mark.parametrize(
    ("number", "valid"),
    [("974760673", True), ("974760674", False), ("97476067", False), ("abcdefghi", False)],
)
def test_organisation_number_checksum(number, valid):
    assert organisation_number_is_valid(number) is valid
    outcome = validate(field("org", "organisation_number"), {"org": number})
    assert (outcome.errors == []) is valid


def test_address_parts():
    f = field("addr", "address", required=True)
    ok = validate(f, {"addr.street": "Storgata 1", "addr.postcode": "1830", "addr.city": "Askim"})
    assert ok.answers == {"addr": {"street": "Storgata 1", "postcode": "1830", "city": "Askim"}}
    half = validate(f, {"addr.street": "Storgata 1", "addr.postcode": "18"})
    assert {(e.code, e.target) for e in half.errors} == {
        ("required_part", "field-addr-city"),
        ("invalid_postcode", "field-addr-postcode"),
    }
    assert [(e.code, e.target) for e in validate(f, {}).errors] == [
        ("required", "field-addr-street")
    ]


def test_property_id():
    f = field("prop", "property_id", required=True)
    ok = validate(
        f, {"prop.municipality": "0124", "prop.gnr": "12", "prop.bnr": "34", "prop.snr": "2"}
    )
    assert ok.answers == {"prop": {"municipality": "0124", "gnr": 12, "bnr": 34, "snr": 2}}
    bad = validate(f, {"prop.municipality": "124", "prop.gnr": "0", "prop.bnr": "x"})
    assert {e.code for e in bad.errors} == {
        "invalid_municipality_number",
        "invalid_property_number",
    }
    assert codes(validate(f, {"prop.municipality": "0124"})) == ["required_part", "required_part"]


def test_map_point_must_be_in_norway():
    f = field("pt", "map_point")
    assert validate(f, {"pt.lat": "59,585", "pt.lon": "11.164"}).answers == {
        "pt": {"lat": 59.585, "lon": 11.164}
    }
    assert codes(validate(f, {"pt.lat": "48.85", "pt.lon": "2.35"})) == ["outside_norway"]
    assert codes(validate(f, {"pt.lat": "north", "pt.lon": "11"})) == ["invalid_coordinate"]


def test_file_limits():
    f = field(
        "docs",
        "file",
        required=True,
        files={
            "multiple": True,
            "max_files": 2,
            "max_size_mb": 0.001,
            "allowed_types": ["application/pdf"],
        },
    )
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.7 small", content_type="application/pdf")
    ok = validate(f, {}, files={"docs": [pdf]})
    assert ok.answers == {
        "docs": [{"name": "a.pdf", "size": 14, "content_type": "application/pdf"}]
    }
    big = SimpleUploadedFile("b.pdf", b"x" * 2000, content_type="application/pdf")
    exe = SimpleUploadedFile("c.exe", b"MZ", content_type="application/x-msdownload")
    outcome = validate(f, {}, files={"docs": [big, exe, pdf]})
    assert set(codes(outcome)) == {"too_many_files", "file_too_large", "file_type_not_allowed"}
    assert codes(validate(f, {})) == ["required"]
    # an attachment given on an earlier visit to the step is kept
    kept = step_validate(single(f), step_index=0, data={}, answers=ok.answers)
    assert kept.errors == [] and kept.answers == ok.answers


def test_repeating_group_min_and_max_rows():
    group = field(
        "kids",
        "repeating_group",
        min_rows=1,
        max_rows=2,
        fields=[field("name", "text", required=True), field("age", "number")],
    )
    form = single(group)
    data = {"kids.rows": "3", "kids.0.name": "Ada", "kids.0.age": "7", "kids.1.name": "Bo"}
    answers, errors = submission_validate(form, data=data)
    assert errors == [] and answers == {"kids": [{"name": "Ada", "age": 7}, {"name": "Bo"}]}
    _, errors = submission_validate(form, data={"kids.rows": "1"})
    assert [e.code for e in errors] == ["min_rows"]
    _, errors = submission_validate(form, data={"kids.rows": "2", "kids.1.age": "3"})
    assert [(e.code, e.target) for e in errors] == [("required", "field-kids-0-name")]
    # more rows than allowed are not read
    many = {"kids.rows": "3", **{f"kids.{i}.name": f"K{i}" for i in range(3)}}
    answers, errors = submission_validate(form, data=many)
    assert len(answers["kids"]) == 2


def test_info_text_is_never_an_answer():
    outcome = validate(field("hello", "info"), {"hello": "sneaky"})
    assert outcome.answers == {} and outcome.complete
