"""Case workflows as data: a case type's statuses, their phases and allowed transitions.

A workflow (CaseType.workflow) looks like

    {"initial": "received",
     "statuses": [{"key": "received", "label": {"nb": "Mottatt", "en": "Received"},
                   "phase": "open"}, …],
     "transitions": [{"from": "received", "to": "in_progress"}, …]}

`workflow_problems` lists what is wrong with one; the services only move a case along a
declared transition. Requesting more information needs a status with phase "paused", a
decision one with phase "decided" and closing one with phase "closed"."""

from __future__ import annotations

from dataclasses import dataclass

import jsonschema
from django.utils.translation import gettext as _

from samvirke.cases.models import Phase, translated_text

TEXT_SCHEMA = {
    "type": "object",
    "required": ["nb"],
    "propertyNames": {"enum": ["nb", "nn", "sv", "en"]},
    "additionalProperties": {"type": "string", "minLength": 1},
}
WORKFLOW_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["initial", "statuses", "transitions"],
    "additionalProperties": False,
    "properties": {
        "initial": {"type": "string"},
        "statuses": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["key", "label", "phase"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$"},
                    "label": TEXT_SCHEMA,
                    "citizen_label": TEXT_SCHEMA,
                    "phase": {"enum": [p.value for p in Phase]},
                },
            },
        },
        "transitions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "additionalProperties": False,
                "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
            },
        },
    },
}


def workflow_problems(workflow) -> list[str]:
    """Human-readable problems with a workflow definition; empty when it is usable."""
    validator = jsonschema.Draft202012Validator(WORKFLOW_SCHEMA)
    problems = [
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(workflow)
    ]
    if problems:
        return problems
    keys = [s["key"] for s in workflow["statuses"]]
    if len(keys) != len(set(keys)):
        problems.append(_("Status keys must be unique."))
    if workflow["initial"] not in keys:
        problems.append(_("The initial status is not among the statuses."))
    for transition in workflow["transitions"]:
        for end in ("from", "to"):
            if transition[end] not in keys:
                problems.append(_("A transition names an unknown status: %s") % transition[end])
    phases = {s["phase"] for s in workflow["statuses"]}
    for needed in (Phase.DECIDED, Phase.CLOSED):
        if needed not in phases:
            problems.append(_("The workflow needs a status with phase “%s”.") % needed)
    return problems


@dataclass(frozen=True)
class Status:
    key: str
    phase: str
    label: dict
    citizen_label: dict

    def text(self, language: str | None = None, *, for_citizen: bool = False) -> str:
        if for_citizen and self.citizen_label:
            return translated_text(self.citizen_label, language)
        return translated_text(self.label, language)


class Workflow:
    """A read-only view of a case type's workflow."""

    def __init__(self, definition: dict):
        self.definition = definition
        self.initial = definition["initial"]
        self.statuses = {
            s["key"]: Status(s["key"], s["phase"], s["label"], s.get("citizen_label") or {})
            for s in definition["statuses"]
        }
        self._targets: dict[str, list[str]] = {}
        for transition in definition["transitions"]:
            self._targets.setdefault(transition["from"], []).append(transition["to"])

    def status(self, key: str) -> Status:
        return self.statuses[key]

    def phase(self, key: str) -> str:
        return self.statuses[key].phase

    def allowed(self, from_key: str) -> list[Status]:
        return [self.statuses[k] for k in self._targets.get(from_key, [])]

    def may_move(self, from_key: str, to_key: str) -> bool:
        return to_key in self._targets.get(from_key, [])

    def first_allowed_in_phase(self, from_key: str, phase: str) -> Status | None:
        return next((s for s in self.allowed(from_key) if s.phase == phase), None)


# The standard workflow most case types use; the demo loader and tests start from it.
STANDARD_WORKFLOW = {
    "initial": "received",
    "statuses": [
        {
            "key": "received",
            "label": {"nb": "Mottatt", "nn": "Motteken", "sv": "Mottaget", "en": "Received"},
            "phase": "open",
        },
        {
            "key": "in_progress",
            "label": {
                "nb": "Under behandling",
                "nn": "Under handsaming",
                "sv": "Under handläggning",
                "en": "In progress",
            },
            "phase": "open",
        },
        {
            "key": "awaiting_information",
            "label": {
                "nb": "Venter på opplysninger",
                "nn": "Ventar på opplysningar",
                "sv": "Väntar på uppgifter",
                "en": "Waiting for information",
            },
            "citizen_label": {
                "nb": "Vi venter på svar fra deg",
                "nn": "Vi ventar på svar frå deg",
                "sv": "Vi väntar på svar från dig",
                "en": "We are waiting for your answer",
            },
            "phase": "paused",
        },
        {
            "key": "decided",
            "label": {
                "nb": "Vedtak fattet",
                "nn": "Vedtak gjort",
                "sv": "Beslut fattat",
                "en": "Decided",
            },
            "phase": "decided",
        },
        {
            "key": "closed",
            "label": {"nb": "Avsluttet", "nn": "Avslutta", "sv": "Avslutat", "en": "Closed"},
            "phase": "closed",
        },
    ],
    "transitions": [
        {"from": "received", "to": "in_progress"},
        {"from": "received", "to": "awaiting_information"},
        {"from": "received", "to": "decided"},
        {"from": "received", "to": "closed"},
        {"from": "in_progress", "to": "awaiting_information"},
        {"from": "in_progress", "to": "decided"},
        {"from": "in_progress", "to": "closed"},
        {"from": "awaiting_information", "to": "in_progress"},
        {"from": "awaiting_information", "to": "closed"},
        {"from": "decided", "to": "closed"},
        {"from": "decided", "to": "in_progress"},
    ],
}
