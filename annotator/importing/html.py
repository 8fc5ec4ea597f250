"""Main text out of an HTML page: navigation, footers and comments dropped (trafilatura)."""

import trafilatura


def main_text(html: str) -> tuple[str, str]:
    """The page's main text, one paragraph per block separated by blank lines, and its title."""
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    if extracted is None or not extracted.text:
        return "", ""
    paragraphs = [line.strip() for line in extracted.text.split("\n") if line.strip()]
    return "\n\n".join(paragraphs), extracted.title or ""
