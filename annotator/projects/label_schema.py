"""Label schemas: the default claim schema and validation of a project's own JSON schema.

A schema is `{"fields": [{"name", "label", "help", "level", "required", "options":
[{"value", "label", "key"}], "show_if": {"field", "not_in"}}]}`. Statistics and export read
the same structure, so validation here is strict and its errors name the offending path.
"""

import copy
import json
import re
from typing import Any

from annotator.json_input import MAX_DEPTH, within_depth
from annotator.untrusted_text import NUL_REFUSED, has_nul

MAX_SCHEMA_CHARS = 1_000_000
LEVELS = ("nominal", "ordinal")
FIELD_KEYS = {"name", "label", "help", "level", "required", "options", "show_if"}
OPTION_KEYS = {"value", "label", "key"}
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# The annotate screen's own keys: submit, skip, back, guidelines, document, help, unsure, note.
RESERVED_KEYS = {"enter", "escape", "s", "b", "g", "d", "?", "!", "/"}

_CLAIM_ASKED = {"field": "claim_type", "not_in": ["no_claim"]}

DEFAULT_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "claim_type",
            "label": "Claim type",
            "help": "What kind of claim does the passage make? Pick no claim when it asserts nothing checkable or arguable.",
            "level": "nominal",
            "required": True,
            "options": [
                {"value": "no_claim", "label": "No claim", "key": "0"},
                {"value": "opinion", "label": "Opinion", "key": "1"},
                {"value": "quantity", "label": "Quantity (a number or statistic)", "key": "2"},
                {"value": "event", "label": "Event (something happened / is the case)", "key": "3"},
                {"value": "causal", "label": "Causal (cause or correlation)", "key": "4"},
                {"value": "rule", "label": "Rule (law, rule, policy)", "key": "5"},
                {"value": "prediction", "label": "Prediction", "key": "6"},
                {"value": "personal_experience", "label": "Personal experience", "key": "7"},
                {"value": "other_claim", "label": "Other claim", "key": "8"},
            ],
        },
        {
            "name": "stance",
            "label": "Stance toward the target",
            "help": "Does the claim support, oppose or not take a side on the project's target?",
            "level": "nominal",
            "required": True,
            "show_if": _CLAIM_ASKED,
            "options": [
                {"value": "favor", "label": "Favor", "key": "f"},
                {"value": "against", "label": "Against", "key": "a"},
                {"value": "neutral", "label": "Neutral", "key": "n"},
                {"value": "unrelated", "label": "Unrelated", "key": "u"},
            ],
        },
        {
            "name": "verifiability",
            "label": "Verifiability",
            "help": "Could the claim be checked against evidence?",
            "level": "ordinal",
            "required": True,
            "show_if": _CLAIM_ASKED,
            "options": [
                {"value": "verifiable", "label": "Verifiable", "key": "v"},
                {"value": "partly_verifiable", "label": "Partly verifiable", "key": "p"},
                {"value": "unverifiable", "label": "Unverifiable", "key": "x"},
            ],
        },
    ]
}


class SchemaError(ValueError):
    """A schema that cannot be used; `problems` lists every problem found, path first."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def default_schema() -> dict[str, Any]:
    return copy.deepcopy(DEFAULT_SCHEMA)


def load_schema(text: str) -> dict[str, Any]:
    """Parse and validate a schema file's text; raise SchemaError naming every problem."""
    if len(text) > MAX_SCHEMA_CHARS:
        raise SchemaError([f"the schema is {len(text):,} characters long, over the limit of {MAX_SCHEMA_CHARS:,}"])
    too_deep = SchemaError([f"the schema is nested more than {MAX_DEPTH} levels deep"])
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        raise SchemaError([f"line {error.lineno}: not valid JSON: {error.msg}"]) from None
    except RecursionError:
        raise too_deep from None
    if not within_depth(schema):
        raise too_deep
    if has_nul(schema):
        raise SchemaError([f"the schema {NUL_REFUSED}"])
    validate_schema(schema)
    return schema


