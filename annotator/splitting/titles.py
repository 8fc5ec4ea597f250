"""Titles for documents that arrive without one: their first real line of text.

Web dumps open with menus, slide file names and share bars; PDF text with running headers;
letters with addresses and a salutation. The title is the first text the splitter hands out as
article text (its boilerplate flags decide what is furniture), passing over list items, a few
loose words (a site name, a category tag, a caption) and salutations. A heading is taken whole;
a paragraph gives its first sentence.
"""

import re

from annotator.splitting import boilerplate as bp
from annotator.splitting import clean_text, document_units, unit_text
from annotator.splitting.hyphenation import ends_with_hyphen_break
from annotator.splitting.lines import Line
from annotator.splitting.paragraphs import MAX_WRAPPED_LINE, Unit, starts_lowercase
from annotator.splitting.sentences import sentence_spans

MAX_TITLE = 200
# Titles sit at the top: a document is read this far, then (when no title was found) further.
HEADS = (2_000, 10_000)
# A heading is one short line's worth of text (longer text is a paragraph) of a few words at least.
MAX_HEADING = MAX_WRAPPED_LINE
MIN_HEADING_WORDS = 3
# A sentence this short is a caption or a lead-in ("This petition was delivered to:"), not a lead.
MIN_LEAD_WORDS = bp.STRAY_LINE_WORDS
MIN_LEAD_CHARS = bp.STRAY_LINE_CHARS
# A heading may end in "?" or "!", never like a sentence, a lead-in or a salutation.
_NOT_HEADING_ENDS = ".,;:…"
SALUTATION_CHARS = 60
FIRST_SENTENCE_WINDOW = 3 * MAX_TITLE  # a longer first sentence is cut anyway

_SALUTATION = re.compile(r"(?:dear|hello|hi|greetings|to\s+whom\s+it\s+may\s+concern)\b", re.IGNORECASE)
# Markdown heading marks ("# Title", "Title ##", a setext underline joined to its line) and the
# label of a letter's subject line ("Re: ...", "Subject: ...").
_MARKS = re.compile(r"^(?:#{1,6}\s+|(?:re|subject)\s*:\s+)|\s+(?:#+|[=-]{3,})$", re.IGNORECASE)
_MARK_STARTS = "#rRsS"  # what a text must start with (or be empty) for _MARKS to match at its start
_MARK_ENDS = "#=-"  # and end with, for it to match at its end
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# Kana and CJK ideographs count one word each: those scripts put no spaces between words.
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\d_]+")


def document_title(raw: str, units: list[Unit] | None = None) -> str:
    """The title a reader would give the document in a list: its first heading or, when a
    paragraph comes first, that paragraph's first sentence, passing over page furniture, list
    items, loose words and salutations. Falls back to the first non-blank line; "" for a blank
    document. Whitespace collapsed, at most MAX_TITLE characters. `units`: the document's
    units when the splitter has read them already (document_units(raw), found here if not)."""
    paragraphs = [unit for unit in (document_units(raw) if units is None else units) if not unit.boilerplate]
    read = 0
    for limit in HEADS:
        head = _head(raw, limit)
        title, read = _first_real_text(raw, paragraphs, read, len(head))
        if title or len(head) == len(raw):
            break
    return shorten(title or _first_line(head))


def shorten(text: str, limit: int = MAX_TITLE) -> str:
    """`text` in at most `limit` characters: cut at a word boundary, the cut marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut <= 0:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:–—-") + "…"


def _head(raw: str, limit: int) -> str:
    """The first `limit` characters of the document, cut at a blank line where there is one, so
    that no paragraph is cut short (a cut one could read as a heading)."""
    if len(raw) <= limit:
        return raw
    blank_lines = list(_BLANK_LINE.finditer(raw, 0, limit))
    end = blank_lines[-1].start() if blank_lines else raw.rfind("\n", 0, limit)
    return raw[: end if end > 0 else limit]


def _first_real_text(raw: str, units: list[Unit], first: int, head_end: int) -> tuple[str, int]:
    """The title given by the first of `units[first:]` that end within the head, if one does;
    and the number of the first unit not looked at (where a look further on goes on)."""
    number = first
    while number < len(units) and units[number].end <= head_end:
        unit = units[number]
        number += 1
        if unit.kind != "text" or _is_line_list(unit):
            continue
        text = _without_marks(unit_text(raw, unit))
        if not _reads_as_heading(text):
            if _is_lead(text):
                return _first_sentence(text), number
        elif _is_heading(text) and not _in_address_block(raw, units, number - 1):
            return text, number
    return "", number


def _reads_as_heading(text: str) -> bool:
    """Short, and not ending like a sentence, a lead-in or a salutation ("?" and "!" may)."""
    return len(text) <= MAX_HEADING and text.rstrip(bp.CLOSERS + " ")[-1:] not in _NOT_HEADING_ENDS


def _is_heading(text: str) -> bool:
    """Real words, not a salutation ("Dear Secretary Clinton" looks like a heading but opens a letter)."""
    return _word_count(text) >= MIN_HEADING_WORDS and not (len(text) <= SALUTATION_CHARS and _SALUTATION.match(text))


def _is_lead(text: str) -> bool:
    """A paragraph of article text, not a caption or a label."""
    return len(text) > MIN_LEAD_CHARS or _word_count(text) >= MIN_LEAD_WORDS


def _is_line_list(unit: Unit) -> bool:
    """Short lines that each stand alone, kept together as one paragraph by the splitter: an
    address, a name with a role. None ends a sentence and none runs on from the line before."""
    lines = unit.lines
    return (
        len(lines) > 1
        and all(_is_short_line(line.text) for line in lines)
        and not any(_runs_on(before, after) for before, after in zip(lines, lines[1:], strict=False))
    )


def _runs_on(before: Line, after: Line) -> bool:
    return before.soft_break or ends_with_hyphen_break(before.text) or starts_lowercase(after.text)


def _in_address_block(raw: str, units: list[Unit], number: int) -> bool:
    """A heading stands on its own: a short line with another short line right above or below
    it (no blank line between) is part of an address or a list of names."""
    unit = units[number]
    neighbours = units[max(0, number - 1) : number] + units[number + 1 : number + 2]
    return any(
        other.block == unit.block and other.kind == "text" and _is_short_line(unit_text(raw, other))
        for other in neighbours
    )


def _is_short_line(text: str) -> bool:
    return len(text) <= bp.MENU_ITEM_CHARS and not bp.ends_sentence(text)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _first_sentence(text: str) -> str:
    spans = sentence_spans(text[:FIRST_SENTENCE_WINDOW])
    return text[spans[0][0] : spans[0][1]].strip() if spans else text


def _without_marks(text: str) -> str:
    if text[:1] in _MARK_STARTS or text.rstrip()[-1:] in _MARK_ENDS:
        text = _MARKS.sub("", text)  # the pattern tries every run of spaces: a tenth of a title's time
    return text.strip()


def _first_line(head: str) -> str:
    for line in head.splitlines():
        text = _without_marks(clean_text(line))
        if text:
            return text
    return ""
