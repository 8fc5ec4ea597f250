"""A label set's values as numbers: each measured field's category index (agreement.fields).

Label sets are read as their stored JSON text and each distinct text is decoded once: a project
holds few distinct label sets, so a row costs one dictionary lookup, where asking the database
for the values would parse the JSON once per field and row (SQLite before 3.45 keeps no parse)."""

import orjson

from annotator.agreement.fields import MeasuredField
from annotator.agreement.table import NONE


class CodesOfText:
    """Stored label-set JSON text -> (a tuple of category codes, one per measured field, NONE
    where it has none; the answers of the `kept` schema fields as given, one shared dict per
    distinct text). None for None."""

    MAX_KEPT = 100_000  # distinct texts remembered; a project with more starts afresh

    def __init__(self, fields: list[MeasuredField], kept: list[str] = ()):
        self.fields, self.kept = list(fields), list(kept)
        self._known: dict[str, tuple[tuple[int, ...], dict]] = {}

    @property
    def width(self) -> int:
        return len(self.fields)

    def __call__(self, text: str | None) -> tuple[int, ...] | None:
        decoded = self.decode(text)
        return None if decoded is None else decoded[0]

    def decode(self, text: str | None) -> tuple[tuple[int, ...], dict] | None:
        if text is None:
            return None
        found = self._known.get(text)
        if found is None:
            if len(self._known) >= self.MAX_KEPT:
                self._known.clear()
            found = self._known[text] = self._decode(text)
        return found

    def _decode(self, text: str) -> tuple[tuple[int, ...], dict]:
        labels = orjson.loads(text)
        if not isinstance(labels, dict):
            labels = {}
        codes = tuple(NONE if (category := field.category_of(labels)) is None else category for field in self.fields)
        return codes, {name: labels.get(name) for name in self.kept}
