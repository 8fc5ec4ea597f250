"""What the screens that mark spans need besides the schema: the passage drawn as its words
(each with its raw offsets, annotator/splitting/words.py) and the key that starts marking each
span field (its own `key`, else the first free of DEFAULT_MARK_KEYS)."""

from annotator.documents.words import words_of_passage
from annotator.schema import RESERVED_KEYS, Schema
from annotator.splitting.words import PassageWords

DEFAULT_MARK_KEYS = "mkhjlzq"


def mark_keys(schema: Schema, taken_by_screen: frozenset[str] = frozenset()) -> dict[str, str | None]:
    """Per span field, the key that starts marking a span (None once the free keys run out),
    besides the screen's own keys (`taken_by_screen`: the review screen's "start from" keys)."""
    taken = set(RESERVED_KEYS) | schema.keys() | taken_by_screen
    keys: dict[str, str | None] = {}
    for field in schema.fields:
        if field.NEEDS_PASSAGE:
            own = getattr(field, "key", None)
            free = next((key for key in DEFAULT_MARK_KEYS if key not in taken), None)
            keys[field.name] = own or free
            taken.add(keys[field.name])
    return keys


def marking_context(
    session, schema: Schema, passage_id: int | None, taken_by_screen: frozenset[str] = frozenset()
) -> dict:
    """The template context a screen with span fields adds: `words` (None: the passage is
    drawn as plain text) and `mark_keys`."""
    if passage_id is None or not schema.needs_passage:
        return {"words": None, "mark_keys": {}}
    words: PassageWords | None = words_of_passage(session, passage_id)
    return {"words": words, "mark_keys": mark_keys(schema, taken_by_screen)}
