"""Which fields are measured, and how stored values become categories."""

import numpy as np

from annotator.agreement.fields import measured_fields, pair_agreement, passage_agreements
from annotator.agreement.table import NONE, UNKNOWN, categories_from_codes
from annotator.annotations.label_codes import CodesOfText
from annotator.projects.label_schema import default_schema


def test_every_schema_field_and_the_claim_decision_are_measured():
    fields = {field.name: field for field in measured_fields(default_schema())}
    assert list(fields) == ["claim_type", "stance", "verifiability", "claim_type:no_claim"]
    decision = fields["claim_type:no_claim"]
    assert decision.is_decision and decision.categories == ("no_claim", "other") and decision.level == "nominal"
    assert fields["verifiability"].level == "ordinal" and fields["stance"].asked_when == ("claim_type", ("no_claim",))
    assert decision.category_of({"claim_type": "no_claim"}) == 0 and decision.category_of({"claim_type": "rule"}) == 1
    assert fields["stance"].category_of({"claim_type": "no_claim"}) is None


def test_stored_codes_become_categories_old_values_included():
    fields = {field.name: field for field in measured_fields(default_schema())}
    options = fields["claim_type"].categories
    codes = np.array([0, 3, NONE, UNKNOWN])
    assert categories_from_codes(fields["claim_type"], options, codes).tolist() == [0, 3, NONE, NONE]
    assert categories_from_codes(fields["claim_type:no_claim"], options, codes).tolist() == [0, 1, NONE, 1]


def test_a_passages_agreement_is_the_share_of_agreeing_pairs():
    assert pair_agreement([1, 1, 1]) == 1.0 and pair_agreement([1, 1, 2]) == 1 / 3 and pair_agreement([4]) is None
    found = passage_agreements(measured_fields(default_schema()), [
        {"claim_type": "opinion", "stance": "favor", "verifiability": "unverifiable"},
        {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"},
        {"claim_type": "no_claim"},
    ])
    assert found["claim_type"] == (1 / 3, 3) and found["stance"] == (0.0, 2) and found["verifiability"] == (1.0, 2)
    assert found["claim_type:no_claim"] == (1 / 3, 3)


def test_stored_label_texts_become_option_codes_each_decoded_once():
    codes_of = CodesOfText([("claim_type", ("no_claim", "opinion")), ("stance", ("favor", "against"))])
    assert codes_of('{"claim_type": "opinion", "stance": "against"}') == (1, 1)
    assert codes_of('{"claim_type": "no_claim"}') == (0, NONE)
    assert codes_of('{"claim_type": "rumour", "stance": null}') == (UNKNOWN, NONE)  # an older schema's value
    assert codes_of('{"claim_type": ["opinion"], "stance": 3}') == (UNKNOWN, UNKNOWN)
    assert codes_of(None) is None
    text = '{"stance": "favor", "claim_type": "opinion"}'
    assert codes_of(text) is codes_of(text) == (1, 0)
