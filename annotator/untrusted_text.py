"""Rules for text that comes from outside (files, forms, the API), wherever it enters.

- No NUL characters anywhere: PostgreSQL cannot store them in text and SQLite can, so the
  same input would be kept on one database and fail on the other. Text with a NUL is
  refused, saying where, on both.
- Quoted back on a terminal, control characters are escaped: an input's escape sequences
  (a CSV header that sets the window title, a cursor move that hides a line) would otherwise
  act on the terminal of whoever reads the message.
"""

import re
from typing import Any

NUL = "\x00"
NUL_REFUSED = "contains a NUL character (U+0000), which cannot be stored"

# C0 and C1 controls and DEL, the line and paragraph separators, and the bidirectional
# controls that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def has_nul(value: Any) -> bool:
    """Whether a string, or any key or string inside a JSON-like value, holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, (list, tuple)):
            pending += item
    return False


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\n`, `\\u202e`),
    to quote input in a message for a terminal."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda found: _escaped(found.group()), text)


def _escaped(character: str) -> str:
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
