"""The JSON Schema of report cards, generated from the ontology.

Editors that read JSON Schema for YAML (VS Code's YAML extension, JetBrains IDEs, any
client of yaml-language-server) complete a card's keys (the ontology's properties) and the
values of coded properties (the code lists), and flag unknown keys, from this schema. It
is written by ``conflictkg new schema`` and kept in ``graph/cards/card.schema.json``; a
card opts in with the comment ``# yaml-language-server: $schema=card.schema.json``.
"""

from __future__ import annotations

import json

from conflictkg.cards.compiler import CARD_KEYS
from conflictkg.cards.phrases import COUNT_FORMS, DATE_FORMS
from conflictkg.cards.vocabulary import Vocabulary, local_name

__all__ = ["card_schema", "schema_text"]

_ID = "^[a-z0-9]+(-[a-z0-9]+)*$"


def _codes(vocabulary: Vocabulary, scheme: str) -> list[str]:
    return sorted({local_name(code) for code in vocabulary.schemes.get(scheme, {}).values()})


def _one_or_many(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def card_schema(vocabulary: Vocabulary) -> dict:
    """Return the JSON Schema (draft 2020-12) of a card, as a dictionary."""
    defs: dict = {
        "name": {"type": "string", "description": "an entity: its id, label or alias"},
        "text": {"type": ["string", "integer"]},
        "override": {
            "type": "object", "required": ["value"],
            "description": "a value with its own source, status or voice: a ckg:Statement",
            "properties": {
                "value": {"type": ["string", "integer"]},
                "id": {"type": "string", "pattern": _ID},
                "madeIn": {"$ref": "#/$defs/name"},
                "source": {"$ref": "#/$defs/name"},
                "status": {"$ref": "#/$defs/status"},
                "accordingTo": {"$ref": "#/$defs/name"},
                "relayedBy": {"type": "array", "items": {"$ref": "#/$defs/name"}},
            },
        },
        "status": {
            "enum": _codes(vocabulary, vocabulary.properties["assertionStatus"].code_list)
            + ["none"]
        },
    }
    name = {"$ref": "#/$defs/name"}
    voice = {
        "source": {"$ref": "#/$defs/name", "description": "the source (ckg:assertedBy)"},
        "status": {"$ref": "#/$defs/status", "description": "ckg:assertionStatus"},
        "accordingTo": {"$ref": "#/$defs/name", "description": "whose voice"},
        "relayedBy": {"type": "array", "items": name,
                      "description": "the intermediaries, from the source towards the voice"},
    }
    record_properties: dict = {
        "a": _one_or_many({"enum": sorted(vocabulary.classes)}),
        "label": {"type": "string"},
        "prefLabel": {"type": "string"},
        "altLabel": _one_or_many({"type": "string"}),
        "when": {"type": "string", "description": f"a date in words: {DATE_FORMS}"},
        "count": {"type": ["string", "integer"], "description": f"a count: {COUNT_FORMS}"},
        "subject": name,
        "object": {"$ref": "#/$defs/text"},
        "predicate": {"enum": sorted(vocabulary.properties)},
        **voice,
    }
    for key, prop in sorted(vocabulary.properties.items()):
        if key in record_properties or key == "codeList":
            continue
        if prop.code_list:
            # acled: and plover: both have an EventTypeScheme: name by the code path
            scheme = prop.code_list.rsplit("/code/", 1)[-1].replace("/", "-")
            defs.setdefault(scheme, {"enum": _codes(vocabulary, prop.code_list)})
            value: dict = {"$ref": f"#/$defs/{scheme}"}
        else:
            value = name if prop.kind == "object" else {"$ref": "#/$defs/text"}
        one = {"anyOf": [value, {"$ref": "#/$defs/override"}]}
        record_properties[key] = {
            "description": prop.label,
            "anyOf": [*one["anyOf"], {"type": "array", "items": one}],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "conflictkg report card",
        "description": "A report encoded as YAML; conflictkg encode compiles it to Turtle. "
        "See docs/cookbook.md.",
        "type": "object",
        "required": ["source", "status", "records"],
        "additionalProperties": False,
        "properties": {
            **{k: voice[k] for k in CARD_KEYS if k in voice},
            "records": {
                "type": "object",
                "propertyNames": {"pattern": _ID},
                "additionalProperties": {
                    "type": "object", "required": ["a"], "additionalProperties": False,
                    "properties": record_properties,
                },
            },
        },
        "$defs": defs,
    }


def schema_text(vocabulary: Vocabulary) -> str:
    """Return the schema as the JSON text ``conflictkg new schema`` writes."""
    return json.dumps(card_schema(vocabulary), indent=1, ensure_ascii=False) + "\n"
