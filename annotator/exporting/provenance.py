"""Where each gold span and evidence record of an export came from, on the span or record
itself: a reviewer's (`adjudicated`), or settled from the annotators' (a span: `unanimous`,
`majority` or `single`, with how many annotators marked it of how many labelled the passage;
a record: `cited`, with how many annotators cited it). The types settle gold
(annotator/schema/types/span.py, evidence.py) and give the reviewer's spans and records as the
reviewer stored them; here every one gets the same keys, so that a line says where each of its
claims and records came from and every line has the same shape (what Arrow wants): a span has
every sub-field (null where none), a record every key its field allows (null where not given).
Pure."""

from annotator.schema.types.base import Field
from annotator.schema.types.evidence import EvidenceField
from annotator.schema.types.span import SpanField

ADJUDICATED = "adjudicated"
CITED = "cited"


def with_provenance(field: Field, answer: object, gold: dict) -> object:
    """The field's gold answer with the provenance of each span and record (new dicts: the
    answers read from the database are shared between passages)."""
    if answer is None:
        return None
    if isinstance(field, SpanField):
        return [_span(field, span) for span in answer]
    if isinstance(field, EvidenceField):
        return [_record(field, record) for record in answer]
    return answer


def _span(field: SpanField, span: dict) -> dict:
    given = span.get("gold")
    provenance = (
        {"source": given["source"], "annotators": given["annotators"], "of": given["of"]}
        if given
        else {"source": ADJUDICATED, "annotators": None, "of": None}
    )
    given_labels = span.get("labels") or {}
    labels = {sub.name: with_provenance(sub, given_labels.get(sub.name), {}) for sub in field.sub_fields}
    return {"start": span["start"], "end": span["end"], "text": span["text"], "labels": labels, "gold": provenance}


def _record(field: EvidenceField, record: dict) -> dict:
    given = record.get("gold")
    provenance = (
        {"source": CITED, "cited_by": given["cited_by"], "of": given["of"]}
        if given
        else {"source": ADJUDICATED, "cited_by": None, "of": None}
    )
    return {key: record.get(key) for key in record_keys(field)} | {"gold": provenance}


def record_keys(field: EvidenceField) -> tuple[str, ...]:
    """The keys an evidence field's records may have, in their normal order."""
    return (
        ("url", "relation", "quote")
        + (("set",) if field.sets else ())
        + (("question", "answer") if field.question else ())
        + ("note",)
    )
