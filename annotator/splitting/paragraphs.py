"""From lines to paragraphs.

Blank lines separate blocks. Inside a block a line break is either a hard wrap (PDF text:
join) or a paragraph break (web text, or PDF text whose paragraphs are separated by a single
line break: the last line of a paragraph ends short of the column, whose width the lines that
run on into the next tell). A paragraph that runs on across a page or column break (a blank
line inside a sentence) is joined again. Boilerplate lines glued between paragraphs become
units of their own, and so do lines that make no sentence and never run on (a list). Runs of
such lines are menus or lists of links: evidence over the run, not a list of menu words.
"""

from dataclasses import dataclass, field

from annotator.splitting import boilerplate as bp
from annotator.splitting.hyphenation import ends_with_hyphen_break
from annotator.splitting.lines import Line

# A line longer than this is not hard-wrapped text but a paragraph on one line (web text).
MAX_WRAPPED_LINE = 150
# A sentence-final line this much shorter than the block's widest line ends its paragraph.
PARAGRAPH_END_FILL = 0.75
# A line without final punctuation this much shorter than the widest is a heading or label.
HEADING_FILL = 0.6
OPENERS = "\"'“‘«([¿¡"
# A paragraph of at least this many lines this wide whose last line is full goes on after a
# blank line (fewer lines make a heading; narrower ones a pull quote or a sidebar).
FULL_PARAGRAPH_LINES = 3
MIN_COLUMN_WIDTH = 40
# A line in capitals of at least this many words (menus in capitals have fewer) may run on.
CAPITALS_LINE_WORDS = 4
# A line this much longer than the lines around it that run on is not one of them.
OVERLONG = 1.15
# Line widths are told from the lines that run on, this many lines either side.
WIDTH_WINDOW = 6
# A line that the next line's first word would have fitted on (with this much of the width to
# spare, as proportional fonts wrap unevenly) was not wrapped but ended.
NEXT_WORD_FILL = 0.85
# A link or headline in a list: a line of at most this many characters and words.
LINK_LINE_CHARS = 120
LINK_LINE_WORDS = 16
MENU_ENTRY_WORDS = 3
# A block of at least this many line breaks, this share of them after a sentence end, has
# one paragraph per line.
LINES_AS_PARAGRAPHS_MIN = 3
LINES_AS_PARAGRAPHS_SHARE = 0.8


@dataclass(slots=True)
class Unit:
    """A paragraph, list item or boilerplate line, before it becomes passages."""

    kind: str  # "text", "item" or "boilerplate"
    lines: list[Line]
    block: int
    marker: int = 0  # length of the list marker opening the first line of an item
    boilerplate: bool = field(default=False)

    @property
    def start(self) -> int:
        return self.lines[0].start + (0 if self.boilerplate else self.marker)

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def body(self) -> str:
        return self.lines[0].text[self.marker :]


def blocks(lines: list[Line | None]) -> list[list[Line]]:
    """Maximal runs of non-blank lines."""
    found: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line is None:
            if current:
                found.append(current)
                current = []
        else:
            current.append(line)
    if current:
        found.append(current)
    return found


def paragraph_units(lines: list[Line | None]) -> list[Unit]:
    """The document's paragraphs, list items and boilerplate lines, in reading order."""
    units: list[Unit] = []
    for number, block in enumerate(blocks(lines)):
        units += _block_units(block, number)
    _mark_menus(units)
    _mark_link_lists(units)
    _mark_stray_lines(units)
    return _join_across_breaks(units)


def _block_units(block: list[Line], number: int) -> list[Unit]:
    # Hard-wrapped text breaks lines mid-sentence; when nearly every line ends a sentence,
    # each line is a paragraph of its own (web text without blank lines).
    widths = [float("inf")] * len(block) if _lines_are_paragraphs(block) else _wrap_widths(block)
    units: list[Unit] = []
    for position, line in enumerate(block):
        marker = bp.bullet_marker_length(line.text)
        if marker and units and _dash_goes_on(units[-1], line, marker, widths[position]):
            units[-1].lines.append(line)
        elif bp.is_boilerplate_line(line.text[marker:]) and not _ends_wrapped_sentence(block, position):
            units.append(Unit("boilerplate", [line], number, marker, boilerplate=True))
        elif marker:
            units.append(Unit("item", [line], number, marker))
        elif units and units[-1].kind != "boilerplate" and not _breaks(units[-1].lines[-1], line, widths[position]):
            units[-1].lines.append(line)
        else:
            units.append(Unit("text", [line], number))
    if len(block) == 1:
        return units  # a paragraph on a line of its own (most blocks): no lines kept together
    return [piece for unit in units for piece in _unless_a_list(unit)]


