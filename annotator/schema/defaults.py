"""The schema a project gets unless it brings its own: claim type, stance toward the target,
verifiability."""

import copy
from typing import Any

_CLAIM_ASKED = {"field": "claim_type", "not_in": ["no_claim"]}

DEFAULT_DEFINITION: dict[str, Any] = {
    "fields": [
        {
            "name": "claim_type",
            "label": "Claim type",
            "help": (
                "What kind of claim does the passage make? Pick no claim when it asserts nothing checkable or arguable."
            ),
            "level": "nominal",
            "required": True,
            "options": [
                {"value": "no_claim", "label": "No claim", "key": "0"},
                {"value": "opinion", "label": "Opinion", "key": "1"},
                {"value": "quantity", "label": "Quantity (a number or statistic)", "key": "2"},
                {"value": "event", "label": "Event (something happened / is the case)", "key": "3"},
                {"value": "causal", "label": "Causal (cause or correlation)", "key": "4"},
                {"value": "rule", "label": "Rule (law, rule, policy)", "key": "5"},
                {"value": "prediction", "label": "Prediction", "key": "6"},
                {"value": "personal_experience", "label": "Personal experience", "key": "7"},
                {"value": "other_claim", "label": "Other claim", "key": "8"},
            ],
        },
        {
            "name": "stance",
            "label": "Stance toward the target",
            "help": "Does the claim support, oppose or not take a side on the project's target?",
            "level": "nominal",
            "required": True,
            "show_if": _CLAIM_ASKED,
            "options": [
                {"value": "favor", "label": "Favor", "key": "f"},
                {"value": "against", "label": "Against", "key": "a"},
                {"value": "neutral", "label": "Neutral", "key": "n"},
                {"value": "unrelated", "label": "Unrelated", "key": "u"},
            ],
        },
        {
            "name": "verifiability",
            "label": "Verifiability",
            "help": "Could the claim be checked against evidence?",
            "level": "ordinal",
            "required": True,
            "show_if": _CLAIM_ASKED,
            "options": [
                {"value": "verifiable", "label": "Verifiable", "key": "v"},
                {"value": "partly_verifiable", "label": "Partly verifiable", "key": "p"},
                {"value": "unverifiable", "label": "Unverifiable", "key": "x"},
            ],
        },
    ]
}


def default_definition() -> dict[str, Any]:
    """A copy of the default schema's definition (callers may change theirs)."""
    return copy.deepcopy(DEFAULT_DEFINITION)
