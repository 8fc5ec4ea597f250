"""The training form of the exports page (a GET form: its choices are in the address, so a
download can be linked): what was chosen and typed (shown again when something is wrong),
checked, and turned into the options the export takes."""

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Field, StringField, ValidationError

from annotator.exporting.splits import parse_split
from annotator.exporting.training_options import TrainingOptions
from annotator.web.forms import stripped

FORMATS = {"jsonl": "JSON Lines", "csv": "CSV"}


class ValuesField(Field):
    """Every value sent under the field's name (the ticked boxes of a group)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = tuple(valuelist)


class TickField(BooleanField):
    """A box ticked when it sends "1"."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0] == "1"


def _number(text: str) -> float | None:
    """A decimal number, with a point or a comma; None when empty or not one."""
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def _agreement(form, field) -> None:
    minimum = _number(field.data)
    if field.data and (minimum is None or not 0 <= minimum <= 1):
        raise ValidationError(f'the lowest agreement is a number from 0 to 1, like 0.67, not "{field.data}"')


def _split(form, field) -> None:
    try:
        parse_split(field.data) if field.data else None
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _whole(form, field) -> None:
    try:
        int(field.data or 0)
    except ValueError:
        raise ValidationError(f'the seed is a whole number, like 7, not "{field.data}"') from None


def _format(form, field) -> None:
    if field.data not in FORMATS:
        raise ValidationError(f'the format is {" or ".join(FORMATS.values())}, not "{field.data}"')


class TrainingForm(FlaskForm):
    """The form's values as given (all fields ticked until it is sent) and what is wrong: every
    bad value is named, none is silently replaced."""

    class Meta:
        csrf = False  # it changes nothing

    field = ValuesField("Fields", default=())  # none ticked exports them all, as a command without --fields
    min_agreement = StringField("Lowest agreement", filters=[stripped], validators=[_agreement])
    adjudicated_only = TickField("Only passages a reviewer decided")
    all_passages = TickField("Also the passages nobody has labelled yet")
    context = TickField("With the passages before and after")
    names = TickField("Annotators' usernames")
    split = StringField("Split", filters=[stripped], validators=[_split])
    seed = StringField("Seed", filters=[stripped], default="0", validators=[_whole])
    format = StringField("Format", default="jsonl", validators=[_format])

    def __init__(self, args: MultiDict, schema_fields: list[str]):
        """The form as sent (the page's defaults when nothing was), checked."""
        super().__init__(formdata=args or None, data=None if args else {"field": tuple(schema_fields)})
        self.schema_fields = schema_fields
        self.problems: list[str] = []
        if args:
            self.validate()
            self.problems = [error for field in self for error in field.errors]

    def validate_field(self, field) -> None:
        unknown = [name for name in field.data if name not in self.schema_fields]
        if unknown:
            raise ValidationError(
                f"no field {', '.join(map(repr, unknown))} in the schema: its fields are "
                f"{', '.join(self.schema_fields)}"
            )

    @property
    def invalid(self) -> bool:
        return bool(self.problems)

    @property
    def csv(self) -> bool:
        return self.format.data == "csv"

    def options(self) -> TrainingOptions:
        """The export's options (the form must be valid)."""
        return TrainingOptions(
            context=self.context.data,
            names=self.names.data,
            min_agreement=_number(self.min_agreement.data),
            adjudicated_only=self.adjudicated_only.data,
            all_passages=self.all_passages.data,
            fields=self.field.data or None,
            split=parse_split(self.split.data) if self.split.data else None,
            seed=int(self.seed.data or 0),
        )

    def refused(self, error: Exception) -> "TrainingForm":
        """The form, with the reason the export refused it."""
        self.problems.append(str(error))
        return self
