"""A label set's values as numbers: the index of each value among its field's options.

Label sets are read as their stored JSON text and each distinct text is decoded once: a project
holds few distinct label sets, so a row costs one dictionary lookup, where asking the database
for the values would parse the JSON once per field and row (SQLite before 3.45 keeps no parse)."""

import orjson

from annotator.agreement.table import NONE, UNKNOWN


class CodesOfText:
    """Stored label-set JSON text -> a tuple of option codes, one per field (None for None)."""

    MAX_KEPT = 100_000  # distinct texts remembered; a project with more starts afresh

    def __init__(self, fields: list[tuple[str, tuple[str, ...]]]):
        self._fields = [(name, {value: index for index, value in enumerate(options)}) for name, options in fields]
        self._known: dict[str, tuple[int, ...]] = {}

    @property
    def width(self) -> int:
        return len(self._fields)

    def __call__(self, text: str | None) -> tuple[int, ...] | None:
        if text is None:
            return None
        codes = self._known.get(text)
        if codes is None:
            if len(self._known) >= self.MAX_KEPT:
                self._known.clear()
            codes = self._known[text] = self._decode(text)
        return codes

    def _decode(self, text: str) -> tuple[int, ...]:
        labels = orjson.loads(text)
        return tuple(_code(labels.get(name), index) for name, index in self._fields)


def _code(value, index: dict[str, int]) -> int:
    if value is None:
        return NONE
    return index.get(value, UNKNOWN) if isinstance(value, str) else UNKNOWN
