"""Passage splitting: pure functions from a document's raw text to its passages.

`split_document(raw)` returns passages whose `raw[start:end]` is their source span; a passage's
text differs from that span only by whitespace, invisible characters (soft hyphens, zero-width
spaces), rejoined hyphen breaks (the continuation of a word in capitals set in small capitals
takes its case: `MOVE-` / `Ment` is `MOVEMENT`) and NFC normalisation. Boilerplate, headings,
fragments and repeated text stay as passages, flagged not annotatable with their reason, so the
whole document remains auditable.
"""

import re
import unicodedata
from bisect import bisect_right
from typing import NamedTuple

from annotator.splitting.boilerplate import is_byline
from annotator.splitting.duplicates import comparison_words, find_repeats, is_excerpt, text_hash
from annotator.splitting.hyphenation import continuation_case, drop_hyphen, ends_with_hyphen_break
from annotator.splitting.lines import physical_lines
from annotator.splitting.paragraphs import Unit, paragraph_units
from annotator.splitting.sentences import pack_sentences
from annotator.splitting.standalone import MAX_STANDALONE_SPAN, NO_SENTENCE, standalone_reason

SPLITTER_VERSION = "1.4"  # 1.4: a document's only passage is never a fragment or a heading
DEFAULT_MAX_CHARS = 600
DEFAULT_MIN_CHARS = 40
# Text already split (one claim per document) is taken whole up to this many times the longest
# passage the splitter makes: beyond, it is a document, not a passage, and reads badly as one.
WHOLE_PASSAGE_FACTOR = 10
WHOLE_PASSAGE_VERSION = "as given"  # a passage's splitter_version when its document was taken whole

INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_REMOVE_INVISIBLE = str.maketrans("", "", INVISIBLE)
_HAS_WORD = re.compile(r"\w")
OPENING_QUOTES = "\"'“‘«„"
CLOSING_QUOTES = "\"'”’»“"


class SplitPassage(NamedTuple):
    """One passage; a tuple so that it is cheap to send between processes."""

    index: int
    start: int
    end: int
    text: str
    text_hash: int
    excluded_reason: str | None  # None, "boilerplate", "heading", "fragment" or "duplicate"
    duplicate_of: int | None  # index of the passage this one repeats

    @property
    def annotatable(self) -> bool:
        return self.excluded_reason is None


def split_document(
    raw: str, max_chars: int = DEFAULT_MAX_CHARS, min_chars: int = DEFAULT_MIN_CHARS
) -> list[SplitPassage]:
    """Split a document into passages: paragraphs, long ones cut at sentence boundaries into
    pieces of at most `max_chars`; boilerplate, headings, fragments and repeats flagged."""
    return split_units(raw, document_units(raw), max_chars, min_chars)


class NotOnePassage(ValueError):
    """Text that cannot be taken whole as one passage: it has no text, or too much."""


