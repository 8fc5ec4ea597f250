"""From lines to paragraphs.

Blank lines separate blocks. Inside a block a line break is either a hard wrap (PDF text:
join) or a paragraph break (web text, or PDF text whose paragraphs are separated by a single
line break: the short last line of a paragraph ends it). A paragraph that runs on across a
page or column break (a blank line inside a sentence) is joined again. Boilerplate lines glued
between paragraphs become units of their own.
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
    width: float = max(len(line) for line in block)
    # Hard-wrapped text breaks lines mid-sentence; when nearly every line ends a sentence,
    # each line is a paragraph of its own (web text without blank lines).
    if _lines_are_paragraphs(block):
        width = float("inf")
    units: list[Unit] = []
    for line in block:
        marker = bp.bullet_marker_length(line.text)
        if bp.is_boilerplate_line(line.text[marker:]):
            units.append(Unit("boilerplate", [line], number, marker, boilerplate=True))
        elif marker:
            units.append(Unit("item", [line], number, marker))
        elif units and units[-1].kind != "boilerplate" and not _breaks(units[-1].lines[-1], line, width):
            units[-1].lines.append(line)
        else:
            units.append(Unit("text", [line], number))
    return units


def _lines_are_paragraphs(block: list[Line]) -> bool:
    inner = block[:-1]
    return len(inner) >= LINES_AS_PARAGRAPHS_MIN and sum(
        bp.ends_sentence(line.text) for line in inner
    ) >= LINES_AS_PARAGRAPHS_SHARE * len(inner)


def _breaks(before: Line, after: Line, width: float) -> bool:
    """Whether the line break between two lines of one block ends a paragraph."""
    if before.soft_break or ends_with_hyphen_break(before.text) or starts_lowercase(after.text):
        return False
    if len(before) > MAX_WRAPPED_LINE:
        return True
    if bp.ends_sentence(before.text):
        # A short last line ends its paragraph; so does a sentence end before an indented
        # first line (paragraphs marked by indentation, not blank lines).
        return len(before) < PARAGRAPH_END_FILL * width or after.indent > before.indent
    return len(before) < HEADING_FILL * width


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
    """Runs of one-line, few-word lines inside one block are link lists."""
    run: list[Unit] = []
    for unit in units:
        link = _is_link_line(unit)
        if link and run and run[-1].block == unit.block:
            run.append(unit)
        else:
            _flag_if_run(run)
            run = [unit] if link else []
    _flag_if_run(run)


def _is_link_line(unit: Unit) -> bool:
    return unit.kind == "text" and len(unit.lines) == 1 and bp.is_short_item(unit.body)


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
            if before.boilerplate and before.block == this.block and _is_stray(this):
                this.boilerplate = True


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
    if not starts_lowercase(unit.lines[0].text):
        return False
    return last.soft_break or ends_with_hyphen_break(last.text) or not bp.ends_sentence(last.text)
