"""`"type": "multi"`: several options may be chosen (every claim type a passage makes, say).
Agreement: Krippendorff's alpha with the MASI distance over the chosen sets (Passonneau 2006),
and each option as a binary field of its own; gold is decided option by option (an option is
in the gold set when its own gold says chosen), so one annotator's extra option is weighed as
such, not as a different answer."""

from dataclasses import dataclass
from typing import Any, ClassVar

from wtforms import Field as FormField
from wtforms.fields.core import UnboundField

from annotator.agreement.fields import ABSENT, OPTION, PRESENT, SET, MeasuredField
from annotator.agreement.levels import MASI
from annotator.schema.errors import LabelError, quoted
from annotator.schema.types.base import Field
from annotator.schema.types.options import Option, option_words, parse_options

# The weakest of the options' gold sources is the field's: a set is only as settled as its
# least settled option.
SOURCE_STRENGTH = ("single", "estimated", "majority", "unanimous", "adjudicated")


class TickedValues(FormField):
    """Every value sent under the field's name: the ticked options."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = tuple(valuelist)


@dataclass(frozen=True)
class MultiField(Field):
    TYPE: ClassVar[str] = "multi"
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset({"options", "max"})

    options: tuple[Option, ...] = ()
    most: int | None = None  # the most options one answer may hold

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        options, problems = parse_options(definition.get("options"), f"{path}.options", allow_missing=False)
        most = definition.get("max")
        if most is not None and (not isinstance(most, int) or isinstance(most, bool) or most < 1):
            problems.append(f"{path}.max: a whole number, 1 or more, is required")
        return {"options": options, "most": most}, problems

    @property
    def option_values(self) -> list[str]:
        return [option.value for option in self.options]

    def option_field(self, value: str) -> str:
        """The name of the binary measured field of one option."""
        return f"{self.name}[{value}]"

    def keys(self) -> set[str]:
        return {option.key.lower() for option in self.options if option.key}

    def check(self, value: object) -> list[str] | None:
        if value is None or value == []:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise LabelError(
                self.name, f"{self.label}: a list of options is required, got {quoted(value)}", self.option_values
            )
        unknown = [item for item in value if item not in self.option_values]
        if unknown:
            choices = ", ".join(option.label for option in self.options)
            raise LabelError(
                self.name, f"{self.label}: {quoted(unknown[0])} is not one of {choices}", self.option_values
            )
        chosen = [option for option in self.option_values if option in value]  # the schema's order, each once
        if self.most is not None and len(chosen) > self.most:
            raise LabelError(self.name, f"{self.label}: choose at most {self.most}", self.option_values)
        return chosen

    def answer_values(self, value: object) -> list[str]:
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    def words(self, value: object) -> str:
        return ", ".join(option_words(self.options, item) for item in value) if value else ""

    def form_field(self) -> UnboundField:
        return TickedValues(self.label, default=())

    def answer(self, data: object) -> list[str] | None:
        return [value for value in data or () if value] or None

    def flat(self, value: object) -> str | None:
        return "|".join(value) if value else None

    def missing_answer(self) -> LabelError:
        return LabelError(self.name, f"{self.label}: choose at least one", self.option_values)

    def measured(self) -> list[MeasuredField]:
        values = tuple(self.option_values)
        whole = MeasuredField(self.name, self.label, MASI, (), self.name, SET, condition=values)
        return [whole] + [
            MeasuredField(
                self.option_field(option.value),
                f"{self.label}: {option.label}",
                "nominal",
                (ABSENT, PRESENT),
                self.name,
                OPTION,
                condition=(option.value,),
            )
            for option in self.options
        ]

    def gold_columns(self, columns: dict[str, tuple[list, list, list, list]]) -> tuple[list, list]:
        per_option = [columns[self.option_field(option.value)] for option in self.options]
        answers, golds = [], []
        for unit in range(len(per_option[0][0])):
            answer, gold = self._unit_gold(
                [
                    (option.value, *(column[unit] for column in one))
                    for option, one in zip(self.options, per_option, strict=True)
                ]
            )
            answers.append(answer)
            golds.append(gold)
        return answers, golds

    def agreement_column(self, columns: dict[str, tuple[list, list, list, list]]) -> list:
        per_option = [columns[self.option_field(option.value)][3] for option in self.options]
        return [
            min((value for value in values if value is not None), default=None)
            for values in zip(*per_option, strict=True)
        ]

    def _unit_gold(self, options: list[tuple]) -> tuple[list[str] | None, dict]:
        """One passage's gold set from its options' (value, label, source, probability,
        agreement): the options whose own gold is "chosen". Every option is named in "options",
        null where it has no gold, so that every line has the same keys."""
        decided = [option for option in options if option[1] is not None]
        per_option = {
            value: {
                "chosen": label == PRESENT if label is not None else None,
                "source": source or None,
                "probability": probability,
            }
            for value, label, source, probability, _ in options
        }
        if not decided:
            return None, {"source": None, "probability": None, "agreement": None, "options": per_option}
        chosen = [value for value, label, *_ in decided if label == PRESENT]
        sources = [source for _, _, source, _, _ in decided if source in SOURCE_STRENGTH]
        probabilities = [probability for *_, probability, _ in decided if probability is not None]
        agreements = [agreement for *_, agreement in decided if agreement is not None]
        return chosen, {
            "source": min(sources, key=SOURCE_STRENGTH.index, default=None),
            "probability": min(probabilities, default=None),
            "agreement": min(agreements, default=None),
            "options": per_option,
        }
