"""Label schemas: the default claim schema, clear errors for a broken one, and label sets
checked against one."""

import json

import pytest

from annotator.schema import LabelError, Schema, SchemaError
from annotator.schema import default_definition as default_schema


def validate_schema(definition) -> None:
    Schema.parse(definition)


def load_schema(text: str) -> dict:
    return Schema.load(text).definition


def validate_labels(definition: dict, labels) -> dict:
    return Schema.parse(definition).check_labels(labels)


def asked_fields(definition: dict, labels: dict) -> list[dict]:
    return [{"name": field.name} for field in Schema.parse(definition).asked(labels)]


def test_default_schema_is_the_claim_schema():
    schema = default_schema()
    validate_schema(schema)
    fields = {field["name"]: field for field in schema["fields"]}
    assert list(fields) == ["claim_type", "stance", "verifiability"]
    assert [o["value"] for o in fields["claim_type"]["options"]] == [
        "no_claim",
        "opinion",
        "quantity",
        "event",
        "causal",
        "rule",
        "prediction",
        "personal_experience",
        "other_claim",
    ]
    assert [o["value"] for o in fields["stance"]["options"]] == ["favor", "against", "neutral", "unrelated"]
    assert [o["value"] for o in fields["verifiability"]["options"]] == [
        "verifiable",
        "partly_verifiable",
        "unverifiable",
    ]
    assert fields["verifiability"]["level"] == "ordinal" and fields["stance"]["level"] == "nominal"
    assert fields["stance"]["show_if"] == {"field": "claim_type", "not_in": ["no_claim"]}
    assert fields["verifiability"]["show_if"] == {"field": "claim_type", "not_in": ["no_claim"]}


def test_default_schema_is_a_copy():
    default_schema()["fields"].clear()
    assert default_schema()["fields"]


def problems_of(schema) -> list[str]:
    with pytest.raises(SchemaError) as raised:
        validate_schema(schema)
    return raised.value.problems


def test_every_problem_is_named_by_its_path():
    schema = {
        "fields": [
            {
                "name": "Claim Type",
                "label": "",
                "level": "categorical",
                "options": [{"value": "a", "label": "A", "key": "aa"}],
            },
            {
                "name": "stance",
                "label": "Stance",
                "level": "nominal",
                "show_if": {"field": "missing", "not_in": ["x"]},
                "options": [{"value": "f", "label": "F", "key": "f"}, {"value": "f", "label": "G", "key": "F"}],
            },
        ]
    }
    assert problems_of(schema) == [
        "fields[0].name: must be lower-case letters, digits and \"_\", got 'Claim Type'",
        "fields[0].label: a non-empty text is required",
        "fields[0].level: must be one of nominal, ordinal, interval, got 'categorical'",
        "fields[0].options: a list of at least two options is required",
        'fields[1].options[1].value: "f" is used twice',
        'fields[1].options[1].key: "F" is used twice in this field',
        'fields[1].show_if.field: no field named "missing"',
    ]


def test_show_if_must_name_options_of_the_other_field():
    schema = default_schema()
    schema["fields"][1]["show_if"] = {"field": "claim_type", "not_in": ["nothing"]}
    assert problems_of(schema) == ['fields[1].show_if.not_in: "nothing" is not an option of "claim_type"']


def test_keys_reserved_by_the_annotate_screen_are_refused():
    schema = default_schema()
    schema["fields"][0]["options"][0]["key"] = "s"
    assert problems_of(schema) == ['fields[0].options[0].key: "s" is reserved for the annotate screen']


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{", "line 1: not valid JSON: Expecting property name enclosed in double quotes"),
        ("[]", 'the schema must be an object with a "fields" list'),
        ('{"fields": []}', '"fields" is empty: a schema needs at least one field'),
    ],
)
def test_loading_reports_json_and_shape_errors(text, problem):
    with pytest.raises(SchemaError) as raised:
        load_schema(text)
    assert raised.value.problems == [problem]


