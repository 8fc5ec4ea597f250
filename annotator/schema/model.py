"""A label schema as typed objects: parsed once from its JSON definition (every problem named by
its path), then asked everything the product needs of it: which fields a label set is asked,
whether a label set fits, the measured fields agreement reads, the keys, the answers in words."""

import json
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from annotator.agreement.fields import DECISION, OTHER, MeasuredField, pair_agreement
from annotator.json_input import MAX_DEPTH, within_depth
from annotator.schema.condition import parse_condition
from annotator.schema.errors import LabelError, SchemaError, quoted
from annotator.schema.types import DEFAULT_TYPE, FIELD_TYPES
from annotator.schema.types.base import Field
from annotator.schema.types.options import option_words
from annotator.untrusted_text import NUL_REFUSED, has_nul

if TYPE_CHECKING:
    from annotator.splitting.words import PassageWords

MAX_SCHEMA_CHARS = 1_000_000


@dataclass(frozen=True, eq=False)
class Schema:
    fields: tuple[Field, ...]
    definition: dict

    # --- reading -------------------------------------------------------------------------------

    @classmethod
    def parse(cls, definition: Any) -> "Schema":
        """The schema of a definition; SchemaError naming every problem."""
        if not isinstance(definition, dict) or not isinstance(definition.get("fields"), list):
            raise SchemaError(['the schema must be an object with a "fields" list'])
        problems = [f'unknown key "{key}" at the top level' for key in sorted(set(definition) - {"fields"})]
        if not definition["fields"]:
            problems.append('"fields" is empty: a schema needs at least one field')
        fields: list[Field | None] = []
        for position, field_definition in enumerate(definition["fields"]):
            field, field_problems = _parse_field(field_definition, f"fields[{position}]", fields)
            fields.append(field)
            problems += field_problems
        values_of = _values_of(definition["fields"])
        for position, field_definition in enumerate(definition["fields"]):
            if isinstance(field_definition, dict) and "show_if" in field_definition:
                condition, condition_problems = parse_condition(
                    field_definition["show_if"], f"fields[{position}].show_if", field_definition.get("name"), values_of
                )
                problems += condition_problems
                if fields[position] is not None:
                    fields[position] = fields[position].with_condition(condition)
        if problems:
            raise SchemaError(problems)
        return cls(tuple(fields), definition)

    @classmethod
    def load(cls, text: str) -> "Schema":
        """The schema in a file's text; SchemaError naming every problem. The text is bounded
        in size before it is parsed and in depth after, and may hold no NUL."""
        if len(text) > MAX_SCHEMA_CHARS:
            raise SchemaError([f"the schema is {len(text):,} characters long, over the limit of {MAX_SCHEMA_CHARS:,}"])
        too_deep = SchemaError([f"the schema is nested more than {MAX_DEPTH} levels deep"])
        try:
            definition = json.loads(text)
        except json.JSONDecodeError as error:
            raise SchemaError([f"line {error.lineno}: not valid JSON: {error.msg}"]) from None
        except RecursionError:
            raise too_deep from None
        if not within_depth(definition):
            raise too_deep
        if has_nul(definition):
            raise SchemaError([f"the schema {NUL_REFUSED}"])
        return cls.parse(definition)

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {field.name: field for field in self.fields}

    def field(self, name: str) -> Field:
        return self.by_name[name]

    @property
    def names(self) -> list[str]:
        return [field.name for field in self.fields]

    # --- one label set -----------------------------------------------------------------------

    def asked(self, labels: dict) -> list[Field]:
        """The fields asked for these labels: a field with `show_if` only when the field it
        depends on has an answer the condition lets through."""
        return [field for field in self.fields if self._is_asked(field, labels)]

    def _is_asked(self, field: Field, labels: dict) -> bool:
        if field.show_if is None:
            return True
        controller = self.by_name[field.show_if.field]
        return field.show_if.holds(controller.answer_values(labels.get(controller.name)))

    @cached_property
    def needs_passage(self) -> bool:
        """Whether a label set is checked against its passage's words (it may mark spans):
        callers then pass `check_labels` the passage (annotator.splitting.words)."""
        return any(field.NEEDS_PASSAGE for field in self.fields)

    def check_labels(self, labels: object, passage: "PassageWords | None" = None) -> dict:
        """The label set in its normal form: every required asked field answered, each answer
        one the field allows, nothing for a field that was not asked, no unknown field.
        Spans are checked against `passage`, the passage's words. Raises LabelError in the
        annotator's words."""
        if not isinstance(labels, dict):
            raise LabelError("labels", "Labels must be an object of field names to values")
        for name in labels:
            if name not in self.by_name:
                raise self._unknown_field(name)
        asked = self.asked(labels)
        checked = {}
        for field in asked:
            value = field.check_in(labels.get(field.name), passage)
            if value is None and field.required:
                raise field.missing_answer()
            if value is not None:
                checked[field.name] = value
        asked_names = {field.name for field in asked}
        for name, value in labels.items():
            if name not in asked_names and value not in (None, [], ""):
                raise self._not_asked(self.by_name[name], labels)
        return checked

    def answers(self, read: dict[str, object]) -> dict:
        """The answers a submitted label form carries, from what each field's form field read,
        by field name (conditional fields hidden on screen send nothing)."""
        answers = {field.name: field.answer(read.get(field.name)) for field in self.fields}
        return {name: value for name, value in answers.items() if value is not None}

    def in_words(self, labels: dict) -> list[tuple[str, str]]:
        """(field label, answer in words) for each field the labels answer, in order."""
        return [
            (field.label, field.words(labels[field.name]))
            for field in self.fields
            if labels.get(field.name) is not None
        ]

    def keys(self) -> set[str]:
        """Every keyboard key the fields use (lower case)."""
        return set().union(*(field.keys() for field in self.fields))

    def _unknown_field(self, name: str) -> LabelError:
        labels = ", ".join(field.label for field in self.fields)
        return LabelError(
            name, f"{quoted(name)} is not a field of these labels (the fields are {labels})", sorted(self.names)
        )

    def _not_asked(self, field: Field, labels: dict) -> LabelError:
        """A value for a field whose condition does not hold: say which answer leaves it out."""
        other = self.by_name[field.show_if.field]
        chosen = other.answer_values(labels.get(other.name))
        words = ", ".join(option_words(other.options, value) for value in chosen) if chosen else None
        why = f"when {other.label} is {words}" if words else f"until {other.label} has a value"
        return LabelError(field.name, f"{field.label}: leave it empty {why}")

    # --- agreement ---------------------------------------------------------------------------

    def review_agreements(self, label_sets: list[dict]) -> dict[str, tuple[float, int]]:
        """Per span or evidence field with at least two answers, (share of agreeing pairs,
        answers) among one passage's label sets, compared by the type's `review_key`: what
        sends a passage whose annotators marked different spans to review."""
        found = {}
        for field in self.fields:
            keys = [field.review_key(labels.get(field.name)) for labels in label_sets]
            if any(key is not None for key in keys):
                agreement = pair_agreement(keys)
                if agreement is not None:
                    found[field.name] = (agreement, len(keys))
        return found

    @cached_property
    def measured_fields(self) -> list[MeasuredField]:
        """Every field's measured fields, each knowing which gold decides whether it is asked;
        then one DECISION field per distinct `show_if` condition (claim or no claim)."""
        decisions = self._decisions
        measured = []
        for field in self.fields:
            gate = self._gate(field, decisions)
            measured += [replace(one, asked_when=gate) if gate else one for one in field.measured()]
        return measured + list(decisions.values())

    @cached_property
    def _decisions(self) -> dict[tuple, MeasuredField]:
        decisions: dict[tuple, MeasuredField] = {}
        for field in self.fields:
            if field.show_if is None or (field.show_if.field, field.show_if.not_in) in decisions:
                continue
            source, excluded = self.by_name[field.show_if.field], field.show_if.not_in
            words = " / ".join(option_words(source.options, value) for value in excluded)
            decisions[(source.name, excluded)] = MeasuredField(
                f"{source.name}:{'|'.join(excluded)}",
                f"{source.label}: {words} or not",
                "nominal",
                ("|".join(excluded), OTHER),
                source.name,
                DECISION,
                condition=excluded,
                ignored=frozenset(option.value for option in source.options if option.missing),
            )
        return decisions

    def _gate(self, field: Field, decisions: dict) -> tuple[str, tuple] | None:
        """Which measured field's gold says whether `field` is asked: the controlling field's
        own answer when it is one option, else the condition's decision."""
        if field.show_if is None:
            return None
        condition = field.show_if
        if self.by_name[condition.field].TYPE == "choice":
            return condition.field, condition.not_in
        decision = decisions[(condition.field, condition.not_in)]
        return decision.name, (decision.categories[0],)

    def field_of(self, measured: MeasuredField) -> Field:
        """The schema field a measured field belongs to."""
        return self.by_name[measured.source]


