"""A project's guidelines, written in Markdown, as HTML that is safe to show.

Guidelines come from whoever runs a project, and pages show them to every annotator, so raw HTML
in them is shown as text and links that run code (`javascript:`, `vbscript:`, `data:`) are
dropped by markdown-it's link validation.
"""

from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def render_guidelines(text: str) -> Markup:
    """The guidelines as HTML (CommonMark, raw HTML escaped); the Jinja filter `markdown`."""
    return Markup(_MARKDOWN.render(text or ""))
