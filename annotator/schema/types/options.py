"""The options of a field that is answered by choosing (choice and multi fields)."""

from dataclasses import dataclass

from annotator.schema.types.base import RESERVED_KEYS

OPTION_KEYS = frozenset({"value", "label", "key"})


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    key: str | None = None
    missing: bool = False  # "not sure", "cannot tell": kept as given, no answer for agreement and gold


def parse_options(options: object, path: str, allow_missing: bool) -> tuple[tuple[Option, ...], list[str]]:
    """The options, or the problems with them: at least two, values and keys each used once,
    keys single characters the screen does not use itself."""
    if not isinstance(options, list) or len(options) < 2:
        return (), [f"{path}: a list of at least two options is required"]
    problems: list[str] = []
    parsed: list[Option] = []
    values: set[str] = set()
    keys: set[str] = set()
    allowed = OPTION_KEYS | ({"missing"} if allow_missing else set())
    for position, option in enumerate(options):
        where = f"{path}[{position}]"
        if not isinstance(option, dict):
            problems.append(f"{where}: an option must be an object")
            continue
        problems += [f'{where}: unknown key "{key}"' for key in sorted(set(option) - allowed)]
        value, key, label = option.get("value"), option.get("key"), option.get("label")
        if not isinstance(value, str) or not value:
            problems.append(f"{where}.value: a non-empty text is required")
        elif value in values:
            problems.append(f'{where}.value: "{value}" is used twice')
        else:
            values.add(value)
        if not isinstance(label, str) or not label:
            problems.append(f"{where}.label: a non-empty text is required")
        if key is not None:
            problems += key_problems(key, f"{where}.key", keys)
        if "missing" in option and not isinstance(option["missing"], bool):
            problems.append(f"{where}.missing: must be true or false")
        if isinstance(value, str) and isinstance(label, str):
            parsed.append(Option(value, label, key, bool(option.get("missing", False))))
    return tuple(parsed), problems


def key_problems(key: object, where: str, keys: set[str]) -> list[str]:
    """Problems with a keyboard key; a good one is added to `keys` (those of one field)."""
    if not isinstance(key, str) or len(key) != 1:
        return [f"{where}: a single character is required, got {key!r}"]
    if key.lower() in RESERVED_KEYS:
        return [f'{where}: "{key}" is reserved for the annotate screen']
    if key.lower() in keys:
        return [f'{where}: "{key}" is used twice in this field']
    keys.add(key.lower())
    return []


def option_words(options: tuple[Option, ...], value: str) -> str:
    """An option's label (the value itself for a value the options no longer have)."""
    return next((option.label for option in options if option.value == value), value)
