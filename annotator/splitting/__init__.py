"""Passage splitting: pure functions from a document's raw text to its passages.

`split_document(raw)` returns passages whose `raw[start:end]` is their source span; a passage's
text differs from that span only by whitespace, invisible characters (soft hyphens, zero-width
spaces), rejoined hyphen breaks and NFC normalisation. Boilerplate and repeated text stay as
passages, flagged not annotatable, so the whole document remains auditable.
"""

import re
import unicodedata
from bisect import bisect_right
from typing import NamedTuple

from annotator.splitting.duplicates import comparison_words, find_repeats, is_excerpt, text_hash
from annotator.splitting.hyphenation import drop_hyphen, ends_with_hyphen_break
from annotator.splitting.lines import physical_lines
from annotator.splitting.paragraphs import Unit, paragraph_units
from annotator.splitting.sentences import pack_sentences

SPLITTER_VERSION = "1.2"
DEFAULT_MAX_CHARS = 600
DEFAULT_MIN_CHARS = 40

INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_REMOVE_INVISIBLE = str.maketrans("", "", INVISIBLE)
_HAS_WORD = re.compile(r"\w")


class SplitPassage(NamedTuple):
    """One passage; a tuple so that it is cheap to send between processes."""

    index: int
    start: int
    end: int
    text: str
    text_hash: int
    excluded_reason: str | None  # None, "boilerplate" or "duplicate"
    duplicate_of: int | None  # index of the passage this one repeats

    @property
    def annotatable(self) -> bool:
        return self.excluded_reason is None


def split_document(
    raw: str, max_chars: int = DEFAULT_MAX_CHARS, min_chars: int = DEFAULT_MIN_CHARS
) -> list[SplitPassage]:
    """Split a document into passages: paragraphs, long ones cut at sentence boundaries into
    pieces of at most `max_chars`; boilerplate and repeats flagged."""
    spans: list[tuple[int, int, str, bool]] = []
    for unit in _merge_boilerplate(paragraph_units(physical_lines(raw))):
        if unit.boilerplate:
            spans.append((unit.start, unit.end, clean_text(raw[unit.start : unit.end]), True))
        else:
            spans += [(start, end, text, False) for start, end, text in _unit_passages(raw, unit, max_chars, min_chars)]
    return _flag(spans)


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, invisible characters removed, NFC."""
    if not text.isascii() and any(mark in text for mark in INVISIBLE):
        text = text.translate(_REMOVE_INVISIBLE)
    text = " ".join(text.split())
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def unit_text(raw: str, unit: Unit) -> str:
    """A paragraph's text as its passages read it: lines joined, hyphen breaks rejoined, cleaned."""
    return clean_text(_joined_text(raw, unit)[0])


def _merge_boilerplate(units: list[Unit]) -> list[Unit]:
    """Consecutive boilerplate units of one block make one passage (a whole menu, a footer)."""
    merged: list[Unit] = []
    for unit in units:
        if merged and unit.boilerplate and merged[-1].boilerplate and merged[-1].block == unit.block:
            merged[-1].lines += unit.lines
        else:
            merged.append(unit)
    return merged


def _unit_passages(raw: str, unit: Unit, max_chars: int, min_chars: int) -> list[tuple[int, int, str]]:
    if len(unit.lines) == 1 and unit.end - unit.start <= max_chars:
        return [(unit.start, unit.end, clean_text(raw[unit.start : unit.end]))]
    text, text_starts, raw_starts = _joined_text(raw, unit)
    if len(text) <= max_chars:
        return [(unit.start, unit.end, clean_text(text))]
    passages = []
    for start, end in pack_sentences(text, max_chars, min_chars):
        raw_start = _to_raw(start, text_starts, raw_starts)
        raw_end = _to_raw(end - 1, text_starts, raw_starts) + 1
        passages.append((raw_start, raw_end, clean_text(text[start:end])))
    return passages


def _joined_text(raw: str, unit: Unit) -> tuple[str, list[int], list[int]]:
    """The unit's lines joined into one paragraph, with where each line's piece starts in the
    joined text and in the raw text."""
    parts: list[str] = []
    text_starts: list[int] = []
    raw_starts: list[int] = []
    position = 0
    lines = unit.lines
    for number, line in enumerate(lines):
        start = line.start + (unit.marker if number == 0 else 0)
        piece = raw[start : line.end]
        separator = " "
        if number + 1 < len(lines):
            following = lines[number + 1].text
            if line.soft_break:
                separator = ""
            elif ends_with_hyphen_break(piece):
                separator = ""
                if drop_hyphen(piece, following):
                    piece = piece[:-1]
        text_starts.append(position)
        raw_starts.append(start)
        parts.append(piece)
        parts.append(separator)
        position += len(piece) + len(separator)
    return "".join(parts[:-1]), text_starts, raw_starts


def _to_raw(position: int, text_starts: list[int], raw_starts: list[int]) -> int:
    piece = bisect_right(text_starts, position) - 1
    return raw_starts[piece] + (position - text_starts[piece])


def _flag(spans: list[tuple[int, int, str, bool]]) -> list[SplitPassage]:
    words = [comparison_words(text) for _, _, text, _ in spans]
    boilerplate = [flag or not _HAS_WORD.search(text) for (_, _, text, flag) in spans]
    excerpts = [not flag and is_excerpt(text) for (_, _, text, _), flag in zip(spans, boilerplate, strict=True)]
    repeats = find_repeats(words, excerpts, [not flag for flag in boilerplate])
    return [
        SplitPassage(
            index=index,
            start=start,
            end=end,
            text=text,
            text_hash=text_hash(words[index]),
            excluded_reason="boilerplate"
            if boilerplate[index]
            else "duplicate"
            if repeats[index] is not None
            else None,
            duplicate_of=repeats[index],
        )
        for index, (start, end, text, _) in enumerate(spans)
    ]
