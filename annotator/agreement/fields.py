"""Which fields agreement is measured on, read from a label schema: every schema field, over
the passages where it was asked, and, for every conditional field's condition, the decision
itself as a binary field (for the default schema: claim or no claim). Pure, no database."""

from collections import Counter
from dataclasses import dataclass

OTHER = "other"


@dataclass(frozen=True)
class MeasuredField:
    """A field agreement is measured on. `categories` are its values in the schema's order
    (the scale's order for ordinal fields). A decision field reads `source` and says whether
    its value is one of `condition` (category 0) or not (category 1)."""

    name: str
    label: str
    level: str  # "nominal" or "ordinal"
    categories: tuple[str, ...]
    source: str
    condition: tuple[str, ...] | None = None  # set for decision fields
    asked_when: tuple[str, tuple[str, ...]] | None = None  # (field, values that leave it unasked), from show_if

    @property
    def is_decision(self) -> bool:
        return self.condition is not None

    def category_of(self, labels: dict) -> int | None:
        """The category index of this field in one label set, None when it has no value."""
        value = labels.get(self.source)
        if value is None:
            return None
        if self.is_decision:
            return 0 if value in self.condition else 1
        try:
            return self.categories.index(value)
        except ValueError:
            return None  # a value of an older schema version


def measured_fields(schema: dict) -> list[MeasuredField]:
    """The schema's fields, then one decision field per distinct `show_if` condition."""
    fields = [MeasuredField(field["name"], field["label"], field["level"],
                            tuple(option["value"] for option in field["options"]), field["name"],
                            asked_when=(field["show_if"]["field"], tuple(field["show_if"]["not_in"]))
                            if field.get("show_if") else None)
              for field in schema["fields"]]
    labels = {field["name"]: field for field in schema["fields"]}
    conditions = dict.fromkeys((field["show_if"]["field"], tuple(field["show_if"]["not_in"]))
                               for field in schema["fields"] if field.get("show_if"))
    for source, excluded in conditions:
        options = {option["value"]: option["label"] for option in labels[source]["options"]}
        label = f"{labels[source]['label']}: {' / '.join(options.get(value, value) for value in excluded)} or not"
        fields.append(MeasuredField(f"{source}:{'|'.join(excluded)}", label, "nominal",
                                    ("|".join(excluded), OTHER), source, excluded))
    return fields


def pair_agreement(categories: list[int]) -> float | None:
    """The share of agreeing pairs among all pairs of these values (one passage, one field);
    None with fewer than two values."""
    count = len(categories)
    if count < 2:
        return None
    agreeing = sum(n * (n - 1) for n in Counter(categories).values())
    return agreeing / (count * (count - 1))


def passage_agreements(fields: list[MeasuredField], label_sets: list[dict]) -> dict[str, tuple[float, int]]:
    """Per field with at least two values: (agreement, number of values) among the label sets
    of one passage."""
    found = {}
    for field in fields:
        categories = [c for c in (field.category_of(labels) for labels in label_sets) if c is not None]
        agreement = pair_agreement(categories)
        if agreement is not None:
            found[field.name] = (agreement, len(categories))
    return found