def test_a_valid_custom_schema_loads():
    schema = {
        "fields": [
            {
                "name": "sarcasm",
                "label": "Sarcastic?",
                "level": "nominal",
                "required": True,
                "options": [{"value": "yes", "label": "Yes", "key": "y"}, {"value": "no", "label": "No", "key": "n"}],
            }
        ]
    }
    assert load_schema(json.dumps(schema)) == schema


def test_a_claim_needs_all_three_fields_and_no_claim_needs_only_the_claim_type():
    schema = default_schema()
    claim = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
    assert validate_labels(schema, claim) == claim
    assert validate_labels(schema, {"claim_type": "no_claim"}) == {"claim_type": "no_claim"}
    assert [f["name"] for f in asked_fields(schema, {"claim_type": "no_claim"})] == ["claim_type"]
    assert [f["name"] for f in asked_fields(schema, claim)] == ["claim_type", "stance", "verifiability"]


CLAIM_TYPES = [
    "no_claim",
    "opinion",
    "quantity",
    "event",
    "causal",
    "rule",
    "prediction",
    "personal_experience",
    "other_claim",
]


@pytest.mark.parametrize(
    "labels, field, message, allowed",
    [
        (
            {"claim_type": "rumour"},
            "claim_type",
            'Claim type: "rumour" is not one of No claim, Opinion, Quantity (a number or statistic), Event (something '
            "happened / is the case), Causal (cause or correlation), Rule (law, rule, policy), Prediction, Personal "
            "experience, Other claim",
            CLAIM_TYPES,
        ),
        (
            {"claim_type": "opinion", "verifiability": "verifiable"},
            "stance",
            "Stance toward the target: choose a value",
            ["favor", "against", "neutral", "unrelated"],
        ),
        (
            {"claim_type": "no_claim", "stance": "favor"},
            "stance",
            "Stance toward the target: leave it empty when Claim type is No claim",
            [],
        ),
        ({"stance": "favor"}, "claim_type", "Claim type: choose a value", CLAIM_TYPES),
        (
            {"claim_type": "opinion", "stance": "favor", "verifiability": "verifiable", "mood": "happy"},
            "mood",
            '"mood" is not a field of these labels (the fields are Claim type, Stance toward the target, '
            "Verifiability)",
            ["claim_type", "stance", "verifiability"],
        ),
        ("opinion", "labels", "Labels must be an object of field names to values", []),
    ],
)
def test_label_errors_name_the_field_by_its_label_and_keep_its_name_and_values_for_scripts(
    labels, field, message, allowed
):
    with pytest.raises(LabelError) as raised:
        validate_labels(default_schema(), labels)
    assert str(raised.value) == message
    assert raised.value.as_dict() == {"field": field, "error": message, "allowed": allowed}


def test_a_projects_own_field_is_named_by_its_own_label():
    schema = {
        "fields": [
            {
                "name": "sarcasm",
                "label": "Sarcastic?",
                "level": "nominal",
                "required": True,
                "options": [
                    {"value": "yes", "label": "Sarcastic", "key": "y"},
                    {"value": "no", "label": "Not sarcastic", "key": "n"},
                ],
            }
        ]
    }
    with pytest.raises(LabelError) as missing:
        validate_labels(schema, {})
    with pytest.raises(LabelError) as wrong:
        validate_labels(schema, {"sarcasm": "maybe"})
    assert (str(missing.value), str(wrong.value)) == (
        "Sarcastic?: choose a value",
        'Sarcastic?: "maybe" is not one of Sarcastic, Not sarcastic',
    )


def test_an_optional_field_may_be_left_out():
    schema = {
        "fields": [
            {
                "name": "topic",
                "label": "Topic",
                "level": "nominal",
                "required": False,
                "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            },
        ]
    }
    assert validate_labels(schema, {}) == {}
    assert validate_labels(schema, {"topic": None}) == {}
