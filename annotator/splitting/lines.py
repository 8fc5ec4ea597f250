"""Physical lines of a document with their character offsets.

Offsets always refer to the raw text as decoded, whatever its line endings (`\\n`, `\\r\\n`,
`\\r`, form feeds between PDF pages), so that `raw[line.start:line.end]` is the line's content.
"""

from dataclasses import dataclass

# Characters that carry no text at the edge of a line: whitespace (incl. no-break spaces),
# soft hyphens and zero-width marks left behind by HTML and PDF extraction.
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
EDGE_CHARS = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029" + INVISIBLE
)


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str
    indent: int
    soft_break: bool  # the line ended in a soft hyphen: a discretionary word break

    def __len__(self) -> int:
        return len(self.text)


def physical_lines(raw: str) -> list[Line | None]:
    """The document's lines in order, `None` standing for a blank line."""
    lines: list[Line | None] = []
    offset = 0
    for chunk in raw.splitlines(keepends=True):
        content = chunk.rstrip("\r\n\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029")
        lines.append(_line(content, offset))
        offset += len(chunk)
    return lines


def _line(content: str, offset: int) -> Line | None:
    text = content.strip(EDGE_CHARS)
    if not text:
        return None
    lead = 0 if content[0] == text[0] else len(content) - len(content.lstrip(EDGE_CHARS))
    soft_break = "\u00ad" in content and "\u00ad" in content[lead + len(text) :]
    return Line(offset + lead, offset + lead + len(text), text, lead, soft_break)
