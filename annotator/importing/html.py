"""Main text out of an HTML page: navigation, footers and comments dropped (trafilatura).

trafilatura's time grows faster than the page (300,000 `<p>` took 385 s and 1.07 GB;
80,000 `<span>` in one paragraph take two minutes), and lxml stops reading a page 256 levels
deep or at 10 MB of text without a tag, keeping what it read so far: the rest was lost
unsaid. So a page is extracted in a child process that gives up after EXTRACTION_SECONDS,
and a page lxml read only in part, or with more than MAX_ELEMENTS elements or nested more
than MAX_DEPTH deep, is refused before extraction starts. The importer's process never holds
the page's tree, however large, and a crash in the extraction is a refused file, not a
failed import.
"""

import trafilatura
import trafilatura.utils
from trafilatura.utils import load_html

from annotator.importing.decoding import DecodingError
from annotator.importing.worker_processes import worker_context

MAX_ELEMENTS = 100_000
MAX_DEPTH = 200  # below lxml's own limit of 256, where it stops reading the page
EXTRACTION_SECONDS = 60.0
_INSTEAD = "save its main text as .txt and import that"


def main_text(html: str) -> tuple[str, str]:
    """The page's main text, one paragraph per block separated by blank lines, and its title.
    Raises DecodingError for a page over the limits or one whose extraction takes too long."""
    context = worker_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_extract_into, args=(sender, html), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(EXTRACTION_SECONDS):
            raise DecodingError(f"the HTML page took longer than {EXTRACTION_SECONDS:.0f} s to extract; {_INSTEAD}")
        outcome = receiver.recv()
    except EOFError:
        raise DecodingError("the HTML page could not be read (its extraction failed)") from None
    finally:
        child.kill()
        child.join()
        receiver.close()
    if isinstance(outcome, str):
        raise DecodingError(outcome)
    return outcome


def _extract_into(sender, html: str) -> None:
    """Runs in the child: the page's (text, title), or the reason it is refused."""
    try:
        sender.send(extract(html))
    except DecodingError as error:
        sender.send(str(error))
    except Exception as error:  # trafilatura's or lxml's own failure: this page is refused, the import goes on
        sender.send(f"the HTML page could not be read ({type(error).__name__}: {error})")


def extract(html: str) -> tuple[str, str]:
    """What main_text returns, computed in this process with no time limit."""
    tree = load_html(html)
    _check_limits(tree)
    if tree is None:
        return "", ""
    extracted = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=True)
    if extracted is None or not extracted.text:
        return "", ""
    paragraphs = [line.strip() for line in extracted.text.split("\n") if line.strip()]
    return "\n\n".join(paragraphs), extracted.title or ""


def _check_limits(tree) -> None:
    """Refuse a page lxml read only in part, or one too large to extract."""
    stopped = _why_lxml_stopped()
    if stopped:
        raise DecodingError(f"the HTML page {stopped}, past what lxml reads; {_INSTEAD}")
    if tree is None:
        return
    elements = int(tree.xpath("count(//*)"))
    if elements > MAX_ELEMENTS:
        raise DecodingError(f"the HTML page has {elements:,} elements, over the limit of {MAX_ELEMENTS:,}; {_INSTEAD}")
    if tree.xpath(f"boolean(/{'*/' * MAX_DEPTH}*)"):
        raise DecodingError(f"the HTML page nests elements more than {MAX_DEPTH} levels deep; {_INSTEAD}")


def _why_lxml_stopped() -> str | None:
    """lxml gives up at its resource limits (256 levels of nesting, 10 MB of text in one
    piece) and keeps the tree it has so far: the rest of the page would be lost unsaid. Its
    parse errors say so (the parser is trafilatura's own, used by load_html just before)."""
    parser = getattr(trafilatura.utils, "HTML_PARSER", None)
    for error in parser.error_log if parser is not None else ():
        if error.type_name == "ERR_RESOURCE_LIMIT":
            if "depth" in error.message:
                return "nests elements more than 255 levels deep"
            if "size limit" in error.message or "huge" in error.message.lower():
                return "has over 10 MB of text without a tag between"
            return f"could not be read to its end ({error.message.strip()})"
    return None


# trafilatura sets itself up on its first page (0.6 s): done here, once, so that the children
# forked from this process, or from the fork server (which imports this module), start ready.
extract("<html><head><title>Warm</title></head><body><article><p>A first page, to warm up.</p></article></body></html>")