def _unless_a_list(unit: Unit) -> list[Unit]:
    """Lines kept together that end no sentence and never run on from one to the next are no
    wrapped paragraph but a list (related headlines, an address): one unit per line."""
    lines = unit.lines
    if unit.kind != "text" or len(lines) < 2 or bp.ends_sentence(lines[-1].text):
        return [unit]
    if lines[-1].soft_break or ends_with_hyphen_break(lines[-1].text):
        return [unit]  # its last word goes on after the block: prose
    if any(_continues_line(before, after) for before, after in zip(lines, lines[1:], strict=False)):
        return [unit]
    return [Unit("text", [line], unit.block) for line in lines]


def _dash_goes_on(previous: Unit, line: Line, marker: int, width: float) -> bool:
    """A dash opening a line in lower case after a full line of wrapped text that ends no
    sentence is a dash inside the sentence ("... forget this -" / "- particularly given ..."),
    not a list marker."""
    last = previous.lines[-1]
    return (
        previous.kind == "text"
        and line.text[0] in "-–—"
        and len(last) >= PARAGRAPH_END_FILL * abs(width)
        and starts_lowercase(line.text[marker:])
        and not bp.ends_sentence(last.text)
    )


def _ends_wrapped_sentence(block: list[Line], position: int) -> bool:
    """A number ending a sentence on the line after one that runs on ("... died in" / "2011.")
    ends the sentence; a bare number between lines is a page number."""
    line = block[position]
    return (
        position > 0
        and line.text[-1] in ".!?"
        and line.text[:-1].isdigit()
        and not bp.ends_sentence(block[position - 1].text)
    )


def _lines_are_paragraphs(block: list[Line]) -> bool:
    inner = block[:-1]
    return len(inner) >= LINES_AS_PARAGRAPHS_MIN and sum(
        bp.ends_sentence(line.text) for line in inner
    ) >= LINES_AS_PARAGRAPHS_SHARE * len(inner)


def _wrap_widths(block: list[Line]) -> list[float]:
    """For each line, the width the text around it is wrapped at: the longest nearby line that
    runs on into the next one (a sentence goes on after it), as menus, headlines and short last
    lines around it say nothing of the column's width. A line with no such line nearby gets the
    block's longest line (and nothing looks too long for it)."""
    if len(block) == 1:
        return [float(len(block[0]))]
    widest = float(max(len(line) for line in block))
    running_on = [
        len(before) if _runs_on(before, after) and len(before) <= MAX_WRAPPED_LINE else 0
        for before, after in zip(block, block[1:], strict=False)
    ] + [0]
    if not any(running_on):
        # No sentence runs on from one line to the next: nothing tells the width (a negative
        # width says so: a sentence end then ends the paragraph).
        return [-widest] * len(block)
    widths = []
    for position in range(len(block)):
        nearby = max(running_on[max(0, position - WIDTH_WINDOW) : position + WIDTH_WINDOW + 1])
        widths.append(float(nearby) if nearby else widest)
    return widths


def _runs_on(before: Line, after: Line) -> bool:
    """The sentence goes on from one line into the next: a hard wrap, whatever the widths."""
    return _continues_line(before, after) or before.text[-1] == ","


def _continues_line(before: Line, after: Line) -> bool:
    """The next line goes on with the sentence: it starts in lower case (in capitals after a
    line of capitals), or a word was broken at the line's end."""
    return (
        before.soft_break
        or ends_with_hyphen_break(before.text)
        or starts_lowercase(after.text)
        or _capitals_run_on(before.text, after.text)
    )


def _capitals_run_on(before: str, after: str) -> bool:
    """A lead-in set in capitals goes on in capitals: a line of several words ending in one
    in capitals, no sentence end, and the next line opening with a word in capitals."""
    last_space = before.rfind(" ")
    if last_space < 0 or before.count(" ") < CAPITALS_LINE_WORDS or bp.ends_sentence(before):
        return False
    first = after.lstrip(OPENERS).split(" ", 1)[0]
    last = before[last_space + 1 :]
    return last.isupper() and first.isupper() and (len(first) > 1 or first in "AI")


def _breaks(before: Line, after: Line, width: float) -> bool:
    """Whether the line break between two lines of one block ends a paragraph (`width`: the
    column's width around them, negative when no line of the block is seen to wrap)."""
    if _continues_line(before, after):
        return False
    if len(before) > MAX_WRAPPED_LINE or len(before) > OVERLONG * width > 0 or len(after) > OVERLONG * width > 0:
        return True  # a line longer than the column's width is no wrapped line of it
    if width < 0:
        if bp.ends_sentence(before.text):
            return True
        width = -width
    if bp.ends_sentence(before.text):
        # A short last line ends its paragraph; so does a sentence end before an indented
        # first line (paragraphs marked by indentation, not blank lines), before a heading,
        # or before a short line that makes no sentence (a label glued under a paragraph).
        return (
            len(before) < PARAGRAPH_END_FILL * width
            or after.indent > before.indent
            or is_title_line(after.text)
            or len(after) < HEADING_FILL * width
            and not bp.ends_sentence(after.text)
        )
    # A line without final punctuation that the next word would have fitted on, or a
    # title-cased one, is a heading or a label.
    next_word = after.text.find(" ")
    fitted = len(before) + 1 + (next_word if next_word > 0 else len(after))
    return fitted <= NEXT_WORD_FILL * width or is_title_line(before.text)


