"""`show_if`: a field is asked only while another field's answer holds a value outside
`not_in`. One rule, here, for every path: the server checks label sets with it, and the
browser gets it as data (`as_data`) for its evaluator of the same rule (static/js/annotate.js,
checked against this one in tests/browser/test_label_types.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    field: str  # the controlling field's name
    not_in: tuple[str, ...]  # its values that leave the dependent field unasked

    def holds(self, answer_values: list[str]) -> bool:
        """Whether the dependent field is asked, given the controlling field's chosen values
        (one for a choice field, several for a multi field, none when unanswered)."""
        return any(value not in self.not_in for value in answer_values)

    def as_data(self) -> dict:
        return {"field": self.field, "not_in": list(self.not_in)}


def parse_condition(
    definition: object, path: str, own_name: str | None, values_of: dict[str, set[str] | None]
) -> tuple[Condition | None, list[str]]:
    """The condition of a field's `show_if`, or the problems with it. `values_of` maps every
    field's name to its option values (None for a field without options, which cannot decide
    whether another is asked)."""
    if not isinstance(definition, dict) or set(definition) != {"field", "not_in"}:
        return None, [f'{path}: must be {{"field": NAME, "not_in": [VALUES]}}']
    other, excluded = definition["field"], definition["not_in"]
    if other == own_name:
        return None, [f"{path}.field: a field cannot depend on itself"]
    if other not in values_of:
        return None, [f'{path}.field: no field named "{other}"']
    if values_of[other] is None:
        return None, [
            f'{path}.field: "{other}" has no options to choose from, so it cannot decide whether a field is asked'
        ]
    if not isinstance(excluded, list) or not excluded:
        return None, [f"{path}.not_in: a non-empty list of values is required"]
    unknown = [value for value in excluded if value not in values_of[other]]
    if unknown:
        return None, [f'{path}.not_in: "{value}" is not an option of "{other}"' for value in unknown]
    return Condition(other, tuple(excluded)), []