def _parse_field(definition: object, path: str, earlier: list[Field | None]) -> tuple[Field | None, list[str]]:
    if not isinstance(definition, dict):
        return None, [f"{path}: a field must be an object"]
    kind = definition.get("type", DEFAULT_TYPE)
    if kind not in FIELD_TYPES:
        return None, [f"{path}.type: must be one of {', '.join(FIELD_TYPES)}, got {kind!r}"]
    field, problems = FIELD_TYPES[kind].parse(definition, path)
    name = definition.get("name")
    if isinstance(name, str) and any(other is not None and other.name == name for other in earlier):
        problems = [f'{path}.name: "{name}" is used twice'] + problems
        field = None
    return field, problems


def _values_of(definitions: list) -> dict[str, set[str] | None]:
    """What each named field offers a `show_if` to name: its option values (None for a type
    without options). Read from the definitions, so that a field with problems of its own does
    not add a second problem to every field that depends on it."""
    values_of: dict[str, set[str] | None] = {}
    for definition in definitions:
        if not isinstance(definition, dict) or not isinstance(definition.get("name"), str):
            continue
        kind = FIELD_TYPES.get(definition.get("type", DEFAULT_TYPE))
        options = definition.get("options") if kind is not None and "options" in kind.OWN_KEYS else None
        values_of.setdefault(
            definition["name"],
            {option["value"] for option in options if isinstance(option, dict) and isinstance(option.get("value"), str)}
            if isinstance(options, list)
            else None,
        )
    return values_of
