"""The fields of a label schema whose answers are records rather than options (span fields, and
evidence fields at passage level): agreement reads them apart from the measured fields, from the
same label sets. Here a schema's fields become the descriptions agreement/spans.py computes on,
and this is the one place that knows how a span field's sub-fields are defined."""

from dataclasses import dataclass

from annotator.agreement.fields import ANSWER, SET
from annotator.agreement.spans import Evidence, MeasuredSpans
from annotator.schema.model import Schema
from annotator.schema.types import FIELD_TYPES

SPAN, EVIDENCE = "span", "evidence"


@dataclass(frozen=True)
class RecordFields:
    """A schema's span fields and top-level evidence fields, in the schema's order, and which
    span fields have a condition (their label sets count as segmentations only where asked)."""

    spans: tuple[MeasuredSpans, ...]
    evidence: tuple[Evidence, ...]
    schema: Schema

    @property
    def names(self) -> list[str]:
        return [field.name for field in (*self.spans, *self.evidence)]

    def __bool__(self) -> bool:
        return bool(self.spans or self.evidence)

    def conditional(self, name: str) -> bool:
        return self.schema.field(name).show_if is not None

    def asked(self, name: str, labels: dict) -> bool:
        """Whether the field was asked in a label set holding these (other) answers."""
        return any(field.name == name for field in self.schema.asked(labels))


def record_fields(schema: Schema) -> RecordFields:
    """The span and evidence fields of the schema as agreement measures them."""
    return RecordFields(
        spans=tuple(
            _span_field(field.name, field.label, field.definition) for field in schema.fields if field.TYPE == SPAN
        ),
        evidence=tuple(Evidence(field.name, field.label) for field in schema.fields if field.TYPE == EVIDENCE),
        schema=schema,
    )


def _span_field(name: str, label: str, definition: dict) -> MeasuredSpans:
    """A span field's measured sub-fields (a choice field's answer, a multi field's set of
    options) and evidence sub-fields, from its definition's sub-field definitions."""
    sub_fields, evidence = [], []
    for position, sub_definition in enumerate(definition.get("fields", [])):
        kind = sub_definition.get("type", "choice")
        if kind == EVIDENCE:
            evidence.append(Evidence(sub_definition["name"], sub_definition["label"]))
        elif kind in ("choice", "multi"):
            sub_field, _ = FIELD_TYPES[kind].parse(sub_definition, f"{name}.fields[{position}]")
            if sub_field is not None:  # the schema checked it when it was stored
                sub_fields += [one for one in sub_field.measured() if one.kind in (ANSWER, SET)]
    return MeasuredSpans(name, label, tuple(sub_fields), tuple(evidence))
