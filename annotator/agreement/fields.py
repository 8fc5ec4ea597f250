"""The fields agreement is measured on, and how one label set gives each its value. The label
schema's field types say which measured fields they have (annotator/schema/types/); this module
knows nothing of the schema, only the four kinds a measured field can be:

- ANSWER: a field's own answer, one of its options (a choice field);
- DECISION: whether a `show_if` condition holds (for the default schema: claim or no claim),
  a binary field of its own;
- OPTION: whether one option of a multi field was chosen, a binary field (gold for a multi
  field is decided option by option);
- SET: the set of options chosen in a multi field, compared with the MASI distance; its
  categories are the sets that occur, given by `with_categories` once the data is read.

Values an option marks as "missing" ("not sure", "cannot tell") count as no answer. Pure."""

from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property

ANSWER, DECISION, OPTION, SET = "answer", "decision", "option", "set"
OTHER = "other"
ABSENT, PRESENT = "absent", "present"  # the categories of an OPTION field


@dataclass(frozen=True)
class MeasuredField:
    """A field agreement is measured on. `categories` are its values in order (the scale's
    order for ordinal fields). `source` is the schema field whose answer it reads; `condition`
    holds, for a DECISION, the source's values that leave the dependent fields unasked, for an
    OPTION its option, for a SET every option in the schema's order. `asked_when` is (the
    measured field whose gold decides whether this one is asked, that field's categories that
    leave it unasked)."""

    name: str
    label: str
    level: str  # "nominal", "ordinal", "interval" or "masi"
    categories: tuple
    source: str
    kind: str = ANSWER
    condition: tuple[str, ...] = ()
    asked_when: tuple[str, tuple] | None = None
    ignored: frozenset[str] = frozenset()  # the source's "missing" values: no answer
    category_values: tuple | None = None  # interval: each category's number

    @property
    def is_decision(self) -> bool:
        return self.kind == DECISION

    @property
    def has_gold(self) -> bool:
        """Whether gold is estimated on this field (a SET's gold comes from its options)."""
        return self.kind != SET

    def value_of(self, labels: dict):
        """This field's value in one label set (hashable), None when it has none."""
        answers = self._answers(labels)
        if not answers:
            return None
        if self.kind == ANSWER:
            return answers[0] if answers[0] in self._index else None
        if self.kind == DECISION:
            return self.categories[0 if all(answer in self.condition for answer in answers) else 1]
        if self.kind == OPTION:
            return PRESENT if self.condition[0] in answers else ABSENT
        order = {value: position for position, value in enumerate(self.condition)}
        return tuple(sorted(set(answers), key=lambda value: order.get(value, len(order))))

    def category_of(self, labels: dict) -> int | None:
        """The category index of this field in one label set, None when it has none (or, for
        a SET, when that set is not among the categories)."""
        value = self.value_of(labels)
        return None if value is None else self._index.get(value)

    def with_categories(self, categories) -> "MeasuredField":
        """A SET field with these sets (tuples of options) as its categories, for MASI."""
        categories = tuple(categories)
        return replace(self, categories=categories, category_values=categories)

    @cached_property
    def _index(self) -> dict:
        return {category: position for position, category in enumerate(self.categories)}

    def _answers(self, labels: dict) -> list[str]:
        """The source's answer as a list of values: one text for a one-option answer (ANSWER),
        a list for a set (OPTION, SET), either for a DECISION; anything else is no answer."""
        raw = labels.get(self.source)
        if isinstance(raw, str) and self.kind in (ANSWER, DECISION):
            answers = [raw]
        elif isinstance(raw, list) and self.kind != ANSWER:
            answers = [value for value in raw if isinstance(value, str)]
        else:
            return []
        return [value for value in answers if value not in self.ignored]


def pair_agreement(values: list) -> float | None:
    """The share of agreeing pairs among all pairs of these values (one passage, one field);
    None with fewer than two values."""
    count = len(values)
    if count < 2:
        return None
    agreeing = sum(n * (n - 1) for n in Counter(values).values())
    return agreeing / (count * (count - 1))


def passage_agreements(fields: list[MeasuredField], label_sets: list[dict]) -> dict[str, tuple[float, int]]:
    """Per field with at least two values: (agreement, number of values) among the label sets
    of one passage (equal values agree; for a SET, equal sets)."""
    found = {}
    for field in fields:
        values = [value for value in (field.value_of(labels) for labels in label_sets) if value is not None]
        agreement = pair_agreement(values)
        if agreement is not None:
            found[field.name] = (agreement, len(values))
    return found
