"""What a `training` export is asked for, and which of the schema's fields that means. Pure: the
command line and the exports page build the options, the export and its line count read them."""

from dataclasses import dataclass

from annotator.agreement.fields import DECISION, MeasuredField
from annotator.schema import Schema
from annotator.schema.types.base import Field


@dataclass(frozen=True)
class TrainingOptions:
    context: bool = False  # the text of the passages before and after
    names: bool = False  # annotators' usernames instead of pseudonyms
    min_agreement: float | None = None  # only passages whose lowest field agreement reaches this
    adjudicated_only: bool = False
    fields: tuple[str, ...] | None = None  # only these schema fields (all when None)
    split: tuple[int, int, int] | None = None  # train/dev/test shares, by document
    seed: int = 0
    all_passages: bool = False  # the annotatable passages nobody labelled too (every label null, no gold)


def check_fields(wanted: tuple[str, ...] | None, schema: Schema) -> None:
    """Refuse (ValueError) field names the schema does not have, naming the ones it has."""
    unknown = [name for name in wanted or () if name not in schema.by_name]
    if unknown:
        raise ValueError(
            f"no field {', '.join(map(repr, unknown))} in the schema: its fields are {', '.join(schema.names)}"
        )


def exported_fields(options: TrainingOptions, schema: Schema) -> list[Field]:
    """The schema fields the export writes, in the schema's order."""
    return [field for field in schema.fields if options.fields is None or field.name in options.fields]


def gold_fields(schema: Schema) -> list[MeasuredField]:
    """The measured fields gold is estimated on, decisions included (a condition's decision says
    whether a field that depends on a multi field is asked): the columns of an export's tables."""
    return [field for field in schema.measured_fields if field.has_gold]


def agreement_fields(options: TrainingOptions, schema: Schema) -> list[MeasuredField]:
    """The measured fields whose agreement a line's agreement is the lowest of: those of the
    exported fields (a multi field's options; a text field has none), not the decisions."""
    exported = {field.name for field in exported_fields(options, schema)}
    return [field for field in gold_fields(schema) if field.kind != DECISION and field.source in exported]
