"""Hypothesis strategies for form definitions and the data a browser might post to them:
any valid definition (`definitions`) and a definition with posted data (`submissions`).
Used by the form engine's property test and by the submission tests."""

from __future__ import annotations

from hypothesis import strategies as st

from samvirke.eservices.engine.fields import COMPOUND_PARTS

SIMPLE_TYPES = [
    "text",
    "long_text",
    "number",
    "date",
    "email",
    "phone",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "national_id",
    "organisation_number",
    "address",
    "property_id",
    "map_point",
    "info",
]
TEXT = {"nb": "Tekst", "en": "Text"}
OPTIONS = [{"value": v, "label": {"nb": v}} for v in ("a", "b", "c")]
LIMITS = {
    "text": st.fixed_dictionaries(
        {},
        optional={
            "min_length": st.integers(0, 3),
            "max_length": st.integers(4, 20),
            "pattern": st.sampled_from(["[a-z]*", ".+", "[0-9]{2,}"]),
        },
    ),
    "number": st.fixed_dictionaries(
        {}, optional={"min": st.integers(-5, 0), "max": st.integers(1, 50)}
    ),
    "date": st.fixed_dictionaries(
        {},
        optional={
            "min_date": st.sampled_from(["today-1y", "2000-01-01"]),
            "max_date": st.sampled_from(["today", "today+30d", "2100-12-31"]),
        },
    ),
}


@st.composite
def field_strategy(draw, key: str, earlier: list[dict], allow_group: bool = True):
    kinds = SIMPLE_TYPES + (["repeating_group", "file"] if allow_group else [])
    kind = draw(st.sampled_from(kinds))
    field: dict = {"key": key, "type": kind}
    if kind == "info":
        field["text"] = TEXT
    else:
        field["label"] = TEXT
        field["required"] = draw(st.booleans())
    if kind in ("single_choice", "multiple_choice"):
        field["options"] = OPTIONS
    if kind in LIMITS and draw(st.booleans()):
        field["validation"] = draw(LIMITS[kind])
    if kind == "file":
        multiple = draw(st.booleans())
        field["files"] = {
            "multiple": multiple,
            "max_size_mb": 1,
            "allowed_types": ["application/pdf"],
        }
    if kind == "repeating_group":
        field["min_rows"] = draw(st.integers(0, 2))
        field["max_rows"] = draw(st.integers(2, 4))
        inner: list[dict] = []
        for i in range(draw(st.integers(1, 3))):
            inner.append(draw(field_strategy(f"{key}_f{i}", earlier + inner, allow_group=False)))
        field["fields"] = inner
    controls = [f for f in earlier if f["type"] in ("yes_no", "single_choice", "text")]
    if controls and draw(st.booleans()):
        control = draw(st.sampled_from(controls))
        value = {"yes_no": True, "single_choice": "a", "text": "x"}[control["type"]]
        condition = draw(
            st.sampled_from(
                [
                    {"field": control["key"], "equals": value},
                    {"field": control["key"], "not_equals": value},
                    {"field": control["key"], "in": [value]},
                    {"field": control["key"], "is_filled": True},
                    {
                        "any": [
                            {"field": control["key"], "is_filled": False},
                            {"field": control["key"], "equals": value},
                        ]
                    },
                ]
            )
        )
        field["visible_if"] = condition
    return field


@st.composite
def definitions(draw):
    steps, earlier = [], []
    for s in range(draw(st.integers(1, 3))):
        fields = []
        for i in range(draw(st.integers(1, 4))):
            f = draw(field_strategy(f"s{s}_f{i}", earlier))
            fields.append(f)
            earlier.append(f)
        steps.append({"key": f"step{s}", "title": TEXT, "fields": fields})
    return {"format_version": 1, "title": TEXT, "steps": steps}


def input_names(fields: list[dict], prefix: str = "") -> list[str]:
    names = []
    for f in fields:
        name = prefix + f["key"]
        if f["type"] in COMPOUND_PARTS:
            names += [f"{name}.{part}" for part, _n, _m in COMPOUND_PARTS[f["type"]]]
        elif f["type"] == "repeating_group":
            names.append(f"{name}.rows")
            for row in range(3):
                names += input_names(f["fields"], f"{name}.{row}.")
        else:
            names.append(name)
    return names


VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "yes",
            "no",
            "a",
            "b",
            "zz",
            "1",
            "2",
            "0124",
            "59.5",
            "11,2",
            "2026-01-31",
            "31.01.2026",
            "974760673",
            "kari@example.no",
            "NaN",
            "-1e309",
            "1e999999999",
        ]
    ),
)


@st.composite
def submissions(draw):
    form = draw(definitions())
    names = [n for step in form["steps"] for n in input_names(step["fields"])]
    data = {}
    for name in names:
        if draw(st.booleans()):
            data[name] = (
                draw(st.lists(VALUES, min_size=1, max_size=2))
                if draw(st.booleans())
                else draw(VALUES)
            )
    return form, data
