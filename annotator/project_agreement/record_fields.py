"""The fields of a label schema whose answers are records rather than options (span fields, and
evidence fields at passage level): agreement reads them apart from the measured fields, from the
same label sets. Here a schema's fields become the descriptions agreement/spans.py computes on."""

from dataclasses import dataclass

from annotator.agreement.fields import ANSWER, SET
from annotator.agreement.spans import Evidence, MeasuredSpans
from annotator.schema.model import Schema
from annotator.schema.types.evidence import EvidenceField
from annotator.schema.types.span import SpanField


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
        spans=tuple(_span_field(field) for field in schema.fields if isinstance(field, SpanField)),
        evidence=tuple(
            Evidence(field.name, field.label) for field in schema.fields if isinstance(field, EvidenceField)
        ),
        schema=schema,
    )


def _span_field(field: SpanField) -> MeasuredSpans:
    """A span field's measured sub-fields (a choice field's answer, a multi field's set of
    options: the measured fields whose value is the sub-field's own answer) and its evidence
    sub-fields."""
    measured = [one for sub in field.sub_fields for one in sub.measured() if one.kind in (ANSWER, SET)]
    evidence = [Evidence(sub.name, sub.label) for sub in field.sub_fields if isinstance(sub, EvidenceField)]
    return MeasuredSpans(field.name, field.label, tuple(measured), tuple(evidence))
