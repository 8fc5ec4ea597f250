"""Paragraphs that are no passage on their own: headings, bylines, address lines and scraps.

Article text comes in sentences. A short paragraph that makes no sentence (no final full stop,
question or exclamation mark; a lead-in ending in a colon) is a heading when article text
follows it, else a fragment of the page (a label, a counter, a caption); text under
`MIN_PASSAGE_CHARS` is a fragment whatever it ends with ("PMOI", "WANT POWER."). Which of the
two a line is gets decided by what follows it, in `annotator.splitting`.
"""

import re

from annotator.splitting import boilerplate as bp

MIN_PASSAGE_CHARS = 25
# Longer text is a paragraph even without final punctuation (headings are a line at most).
MAX_HEADING_CHARS = 150
MAX_HEADING_WORDS = 20
# A paragraph's span in the raw text longer than this is never a heading (whitespace and
# invisible characters included): the check costs nothing for the paragraphs of an article.
MAX_STANDALONE_SPAN = 4 * MAX_HEADING_CHARS
# A lead-in ("This petition was delivered to:") is no sentence; a long colon ends one.
MAX_LEAD_IN_CHARS = 60
NO_SENTENCE = "no sentence"  # heading or fragment, as the text after it decides
SENTENCE_ENDS = ".!?…"
_FOOTNOTE_MARKS = re.compile(r"(?:\s*\[\d{1,3}\])+$")  # "... make more trouble." [6]


def standalone_reason(text: str) -> str | None:
    """Why a paragraph is not offered on its own: "fragment" for a scrap of text, NO_SENTENCE
    for a short line that makes no sentence; None for a passage to annotate."""
    if len(text) < MIN_PASSAGE_CHARS:
        return "fragment" if _makes_sentence(text) else NO_SENTENCE
    if len(text) > MAX_HEADING_CHARS or text.count(" ") >= MAX_HEADING_WORDS:
        return None
    return None if _makes_sentence(text) else NO_SENTENCE


def _makes_sentence(text: str) -> bool:
    if text[-1] == "]":
        text = _FOOTNOTE_MARKS.sub("", text)
    stripped = text.rstrip(bp.CLOSERS + " ")
    if not stripped:
        return False
    if stripped[-1] in ":;":
        return len(stripped) > MAX_LEAD_IN_CHARS
    if stripped[-1] in "?!":
        return not bp.is_title_cased(text)  # "There Are Three Editions Of The Watch?" heads a section
    return stripped[-1] in SENTENCE_ENDS
