"""What a `training` export is asked for, and which of the schema's fields that means. Pure: the
command line and the exports page build the options, the export and its line count read them."""

from dataclasses import dataclass

from annotator.agreement.fields import MeasuredField, measured_fields


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


def check_fields(wanted: tuple[str, ...] | None, schema: dict) -> None:
    """Refuse (ValueError) field names the schema does not have, naming the ones it has."""
    known = [field["name"] for field in schema["fields"]]
    unknown = [name for name in wanted or () if name not in known]
    if unknown:
        raise ValueError(f"no field {', '.join(map(repr, unknown))} in the schema: its fields are {', '.join(known)}")


def schema_fields(schema: dict) -> list[MeasuredField]:
    """Every field of the schema, as the export measures it (the decisions behind conditional
    fields are the dashboard's, not a column of the export)."""
    return [field for field in measured_fields(schema) if not field.is_decision]


def exported_fields(options: TrainingOptions, schema: dict) -> list[MeasuredField]:
    """The fields the export writes, in the schema's order; a passage's agreement is the lowest
    of theirs."""
    return [field for field in schema_fields(schema) if options.fields is None or field.name in options.fields]
