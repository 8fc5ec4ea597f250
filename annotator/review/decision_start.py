"""What a reviewer's decision form starts from before anyone decided: the values every
annotator gave alike (never an estimate where they disagree), and for each span field the gold
spans the annotators' majority gives, so that the reviewer keeps, adjusts, drops or adds spans
rather than marking them all again."""

from annotator.review.adjudicating import FieldGold, Opinion, agreed_values
from annotator.schema import Schema

PROVENANCE = "gold"  # the key gold spans and records carry their provenance in; a decision has none


def starting_labels(schema: Schema, found: list[Opinion], gold: dict[str, FieldGold]) -> dict:
    """The decision form's first values (field name -> value)."""
    labels = agreed_values(found)
    for field in schema.fields:
        settled = gold.get(field.name)
        if field.NEEDS_PASSAGE and settled is not None and settled.value:
            labels[field.name] = without_provenance(settled.value)
    return labels


def without_provenance(value):
    """The value with every gold provenance ("gold": {...}) taken out, at any depth: the span
    and record shapes a decision is checked against have no such key."""
    if isinstance(value, list):
        return [without_provenance(item) for item in value]
    if isinstance(value, dict):
        return {key: without_provenance(item) for key, item in value.items() if key != PROVENANCE}
    return value
