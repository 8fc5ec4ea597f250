"""The `fever` export: one line per gold claim in the shape FEVER's loaders read (`id`, `claim`,
`label` SUPPORTS / REFUTES / NOT ENOUGH INFO, `evidence` as a list of alternative evidence sets),
with where the claim lies (`passage_id`, `document_id`, raw `start` and `end`) and where its
gold came from (`source`).

Which fields make a claim is read from the schema (`fever_shape`): the verdict is a choice field
whose options are supports, refutes and (optionally) not_enough_info. Inside a span field, each
gold span is a claim (its text, or the span's "claim" or "rewritten_claim" text field when
answered), judged by the span's verdict, with the span's evidence field as its evidence; else
a verdict at passage level makes each passage a claim (its text), with the passage-level
evidence field. A schema without a verdict cannot give this export (NoVerdictField).

Evidence records are objects ({url, quote, relation, question?, answer?}), not FEVER's mixed
arrays ([annotation id, evidence id, page, sentence]), so that Arrow (`datasets`) can load the
file: a list holds one type. Records of one set together form one evidence set; sets are
alternatives, each enough on its own, in the order of their numbers. A NOT ENOUGH INFO claim
has no evidence (FEVER's convention). The gold is the training export's (its spans, records and
Dawid-Skene labels, read through `training_records`), so the two exports never disagree."""

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy.orm as so

from annotator.domain_errors import Conflict
from annotator.exporting.training import training_records
from annotator.exporting.training_options import TrainingOptions
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.schema import Schema
from annotator.schema.types.choice import ChoiceField
from annotator.schema.types.evidence import EvidenceField
from annotator.schema.types.span import SpanField
from annotator.schema.types.text import TextField

LABELS = {"supports": "SUPPORTS", "refutes": "REFUTES", "not_enough_info": "NOT ENOUGH INFO"}
NOT_ENOUGH_INFO = "NOT ENOUGH INFO"
CLAIM_TEXT_FIELDS = ("claim", "rewritten_claim")  # a span's own wording of its claim, in this order


class NoVerdictField(Conflict):
    """The project's schema has no verdict field: it has no claims to judge in FEVER's terms."""


@dataclass(frozen=True)
class FeverShape:
    """The fields the claims of a FEVER export come from."""

    verdict: ChoiceField
    span: SpanField | None  # each gold span of this field is a claim; None: each passage is one
    claim_text: TextField | None  # a span's own wording of its claim, when the schema asks for one
    evidence: EvidenceField | None

    @property
    def fields(self) -> tuple[str, ...]:
        """The schema fields whose gold the export reads."""
        if self.span is not None:
            return (self.span.name,)
        return tuple(field.name for field in (self.verdict, self.evidence) if field is not None)


def is_verdict(field) -> bool:
    """A choice field whose answers are supports and refutes, and perhaps not_enough_info (a
    "not sure" option marked missing aside)."""
    if not isinstance(field, ChoiceField):
        return False
    answers = {option.value for option in field.options if not option.missing}
    return {"supports", "refutes"} <= answers <= set(LABELS)


def fever_shape(schema: Schema) -> FeverShape | None:
    """Where the schema's claims and their verdicts are (see the module's docstring); None
    when it has no verdict field."""
    for field in schema.fields:
        if isinstance(field, SpanField):
            verdict = next((sub for sub in field.sub_fields if is_verdict(sub)), None)
            if verdict is not None:
                return FeverShape(verdict, field, _claim_text(field.sub_fields), _evidence(field.sub_fields))
    verdict = next((field for field in schema.fields if is_verdict(field)), None)
    if verdict is None:
        return None
    return FeverShape(verdict, None, None, _evidence(schema.fields))


def _claim_text(fields) -> TextField | None:
    texts = {field.name: field for field in fields if isinstance(field, TextField)}
    return next((texts[name] for name in CLAIM_TEXT_FIELDS if name in texts), None)


def _evidence(fields) -> EvidenceField | None:
    return next((field for field in fields if isinstance(field, EvidenceField)), None)


def check_fever(schema: Schema) -> FeverShape:
    """The schema's FEVER shape, or the refusal saying what the export needs."""
    shape = fever_shape(schema)
    if shape is None:
        raise NoVerdictField(
            "the fever export needs a verdict: a choice field with the options supports, refutes and "
            "not_enough_info, inside a span field (each gold span a claim) or at passage level (each "
            "passage a claim); this project's schema has none"
        )
    return shape


def fever_records(session: so.Session, project: Project) -> Iterator[dict]:
    """One line per gold claim, in reading order (refused at once, before anything streams,
    for a schema without a verdict field)."""
    shape = check_fever(schema_of(session, project))
    return _lines(training_records(session, project, TrainingOptions(fields=shape.fields)), shape)


@dataclass(frozen=True)
class _Claim:
    start: int  # raw offsets of the span, or of the passage
    end: int
    text: str
    answers: dict  # the gold answers holding its verdict and evidence
    source: str  # where its gold came from


def _lines(records: Iterator[dict], shape: FeverShape) -> Iterator[dict]:
    for record in records:
        for claim in _claims(record, shape):
            if claim.answers.get(shape.verdict.name) in LABELS:  # without a gold verdict, no line
                yield _line(record, claim, shape)


def _claims(record: dict, shape: FeverShape) -> Iterator[_Claim]:
    """A training record's claims: its gold spans, or the passage itself."""
    if shape.span is None:
        source = record["gold"][shape.verdict.name]["source"]
        yield _Claim(record["start"], record["end"], record["text"], record["labels"], source)
        return
    for span in record["labels"][shape.span.name] or ():
        wording = span["labels"].get(shape.claim_text.name) if shape.claim_text is not None else None
        yield _Claim(span["start"], span["end"], wording or span["text"], span["labels"], span["gold"]["source"])


def _line(record: dict, claim: _Claim, shape: FeverShape) -> dict:
    label = LABELS[claim.answers[shape.verdict.name]]
    field = shape.evidence
    records = (claim.answers.get(field.name) if field is not None else None) or []
    evidence = [] if label == NOT_ENOUGH_INFO else evidence_sets(records, field is not None and field.question)
    return {
        "id": f"{record['passage_id']}:{claim.start}-{claim.end}",
        "claim": claim.text,
        "label": label,
        "evidence": evidence,
        "passage_id": record["passage_id"],
        "document_id": record["document_id"],
        "start": claim.start,
        "end": claim.end,
        "source": claim.source,
    }


def evidence_sets(records: list[dict], questions: bool) -> list[list[dict]]:
    """The records grouped by their set (1 when the field has no sets), in the order of the
    sets' numbers, each record in the order given. Every record has the same keys (null where
    not given); `question` and `answer` when the field asks them."""
    sets: dict[int, list[dict]] = {}
    for record in records:
        sets.setdefault(record.get("set", 1), []).append(_evidence_record(record, questions))
    return [sets[number] for number in sorted(sets)]


def _evidence_record(record: dict, questions: bool) -> dict:
    shown = {"url": record["url"], "quote": record.get("quote"), "relation": record["relation"]}
    return shown | ({"question": record.get("question"), "answer": record.get("answer")} if questions else {})