def validate_schema(schema: Any) -> None:
    """Raise SchemaError unless `schema` is a usable label schema."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise SchemaError(['the schema must be an object with a "fields" list'])
    unknown = set(schema) - {"fields"}
    problems = [f'unknown key "{key}" at the top level' for key in sorted(unknown)]
    if not schema["fields"]:
        problems.append('"fields" is empty: a schema needs at least one field')
    options_by_field: dict[str, set[str]] = {}
    for position, field in enumerate(schema["fields"]):
        problems += _field_problems(field, f"fields[{position}]", options_by_field)
    for position, field in enumerate(schema["fields"]):
        if isinstance(field, dict) and "show_if" in field:
            problems += _show_if_problems(field, f"fields[{position}].show_if", options_by_field)
    if problems:
        raise SchemaError(problems)


def _field_problems(field: Any, path: str, options_by_field: dict[str, set[str]]) -> list[str]:
    if not isinstance(field, dict):
        return [f"{path}: a field must be an object"]
    problems = [f'{path}: unknown key "{key}"' for key in sorted(set(field) - FIELD_KEYS)]
    name = field.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.append(f'{path}.name: must be lower-case letters, digits and "_", got {name!r}')
    elif name in options_by_field:
        problems.append(f'{path}.name: "{name}" is used twice')
    if not isinstance(field.get("label"), str) or not field.get("label"):
        problems.append(f"{path}.label: a non-empty text is required")
    if field.get("level") not in LEVELS:
        problems.append(f"{path}.level: must be one of {', '.join(LEVELS)}, got {field.get('level')!r}")
    if "required" in field and not isinstance(field["required"], bool):
        problems.append(f"{path}.required: must be true or false")
    if "help" in field and not isinstance(field["help"], str):
        problems.append(f"{path}.help: must be text")
    values, option_problems = _options(field.get("options"), f"{path}.options")
    problems += option_problems
    if isinstance(name, str):
        options_by_field.setdefault(name, values)
    return problems


def _options(options: Any, path: str) -> tuple[set[str], list[str]]:
    if not isinstance(options, list) or len(options) < 2:
        return set(), [f"{path}: a list of at least two options is required"]
    problems: list[str] = []
    values: set[str] = set()
    keys: set[str] = set()
    for position, option in enumerate(options):
        where = f"{path}[{position}]"
        if not isinstance(option, dict):
            problems.append(f"{where}: an option must be an object")
            continue
        problems += [f'{where}: unknown key "{key}"' for key in sorted(set(option) - OPTION_KEYS)]
        value, key = option.get("value"), option.get("key")
        if not isinstance(value, str) or not value:
            problems.append(f"{where}.value: a non-empty text is required")
        elif value in values:
            problems.append(f'{where}.value: "{value}" is used twice')
        else:
            values.add(value)
        if not isinstance(option.get("label"), str) or not option.get("label"):
            problems.append(f"{where}.label: a non-empty text is required")
        if key is not None:
            problems += _key_problems(key, where, keys)
    return values, problems


def _key_problems(key: Any, where: str, keys: set[str]) -> list[str]:
    if not isinstance(key, str) or len(key) != 1:
        return [f"{where}.key: a single character is required, got {key!r}"]
    if key.lower() in RESERVED_KEYS:
        return [f'{where}.key: "{key}" is reserved for the annotate screen']
    if key.lower() in keys:
        return [f'{where}.key: "{key}" is used twice in this field']
    keys.add(key.lower())
    return []


def _show_if_problems(field: dict, path: str, options_by_field: dict[str, set[str]]) -> list[str]:
    condition = field["show_if"]
    if not isinstance(condition, dict) or set(condition) != {"field", "not_in"}:
        return [f'{path}: must be {{"field": NAME, "not_in": [VALUES]}}']
    other, excluded = condition["field"], condition["not_in"]
    if other == field.get("name"):
        return [f"{path}.field: a field cannot depend on itself"]
    if other not in options_by_field:
        return [f'{path}.field: no field named "{other}"']
    if not isinstance(excluded, list) or not excluded:
        return [f"{path}.not_in: a non-empty list of values is required"]
    unknown = [value for value in excluded if value not in options_by_field[other]]
    return [f'{path}.not_in: "{value}" is not an option of "{other}"' for value in unknown]


class LabelError(ValueError):
    """A label set that does not fit the schema. The message speaks the annotator's terms: the
    field by its label, what it allows by the options' labels. `field` and `allowed` keep the
    field's name and values, for scripts (the API's 422 body, import-annotations)."""

    def __init__(self, field: str, message: str, allowed: list[str] | None = None):
        super().__init__(message)
        self.field, self.message, self.allowed = field, message, allowed or []

    def as_dict(self) -> dict:
        return {"field": self.field, "error": self.message, "allowed": self.allowed}


def asked_fields(schema: dict, labels: dict) -> list[dict]:
    """The fields asked for these labels: a field with `show_if` only when the field it
    depends on has a value outside `not_in`."""
    return [field for field in schema["fields"] if _is_asked(field, labels)]


def _is_asked(field: dict, labels: dict) -> bool:
    condition = field.get("show_if")
    if condition is None:
        return True
    value = labels.get(condition["field"])
    return value is not None and value not in condition["not_in"]


def validate_labels(schema: dict, labels: object) -> dict[str, str]:
    """The label set, checked against the schema: every required asked field has one of its
    values, no field that was not asked has one, no unknown field. Raises LabelError."""
    if not isinstance(labels, dict):
        raise LabelError("labels", "Labels must be an object of field names to values")
    fields = {field["name"]: field for field in schema["fields"]}
    for name in labels:
        if name not in fields:
            raise _unknown_field(name, schema)
    asked = asked_fields(schema, labels)
    for field in asked:
        value = labels.get(field["name"])
        if value is None:
            if field.get("required", True):
                raise LabelError(field["name"], f"{field['label']}: choose a value", _values(field))
        elif value not in _values(field):
            raise _not_an_option(field, value)
    asked_names = {field["name"] for field in asked}
    for name, value in labels.items():
        if name not in asked_names and value is not None:
            raise _not_asked(fields[name], fields, labels)
    return {name: value for name, value in labels.items() if value is not None}


def _values(field: dict) -> list[str]:
    return [option["value"] for option in field["options"]]


def _unknown_field(name: str, schema: dict) -> LabelError:
    labels = ", ".join(field["label"] for field in schema["fields"])
    return LabelError(name, f"{_quoted(name)} is not a field of these labels (the fields are {labels})",
                      sorted(field["name"] for field in schema["fields"]))


def _not_an_option(field: dict, value: object) -> LabelError:
    choices = ", ".join(option["label"] for option in field["options"])
    return LabelError(field["name"], f"{field['label']}: {_quoted(value)} is not one of {choices}", _values(field))


def _not_asked(field: dict, fields: dict[str, dict], labels: dict) -> LabelError:
    """A value for a field whose condition does not hold: say which answer leaves it out."""
    other = fields[field["show_if"]["field"]]
    chosen = labels.get(other["name"])
    option = next((option["label"] for option in other["options"] if option["value"] == chosen), None)
    why = f"when {other['label']} is {option}" if option else f"until {other['label']} has a value"
    return LabelError(field["name"], f"{field['label']}: leave it empty {why}")


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else json.dumps(value)