def whole_passage(raw: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[SplitPassage]:
    """The document as one annotatable passage, for input already split into passages: its raw
    span with the outer whitespace left out, its text cleaned as every passage's is
    (clean_text); nothing is split, flagged or left out. Raises NotOnePassage for a text that
    is empty once cleaned, or longer than WHOLE_PASSAGE_FACTOR times `max_chars`."""
    start, end = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    text = clean_text(raw[start:end])
    if not text:
        raise NotOnePassage("the text is empty")
    limit = WHOLE_PASSAGE_FACTOR * max_chars
    if len(text) > limit:
        raise NotOnePassage(
            f"the text is {len(text):,} characters, too long to be one passage (at most {limit:,}); "
            f"import it without the already-split option to have it split"
        )
    return [SplitPassage(0, start, end, text, text_hash(comparison_words(text)), None, None)]


def document_units(raw: str) -> list[Unit]:
    """The document's paragraphs, list items and boilerplate (a block's consecutive boilerplate
    lines as one unit): what its passages and its title (annotator.splitting.titles) are made of."""
    return _merge_boilerplate(paragraph_units(physical_lines(raw)))


def split_units(
    raw: str, units: list[Unit], max_chars: int = DEFAULT_MAX_CHARS, min_chars: int = DEFAULT_MIN_CHARS
) -> list[SplitPassage]:
    """split_document, given the document's units (document_units): for a caller that also
    makes the title from them, so that the document is read into paragraphs once."""
    spans: list[tuple[int, int, str, str | None]] = []
    blocks: list[int] = []  # the block (run of lines between blank lines) each span ends in
    standalone = min(max_chars, MAX_STANDALONE_SPAN)
    for unit in units:
        start, end = unit.start, unit.end
        if unit.boilerplate:
            text = clean_text(raw[start:end])
            spans.append((start, end, text, _furniture_reason(unit, text)))
            blocks.append(unit.block)
        elif end - start <= standalone:
            text = clean_text(raw[start:end]) if len(unit.lines) == 1 else unit_text(raw, unit)
            spans.append((start, end, text, standalone_reason(text)))
            blocks.append(unit.block)
        else:
            pieces = _unit_passages(raw, unit, max_chars, min_chars)
            spans += [(start, end, text, None) for start, end, text in pieces]
            blocks += [unit.block] * len(pieces)
    return _flag(spans, blocks)


def _furniture_reason(unit: Unit, text: str) -> str:
    """A byline on its own is a heading of the article; the rest is boilerplate."""
    return "heading" if len(unit.lines) == 1 and is_byline(text) else "boilerplate"


def _name_headings(reasons: list[str | None], repeats: list[int | None], blocks: list[int]) -> list[str | None]:
    """A line that makes no sentence is the heading of the text that follows it (past other
    headings and bylines) unless it hangs under the text before it; else a fragment (a label, a
    stray caption, a line of a list); a duplicate when it repeats text (a pull quote without
    final punctuation)."""
    named: list[str | None] = [None] * len(reasons)
    text_follows = False
    for index in range(len(reasons) - 1, -1, -1):
        reason = reasons[index]
        if reason == NO_SENTENCE:
            heading = text_follows and not _hangs_under(reasons, blocks, index)
            reason = "duplicate" if repeats[index] is not None else "heading" if heading else "fragment"
        elif reason is None:
            text_follows = True
            reason = "duplicate" if repeats[index] is not None else None
        elif reason != "heading":
            text_follows = False
        named[index] = reason
    return named


def _kept_if_alone(reasons: list[str | None]) -> list[str | None]:
    """A document whose whole text is one short line ("Taxes rose 5%.") is a claim, not a
    scrap of a longer text: its only passage is never a fragment or a heading (boilerplate,
    "Read more" on its own, still is)."""
    if len(reasons) == 1 and reasons[0] in ("fragment", "heading"):
        return [None]
    return reasons


def _hangs_under(reasons: list[str | None], blocks: list[int], index: int) -> bool:
    """The line follows text with no blank line between and a blank line after it."""
    glued_above = index > 0 and blocks[index - 1] == blocks[index] and reasons[index - 1] is None
    glued_below = index + 1 < len(blocks) and blocks[index + 1] == blocks[index]
    return glued_above and not glued_below


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
        if (
            merged
            and unit.boilerplate
            and merged[-1].boilerplate
            and merged[-1].block == unit.block
            and not (is_byline(unit.body) or is_byline(merged[-1].body))
        ):
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
    rejoined = ""  # the start of a word whose hyphen break was just removed
    for number, line in enumerate(lines):
        start = line.start + (unit.marker if number == 0 else 0)
        piece = raw[start : line.end]
        if rejoined:
            recased = continuation_case(rejoined, piece)
            piece = recased if len(recased) == len(piece) else piece
            rejoined = ""
        separator = " "
        if number + 1 < len(lines):
            following = lines[number + 1].text
            if line.soft_break:
                separator = ""
            elif ends_with_hyphen_break(piece):
                separator = ""
                if drop_hyphen(piece, following):
                    rejoined = piece
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


def _set_off(text: str) -> bool:
    """Set off as a pull quote is: wholly in quotation marks, or in capitals."""
    return text[0] in OPENING_QUOTES and text[-1] in CLOSING_QUOTES or text.isupper()


def _flag(spans: list[tuple[int, int, str, str | None]], blocks: list[int]) -> list[SplitPassage]:
    words = [comparison_words(text) for _, _, text, _ in spans]
    reasons = [reason if _HAS_WORD.search(text) else "boilerplate" for (_, _, text, reason) in spans]
    candidates = [reason is None or reason == NO_SENTENCE for reason in reasons]
    excerpts = [candidate and is_excerpt(text) for (_, _, text, _), candidate in zip(spans, candidates, strict=True)]
    quotes = [candidate and _set_off(text) for (_, _, text, _), candidate in zip(spans, candidates, strict=True)]
    repeats = find_repeats(words, excerpts, candidates, quotes)
    reasons = _kept_if_alone(_name_headings(reasons, repeats, blocks))
    return [
        SplitPassage(
            index=index,
            start=start,
            end=end,
            text=text,
            text_hash=text_hash(words[index]),
            excluded_reason=reasons[index],
            duplicate_of=repeats[index],
        )
        for index, (start, end, text, _) in enumerate(spans)
    ]