def is_title_line(text: str) -> bool:
    """A line of Title Case words (headings, headlines, menu entries) that ends no sentence."""
    return bp.is_title_cased(text) and not bp.ends_sentence(text)


def starts_lowercase(text: str) -> bool:
    stripped = text.lstrip(OPENERS)
    return bool(stripped) and stripped[0].islower()


def _mark_menus(units: list[Unit]) -> None:
    """Runs of short list items, separated by nothing but blank lines or boilerplate, are
    navigation menus."""
    run: list[Unit] = []
    for unit in units:
        if unit.marker and (unit.boilerplate or bp.is_short_item(unit.body)):
            run.append(unit)
        elif not unit.boilerplate:
            _flag_if_run(run)
            run = []
    _flag_if_run(run)


def _mark_link_lists(units: list[Unit]) -> None:
    """Runs of short lines that make no sentence, with or without bullets, are navigation or
    lists of links (menus of one to three words, related headlines): article text comes in
    sentences. Furniture inside the run does not break it; a blank line does, unless the lines
    on both sides of it are menu entries or headlines (a word or three, or Title Case)."""
    run: list[Unit] = []
    for unit in units:
        if unit.boilerplate:
            continue
        link = _is_link_line(unit)
        if link and (not run or _same_list(run[-1], unit)):
            run.append(unit)
        else:
            _flag_if_run(run)
            run = [unit] if link else []
    _flag_if_run(run)


def _same_list(previous: Unit, unit: Unit) -> bool:
    return previous.block == unit.block or _is_entry(previous.body) and _is_entry(unit.body)


def _is_entry(text: str) -> bool:
    return text.count(" ") < MENU_ENTRY_WORDS or is_title_line(text)


def _is_link_line(unit: Unit) -> bool:
    if unit.kind == "boilerplate" or len(unit.lines) > 1 or len(unit.body) > LINK_LINE_CHARS:
        return False
    return unit.body.count(" ") < LINK_LINE_WORDS and not bp.ends_sentence(unit.body)


def _flag_if_run(run: list[Unit]) -> None:
    if len(run) >= bp.MIN_MENU_RUN:
        for unit in run:
            unit.boilerplate = True


def _mark_stray_lines(units: list[Unit]) -> None:
    """A few words glued (no blank line) to boilerplate belong to it: the site name above a
    menu, the category tag under a share bar. A run of such lines joins the boilerplate it
    touches, so one sweep each way finds them all (sweeping until nothing changed took one
    sweep per line of the run: quadratic on a page of thousands of them)."""
    for ordered in (units, units[::-1]):
        for before, this in zip(ordered, ordered[1:], strict=False):
            if before.boilerplate and before.block == this.block and _is_stray(this) and not _is_byline(before):
                this.boilerplate = True


def _is_byline(unit: Unit) -> bool:
    """A byline says who wrote the text next to it: the heading above it is no furniture."""
    return len(unit.lines) == 1 and bp.is_byline(unit.body)


def _is_stray(unit: Unit) -> bool:
    return not unit.boilerplate and len(unit.lines) == 1 and bp.is_stray_line(unit.body)


def _join_across_breaks(units: list[Unit]) -> list[Unit]:
    """Join a paragraph cut by a page or column break: the text before the blank line does
    not end a sentence and the text after it goes on in lower case (or a word was hyphenated)."""
    joined: list[Unit] = []
    for unit in units:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, unit):
            previous.lines += unit.lines
            previous.block = unit.block
        else:
            joined.append(unit)
    return joined


def _continues(previous: Unit, unit: Unit) -> bool:
    if previous.boilerplate or unit.boilerplate or unit.kind != "text" or previous.block == unit.block:
        return False
    last = previous.lines[-1]
    if last.soft_break or ends_with_hyphen_break(last.text):
        return True
    if bp.ends_sentence(last.text):
        return False
    return starts_lowercase(unit.lines[0].text) or _ends_full(previous)


def _ends_full(unit: Unit) -> bool:
    """The paragraph's last line is as wide as its others: the column went on below the break
    ("... The fact that" / blank line / "MEK revealed ..."); a heading or a paragraph's own
    end leaves its line short."""
    lines = unit.lines
    if len(lines) < FULL_PARAGRAPH_LINES:
        return False
    widest = max(len(line) for line in lines[:-1])
    return widest >= MIN_COLUMN_WIDTH and len(lines[-1]) >= PARAGRAPH_END_FILL * widest
