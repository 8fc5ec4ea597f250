"""The words of a passage, each with where it lies in the passage's text and in the document's
raw text. A passage's `text` is its raw span with whitespace collapsed, hyphen breaks rejoined,
list markers and invisible characters dropped (annotator/splitting); claim spans are stored in
raw coordinates (as passages are) so that exports can be checked against the source, and marked
on screen word by word. This module is the one bridge between the two: the annotate screen draws
the passage as these words (each carrying its raw offsets), and the span field snaps offsets to
them.

The text is aligned to the raw text by matching their letters in order, case-insensitively,
ignoring whitespace and hyphens (which the splitter may remove); a letter the raw text does not
have nearby (a character that Unicode normalisation composed) keeps the last position found, so
one odd character never shifts the rest."""

import re
from dataclasses import dataclass

# A word: letters or digits, joined by an apostrophe, a hyphen, a point or a comma inside it
# (don't, e-mail, 3.5, 10,000); any other visible character stands alone (quotes, punctuation).
WORD = re.compile(r"\w+(?:['’.,\-]\w+)*|[^\w\s]")
_SKIPPED = frozenset("-\u00ad")  # hyphens the splitter may drop at a line break
_LOOKAHEAD = 64  # raw characters searched for a text character before giving up on it


@dataclass(frozen=True)
class Word:
    text_start: int  # in the passage's text
    text_end: int
    raw_start: int  # in the document's raw text
    raw_end: int


@dataclass(frozen=True)
class PassageWords:
    """A passage's text and raw bounds with its words, what a span is checked against."""

    passage_id: int
    text: str
    start: int
    end: int
    words: tuple[Word, ...]

    def snapped(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The raw (start, end) widened to whole words, with the text of those words; None when
        no word lies in [start, end)."""
        inside = [word for word in self.words if word.raw_end > start and word.raw_start < end]
        if not inside:
            return None
        first, last = inside[0], inside[-1]
        return first.raw_start, last.raw_end, self.text[first.text_start : last.text_end]


def passage_words(text: str, raw_slice: str, raw_start: int) -> tuple[Word, ...]:
    """The words of `text`, a passage's text, whose raw span `raw_slice` begins at `raw_start`."""
    raw_of = _aligned(text, raw_slice)
    return tuple(
        Word(
            match.start(),
            match.end(),
            raw_start + raw_of[match.start()],
            raw_start + raw_of[match.end() - 1] + 1,
        )
        for match in WORD.finditer(text)
    )


def _aligned(text: str, raw: str) -> list[int]:
    """For each character of `text`, the index of the raw character it came from."""
    if raw == text:  # most passages: a line the splitter left as it was
        return list(range(len(text)))
    positions = []
    cursor = 0  # the next raw character not yet matched
    last = 0
    for character in text:
        if character.isspace() or character in _SKIPPED:
            found = _find(raw, character, cursor, exact=True)
        else:
            found = _find(raw, character, cursor, exact=False)
        if found is None:
            positions.append(min(last, max(len(raw) - 1, 0)))
            continue
        positions.append(found)
        last, cursor = found, found + 1
    return positions


def _find(raw: str, character: str, cursor: int, exact: bool) -> int | None:
    """The first raw character at or after `cursor` that `character` came from. A letter may
    be found past whitespace and hyphens only (and past a list marker at the very start)."""
    lowered = character.lower()
    for index in range(cursor, min(len(raw), cursor + _LOOKAHEAD)):
        candidate = raw[index]
        if candidate == character or (candidate.isspace() and character.isspace()):
            return index
        if not exact and candidate.lower() == lowered:
            return index
        if exact and not (candidate.isspace() or candidate in _SKIPPED):
            return None
    return None
