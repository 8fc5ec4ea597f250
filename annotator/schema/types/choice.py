"""`"type": "choice"` (the default): one option is chosen. Agreement by Krippendorff's alpha at
the field's level (nominal, ordinal, or interval for numeric option values); gold is the
measured field's gold. Options marked `"missing": true` ("not sure") are answers a person may
give; agreement and gold treat them as no answer."""

from dataclasses import dataclass
from typing import Any, ClassVar

from annotator.agreement.fields import ANSWER, MeasuredField
from annotator.agreement.levels import LEVELS
from annotator.schema.errors import LabelError, quoted
from annotator.schema.types.base import Field
from annotator.schema.types.options import Option, option_words, parse_options


@dataclass(frozen=True)
class ChoiceField(Field):
    TYPE: ClassVar[str] = "choice"
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset({"level", "options"})

    level: str = "nominal"
    options: tuple[Option, ...] = ()

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        problems = []
        level = definition.get("level")
        if level not in LEVELS:
            problems.append(f"{path}.level: must be one of {', '.join(LEVELS)}, got {level!r}")
        options, option_problems = parse_options(definition.get("options"), f"{path}.options", allow_missing=True)
        problems += option_problems
        answers = [option for option in options if not option.missing]
        if options and not option_problems and len(answers) < 2:
            problems.append(f"{path}.options: at least two options that are not marked missing are required")
        if level == "interval" and not option_problems:
            problems += [
                f'{path}.options: "{option.value}" is not a number, as an interval level needs'
                for option in answers
                if not _is_number(option.value)
            ]
        return {"level": level, "options": options}, problems

    @property
    def option_values(self) -> list[str]:
        return [option.value for option in self.options]

    def keys(self) -> set[str]:
        return {option.key.lower() for option in self.options if option.key}

    def check(self, value: object) -> str | None:
        if value is None:
            return None
        if value not in self.option_values:
            choices = ", ".join(option.label for option in self.options)
            raise LabelError(self.name, f"{self.label}: {quoted(value)} is not one of {choices}", self.option_values)
        return value

    def answer_values(self, value: object) -> list[str]:
        return [value] if isinstance(value, str) else []

    def words(self, value: object) -> str:
        return "" if value is None else option_words(self.options, value)

    def measured(self) -> list[MeasuredField]:
        answers = tuple(option.value for option in self.options if not option.missing)
        numbers = tuple(float(value) for value in answers) if self.level == "interval" else None
        return [
            MeasuredField(
                self.name,
                self.label,
                self.level,
                answers,
                self.name,
                ANSWER,
                ignored=frozenset(option.value for option in self.options if option.missing),
                category_values=numbers,
            )
        ]

    def gold_columns(self, columns: dict[str, tuple[list, list, list, list]]) -> tuple[list, list]:
        labels, sources, probabilities, agreements = columns[self.name]
        return labels, [
            {"source": source, "probability": probability, "agreement": agreement}
            for source, probability, agreement in zip(sources, probabilities, agreements, strict=True)
        ]

    def agreement_column(self, columns: dict[str, tuple[list, list, list, list]]) -> list:
        return columns[self.name][3]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
