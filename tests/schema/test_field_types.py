"""The three field types beyond one choice: several options (multi), a free text (text), and
options marked missing ("not sure"); each checked where it is defined and where it is answered."""

import copy

import pytest

from annotator.agreement.fields import OPTION, SET
from annotator.schema import LabelError, Schema, SchemaError

ALL_TYPES = {
    "fields": [
        {
            "name": "claim_types",
            "type": "multi",
            "label": "Claim types",
            "max": 2,
            "options": [
                {"value": "opinion", "label": "Opinion", "key": "1"},
                {"value": "quantity", "label": "Quantity", "key": "2"},
                {"value": "event", "label": "Event", "key": "3"},
            ],
        },
        {
            "name": "checkworthy",
            "label": "Check-worthy?",
            "level": "ordinal",
            "show_if": {"field": "claim_types", "not_in": ["opinion"]},
            "options": [
                {"value": "no", "label": "No", "key": "n"},
                {"value": "maybe", "label": "Maybe", "key": "m"},
                {"value": "yes", "label": "Yes", "key": "y"},
                {"value": "not_sure", "label": "Not sure", "key": "x", "missing": True},
            ],
        },
        {
            "name": "rewrite",
            "type": "text",
            "label": "The claim in one sentence",
            "max_length": 60,
            "key": "w",
            "required": False,
        },
    ]
}


def schema(definition=ALL_TYPES) -> Schema:
    return Schema.parse(copy.deepcopy(definition))


def problems_of(definition) -> list[str]:
    with pytest.raises(SchemaError) as raised:
        Schema.parse(definition)
    return raised.value.problems


def test_a_schema_of_every_type_parses_and_old_schemas_stay_choice_fields():
    parsed = schema()
    assert [field.TYPE for field in parsed.fields] == ["multi", "choice", "text"]
    assert parsed.field("checkworthy").show_if.holds(["opinion", "event"]) and not parsed.field(
        "checkworthy"
    ).show_if.holds(["opinion"])
    assert parsed.keys() == {"1", "2", "3", "n", "m", "y", "x", "w"}


def test_definition_problems_of_the_new_types_are_named_by_path():
    broken = copy.deepcopy(ALL_TYPES)
    broken["fields"][0]["options"][0]["missing"] = True  # only one-choice fields have "not sure"
    broken["fields"][0]["max"] = 0
    broken["fields"][2]["key"] = "s"
    broken["fields"][2]["max_length"] = 100_000
    broken["fields"].append(
        {
            "name": "tone",
            "label": "Tone",
            "level": "nominal",
            "show_if": {"field": "rewrite", "not_in": ["x"]},
            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
        }
    )
    broken["fields"].append(
        {
            "name": "score",
            "label": "Score",
            "level": "interval",
            "options": [{"value": "1", "label": "One"}, {"value": "high", "label": "High"}],
        }
    )
    broken["fields"].append(
        {
            "name": "sure",
            "label": "Sure?",
            "level": "nominal",
            "options": [{"value": "y", "label": "Y"}, {"value": "ns", "label": "Not sure", "missing": True}],
        }
    )
    broken["fields"].append({"name": "odd", "type": "likert", "label": "Odd"})
    assert problems_of(broken) == [
        'fields[0].options[0]: unknown key "missing"',
        "fields[0].max: a whole number, 1 or more, is required",
        "fields[2].max_length: a whole number from 1 to 5000 is required",
        'fields[2].key: "s" is reserved for the annotate screen',
        'fields[4].options: "high" is not a number, as an interval level needs',
        "fields[5].options: at least two options that are not marked missing are required",
        "fields[6].type: must be one of choice, multi, text, span, evidence, got 'likert'",
        'fields[3].show_if.field: "rewrite" has no options to choose from, so it cannot decide whether a '
        "field is asked",
    ]


def test_a_multi_answer_is_a_list_of_its_options_in_the_schemas_order():
    parsed = schema()
    assert parsed.check_labels({"claim_types": ["event", "quantity"], "checkworthy": "yes"}) == {
        "claim_types": ["quantity", "event"],
        "checkworthy": "yes",
    }
    assert parsed.check_labels({"claim_types": ["opinion"]}) == {
        "claim_types": ["opinion"]
    }  # check-worthiness not asked
    for labels, message in [
        ({"claim_types": []}, "Claim types: choose at least one"),
        ({"claim_types": "opinion"}, 'Claim types: a list of options is required, got "opinion"'),
        ({"claim_types": ["opinion", "rumour"]}, 'Claim types: "rumour" is not one of Opinion, Quantity, Event'),
        ({"claim_types": ["opinion", "quantity", "event"], "checkworthy": "no"}, "Claim types: choose at most 2"),
        (
            {"claim_types": ["opinion"], "checkworthy": "no"},
            "Check-worthy?: leave it empty when Claim types is Opinion",
        ),
        ({"claim_types": ["event"]}, "Check-worthy?: choose a value"),
    ]:
        with pytest.raises(LabelError) as raised:
            parsed.check_labels(labels)
        assert str(raised.value) == message, labels


def test_a_text_answer_is_trimmed_bounded_and_may_be_left_out():
    parsed = schema()
    base = {"claim_types": ["opinion"]}
    assert (
        parsed.check_labels({**base, "rewrite": "  Bus fares rose 8% in April.  "})["rewrite"]
        == "Bus fares rose 8% in April."
    )
    assert "rewrite" not in parsed.check_labels({**base, "rewrite": "   "})
    with pytest.raises(LabelError) as raised:
        parsed.check_labels({**base, "rewrite": "x" * 61})
    assert str(raised.value) == "The claim in one sentence: at most 60 characters (61 given)"


def test_a_missing_option_is_an_answer_but_not_a_value_for_agreement():
    parsed = schema()
    assert parsed.check_labels({"claim_types": ["event"], "checkworthy": "not_sure"})["checkworthy"] == "not_sure"
    checkworthy = next(field for field in parsed.measured_fields if field.name == "checkworthy")
    assert checkworthy.categories == ("no", "maybe", "yes")
    assert (
        checkworthy.category_of({"checkworthy": "not_sure"}) is None
        and checkworthy.category_of({"checkworthy": "yes"}) == 2
    )


def test_a_multi_field_is_measured_as_a_set_and_option_by_option_and_a_text_not_at_all():
    measured = {field.name: field for field in schema().measured_fields}
    assert list(measured) == [
        "claim_types",
        "claim_types[opinion]",
        "claim_types[quantity]",
        "claim_types[event]",
        "checkworthy",
        "claim_types:opinion",
    ]
    assert measured["claim_types"].kind == SET and measured["claim_types"].level == "masi"
    assert measured["claim_types[event]"].kind == OPTION
    assert measured["claim_types[event]"].value_of({"claim_types": ["quantity", "event"]}) == "present"
    assert measured["claim_types"].value_of({"claim_types": ["event", "quantity"]}) == ("quantity", "event")
    # whether check-worthiness is asked follows the decision on the multi field
    assert measured["checkworthy"].asked_when == ("claim_types:opinion", ("opinion",))
    assert measured["claim_types:opinion"].value_of({"claim_types": ["opinion"]}) == "opinion"
    assert measured["claim_types:opinion"].value_of({"claim_types": ["opinion", "event"]}) == "other"
