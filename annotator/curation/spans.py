"""A span of a document's raw text as a passage reads it, the way the splitter writes it: lines
joined, hyphen breaks rejoined, whitespace and invisible characters cleaned (annotator.splitting).
Used where an admin's correction makes a new span: a merge, a split."""

import re

from annotator.domain_errors import Invalid
from annotator.splitting import unit_text
from annotator.splitting.duplicates import comparison_words, text_hash
from annotator.splitting.lines import EDGE_CHARS, Line, physical_lines
from annotator.splitting.paragraphs import Unit

_WORD = re.compile(r"\w")
CONTEXT = 20  # characters of the raw text shown either side of a refused offset


class SplitRefused(Invalid):
    """An offset a passage cannot be split at."""


def span_text(raw: str, start: int, end: int) -> str:
    """The text of `raw[start:end]` as a passage of the splitter reads it."""
    lines = [
        Line(line.start + start, line.end + start, line.text, line.indent, line.soft_break)
        for line in physical_lines(raw[start:end])
        if line is not None
    ]
    return unit_text(raw, Unit("text", lines, block=0)) if lines else ""


def span_hash(text: str) -> int:
    """The passage's text_hash, as the splitter works it out (to find repeats)."""
    return text_hash(comparison_words(text))


def split_spans(raw: str, start: int, end: int, at: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The two spans of the passage `raw[start:end]` cut at `at`, each without the whitespace at
    the cut. The offset must fall strictly inside the passage, between two words (next to a space
    or a line break: never inside a word, where the refusal names the nearest places that
    work), and leave words on both sides."""
    if not start < at < end:
        raise SplitRefused(f"offset {at} is not inside the passage, which runs from {start} to {end}")
    if not (_is_space(raw[at - 1]) or _is_space(raw[at])):
        raise SplitRefused(f"offset {at} falls inside a word ({_around(raw, at)}): {_nearest(raw, start, end, at)}")
    left_end = at
    while left_end > start and _is_space(raw[left_end - 1]):
        left_end -= 1
    right_start = at
    while right_start < end and _is_space(raw[right_start]):
        right_start += 1
    if not _WORD.search(raw[start:left_end]) or not _WORD.search(raw[right_start:end]):
        raise SplitRefused(f"a split at offset {at} leaves no words on one side: choose a place between two words")
    return (start, left_end), (right_start, end)


def _is_space(character: str) -> bool:
    return character.isspace() or character in EDGE_CHARS


def _around(raw: str, at: int) -> str:
    return f'"…{raw[max(0, at - CONTEXT) : at]}|{raw[at : at + CONTEXT]}…"'


def _nearest(raw: str, start: int, end: int, at: int) -> str:
    before = next((p for p in range(at - 1, start, -1) if _is_space(raw[p - 1]) or _is_space(raw[p])), None)
    after = next((p for p in range(at + 1, end) if _is_space(raw[p - 1]) or _is_space(raw[p])), None)
    places = [str(p) for p in (before, after) if p is not None]
    return f"split at {' or '.join(places)} instead" if places else "this passage has no place between two words"


_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s+|\n\s*")


def split_points(raw: str, start: int, end: int) -> list[tuple[int, str, str]]:
    """Where a passage can usefully be split: after each sentence end or line break inside it,
    as (offset, the text just before, the text just after), for a page to offer."""
    points = []
    for found in _SENTENCE_END.finditer(raw, start, end):
        at = found.end()
        if start < at < end and _WORD.search(raw[start:at]) and _WORD.search(raw[at:end]):
            points.append((at, " ".join(raw[max(start, at - 40) : at].split()), " ".join(raw[at : at + 40].split())))
    return points
