"""Which fields are measured, and how stored values become categories."""

from annotator.agreement.fields import pair_agreement, passage_agreements
from annotator.agreement.table import NONE
from annotator.annotations.label_codes import CodesOfText
from annotator.schema import Schema, default_definition


def measured():
    return {field.name: field for field in Schema.parse(default_definition()).measured_fields}


def test_every_schema_field_and_the_claim_decision_are_measured():
    fields = measured()
    assert list(fields) == ["claim_type", "stance", "verifiability", "claim_type:no_claim"]
    decision = fields["claim_type:no_claim"]
    assert decision.is_decision and decision.categories == ("no_claim", "other") and decision.level == "nominal"
    assert fields["verifiability"].level == "ordinal" and fields["stance"].asked_when == ("claim_type", ("no_claim",))
    assert decision.category_of({"claim_type": "no_claim"}) == 0 and decision.category_of({"claim_type": "rule"}) == 1
    assert fields["stance"].category_of({"claim_type": "no_claim"}) is None


def test_stored_values_become_categories_old_values_included():
    fields = measured()
    assert [
        fields["claim_type"].category_of({"claim_type": value}) for value in ("no_claim", "event", None, "rumour")
    ] == [0, 3, None, None]  # "rumour": an older schema version's value, no category
    assert [
        fields["claim_type:no_claim"].category_of({"claim_type": value})
        for value in ("no_claim", "event", None, "rumour")
    ] == [0, 1, None, 1]  # an old value is still a claim


def test_a_passages_agreement_is_the_share_of_agreeing_pairs():
    assert pair_agreement([1, 1, 1]) == 1.0 and pair_agreement([1, 1, 2]) == 1 / 3 and pair_agreement([4]) is None
    found = passage_agreements(
        list(measured().values()),
        [
            {"claim_type": "opinion", "stance": "favor", "verifiability": "unverifiable"},
            {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"},
            {"claim_type": "no_claim"},
        ],
    )
    assert found["claim_type"] == (1 / 3, 3) and found["stance"] == (0.0, 2) and found["verifiability"] == (1.0, 2)
    assert found["claim_type:no_claim"] == (1 / 3, 3)


def test_stored_label_texts_become_codes_each_decoded_once():
    fields = measured()
    codes_of = CodesOfText([fields["claim_type"], fields["stance"]], kept=["claim_type"])
    assert codes_of('{"claim_type": "opinion", "stance": "against"}') == (1, 1)
    assert codes_of('{"claim_type": "no_claim"}') == (0, NONE)
    assert codes_of('{"claim_type": "rumour", "stance": null}') == (NONE, NONE)  # an older schema's value
    assert codes_of('{"claim_type": ["opinion"], "stance": 3}') == (NONE, NONE)
    assert codes_of(None) is None
    text = '{"stance": "favor", "claim_type": "opinion"}'
    assert codes_of.decode(text) is codes_of.decode(text) and codes_of(text) == (1, 0)
    assert codes_of.decode('{"claim_type": "rumour"}')[1] == {"claim_type": "rumour"}  # answers kept as given
