"""What every field type of a label schema has and does. A field type is one module in this
package, registered in `FIELD_TYPES` (types/__init__.py), with one template fragment
(templates/fields/_TYPE.html). It owns, for its kind of answer: the definition's checks
(problems named by path), a value's checks and normal form, the measured fields agreement
reads, how gold comes out of the measured fields' gold, the answer in words, the form field
its answer is read with from a submitted form, and how it is flattened for a CSV cell."""

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from wtforms import StringField
from wtforms.fields.core import UnboundField

from annotator.agreement.fields import MeasuredField
from annotator.schema.condition import Condition
from annotator.schema.errors import LabelError

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# The annotate screen's own keys: submit, skip, back, guidelines, document, help, unsure, note.
RESERVED_KEYS = frozenset({"enter", "escape", "s", "b", "g", "d", "?", "!", "/"})
COMMON_KEYS = frozenset({"name", "label", "help", "required", "show_if", "type"})


@dataclass(frozen=True)
class Field:
    """A field of a label schema (abstract: see the types)."""

    TYPE: ClassVar[str]
    NEEDS_PASSAGE: ClassVar[bool] = False  # its answers are checked against the passage's words
    OWN_GOLD: ClassVar[bool] = False  # gold comes from `settle`, not from measured fields
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset()  # definition keys this type adds

    name: str
    label: str
    help: str = ""
    required: bool = True
    show_if: Condition | None = None
    definition: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def template(self) -> str:
        return f"fields/_{self.TYPE}.html"

    # --- the definition --------------------------------------------------------------------

    @classmethod
    def parse(cls, definition: dict, path: str) -> tuple["Field | None", list[str]]:
        """The field from its definition (show_if aside: the schema sets it once every field
        is known), or the problems with it."""
        problems = [f'{path}: unknown key "{key}"' for key in sorted(set(definition) - COMMON_KEYS - cls.OWN_KEYS)]
        name = definition.get("name")
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            problems.append(f'{path}.name: must be lower-case letters, digits and "_", got {name!r}')
        if not isinstance(definition.get("label"), str) or not definition.get("label"):
            problems.append(f"{path}.label: a non-empty text is required")
        own, own_problems = cls._parse_own(definition, path)
        problems += own_problems
        if "required" in definition and not isinstance(definition["required"], bool):
            problems.append(f"{path}.required: must be true or false")
        if "help" in definition and not isinstance(definition["help"], str):
            problems.append(f"{path}.help: must be text")
        if problems:
            return None, problems
        return cls(
            name=name,
            label=definition["label"],
            help=definition.get("help", ""),
            required=definition.get("required", True),
            definition=definition,
            **own,
        ), []

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        """The type's own settings, and the problems with them."""
        return {}, []

    def with_condition(self, condition: Condition | None) -> "Field":
        return replace(self, show_if=condition)

    @property
    def option_values(self) -> list[str] | None:
        """The values another field's show_if may name (None: this field cannot control one)."""
        return None

    def keys(self) -> set[str]:
        """The keyboard keys this field's controls use (lower case)."""
        return set()

    # --- one answer --------------------------------------------------------------------------

    def check(self, value: object) -> object:
        """The value in its normal form (None for no answer), or LabelError."""
        raise NotImplementedError

    def check_in(self, value: object, passage: object) -> object:
        """`check`, for a type whose answers are checked against their passage's words
        (annotator.splitting.words.PassageWords; None when the caller has none)."""
        return self.check(value)

    def answer_values(self, value: object) -> list[str]:
        """The option values an answer holds, as a condition reads them."""
        return []

    def words(self, value: object) -> str:
        """The answer as a person reads it."""
        return "" if value is None else str(value)

    def form_field(self) -> UnboundField:
        """The form field the label form reads this field's answer with (sent as `label-NAME`;
        the answer's checks are `check`'s, for every path a label set comes by)."""
        return StringField(self.label)

    def answer(self, data: object) -> object:
        """The answer as its form field read it, None if none."""
        return data or None

    def flat(self, value: object) -> str | None:
        """The answer in one CSV cell."""
        return None if value is None else str(value)

    def review_key(self, value: object) -> object:
        """For a type agreement does not measure field by field (spans, evidence): the answer
        reduced to what annotators must agree on for a passage to skip review, hashable (two
        answers agree when their keys are equal); None for other types and for no answer."""
        return None

    def missing_answer(self) -> LabelError:
        return LabelError(self.name, f"{self.label}: choose a value", self.option_values or [])

    # --- agreement and gold ------------------------------------------------------------------

    def measured(self) -> list[MeasuredField]:
        """The measured fields of this field's own answer (decisions of show_if aside)."""
        return []

    def gold_columns(self, columns: dict[str, tuple[list, list, list, list]]) -> tuple[list, list] | None:
        """Per unit (a passage), the field's final answer and its gold dict (source,
        probability, agreement), from its measured fields' gold columns, given by measured
        field name as (labels, sources, probabilities, agreements), one entry per unit. None for
        a type whose gold does not come from measured fields (OWN_GOLD: its `settle(given,
        decided, passage)` gives the gold, the passage's words being None where unknown)."""
        return None

    def agreement_column(self, columns: dict[str, tuple[list, list, list, list]]) -> list | None:
        """Per unit, the field's agreement (None where it has none); None for a type without."""
        return None


def json_answer(data: object) -> object:
    """A value a form sends as JSON text (the annotate screen's script keeps spans and evidence
    records so): None when empty, the text itself when it is not JSON, for `check` to refuse in
    the annotator's words."""
    if not isinstance(data, str) or not data.strip():
        return None
    try:
        return json.loads(data)
    except (json.JSONDecodeError, RecursionError):
        return data
