"""The parts of a project's guidelines (Markdown) that speak to a gold answer: the sections
whose heading names one of the answer's values or fields. Pure."""

import re
from collections.abc import Iterable

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def sections(markdown: str) -> list[tuple[str, str]]:
    """The guidelines cut at every heading: (heading text, the section's Markdown with its heading)."""
    found: list[tuple[str, list[str]]] = []
    for line in (markdown or "").splitlines():
        heading = _HEADING.match(line)
        if heading:
            found.append((heading.group(2), [line]))
        elif found:
            found[-1][1].append(line)
    return [(heading, "\n".join(lines).strip()) for heading, lines in found]


def matching_sections(markdown: str, terms: Iterable[str]) -> list[str]:
    """The sections (Markdown) whose heading holds one of the terms as a word, in the
    guidelines' order; none when nothing matches (the reader is then sent to the whole text)."""
    words = {term.strip().lower().replace("_", " ") for term in terms if isinstance(term, str) and term.strip()}
    patterns = [re.compile(rf"\b{re.escape(word)}\b") for word in words]
    return [text for heading, text in sections(markdown) if any(p.search(heading.lower()) for p in patterns)]


def answer_terms(labels: dict) -> list[str]:
    """The words of a label set to look for in headings: its field names and text values."""
    terms: list[str] = []
    for name, value in labels.items():
        terms.append(name)
        values = value if isinstance(value, list) else [value]
        terms.extend(item for item in values if isinstance(item, str))
    return terms
