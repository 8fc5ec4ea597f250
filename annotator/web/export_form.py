"""The training form of the exports page: what was chosen and typed (shown again when something
is wrong), checked, and turned into the options the export takes."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from annotator.exporting.splits import parse_split
from annotator.exporting.training_options import TrainingOptions

FORMATS = {"jsonl": "JSON Lines", "csv": "CSV"}


@dataclass
class TrainingForm:
    """The form's values as given (all fields ticked until it is sent) and what is wrong."""

    fields: tuple[str, ...]  # the ticked ones; none ticked exports them all, as a command without --fields
    min_agreement: str = ""
    adjudicated_only: bool = False
    all_passages: bool = False
    context: bool = False
    names: bool = False
    split: str = ""
    seed: str = "0"
    format: str = "jsonl"
    errors: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> bool:
        return bool(self.errors)

    @property
    def csv(self) -> bool:
        return self.format == "csv"

    def options(self) -> TrainingOptions:
        """The export's options (the form must be valid)."""
        minimum = _number(self.min_agreement)
        return TrainingOptions(context=self.context, names=self.names, min_agreement=minimum,
                               adjudicated_only=self.adjudicated_only, all_passages=self.all_passages,
                               fields=self.fields or None, split=parse_split(self.split) if self.split else None,
                               seed=int(self.seed or 0))

    def refused(self, error: Exception) -> "TrainingForm":
        """The form, with the reason the export refused it."""
        self.errors.append(str(error))
        return self


def read_training_form(args: MultiDict, schema_fields: list[str]) -> TrainingForm:
    """The form as sent (the page's defaults when nothing was), checked: every bad value is
    named, none is silently replaced."""
    if not args:
        return TrainingForm(fields=tuple(schema_fields))
    form = TrainingForm(
        fields=tuple(args.getlist("field")), min_agreement=args.get("min_agreement", "").strip(),
        adjudicated_only=_ticked(args, "adjudicated_only"), all_passages=_ticked(args, "all_passages"),
        context=_ticked(args, "context"), names=_ticked(args, "names"), split=args.get("split", "").strip(),
        seed=args.get("seed", "0").strip(), format=args.get("format", "jsonl"),
    )
    form.errors = [problem for problem in _problems(form, schema_fields) if problem]
    return form


def _ticked(args: Mapping[str, str], name: str) -> bool:
    return args.get(name) == "1"


def _problems(form: TrainingForm, schema_fields: list[str]) -> list[str | None]:
    unknown = [name for name in form.fields if name not in schema_fields]
    return [
        f"no field {', '.join(map(repr, unknown))} in the schema: its fields are {', '.join(schema_fields)}" if unknown else None,
        _agreement_problem(form.min_agreement),
        _split_problem(form.split),
        f'the seed is a whole number, like 7, not "{form.seed}"' if not _is_whole(form.seed) else None,
        f'the format is {" or ".join(FORMATS.values())}, not "{form.format}"' if form.format not in FORMATS else None,
    ]


def _agreement_problem(text: str) -> str | None:
    if not text:
        return None
    minimum = _number(text)
    if minimum is None or not 0 <= minimum <= 1:
        return f'the lowest agreement is a number from 0 to 1, like 0.67, not "{text}"'
    return None


def _number(text: str) -> float | None:
    """A decimal number, with a point or a comma; None when empty or not one."""
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def _split_problem(text: str) -> str | None:
    try:
        parse_split(text) if text else None
    except ValueError as error:
        return str(error)
    return None


def _is_whole(text: str) -> bool:
    try:
        int(text or 0)
    except ValueError:
        return False
    return True
