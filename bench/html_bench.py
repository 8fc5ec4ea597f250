"""HTML extraction benchmark: ordinary and hostile pages through the importer's bounded
extraction (`annotator.importing.html.main_text`), beside the bare baseline of parsing the
same page with lxml, measured in the same run.

    python bench/html_bench.py

Each page runs in a fresh process, so that the peak RSS reported (the process and the child
that extracts) is that page's alone. Pages past the limits are refused; the figures show
how soon and at what cost.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "The council voted on the harbour bridge budget, and the mayor said the vote was close"

MEASURE = r"""
import json, resource, sys, time
from lxml import html as lxml_html
sys.path.insert(0, sys.argv[1])
from annotator.importing.decoding import DecodingError
from annotator.importing.html import main_text
page = sys.stdin.read()
started = time.perf_counter()
lxml_html.fromstring(page)
baseline = time.perf_counter() - started
started = time.perf_counter()
try:
    text, _ = main_text(page)
    outcome = f"{len(text):,} characters of text"
except DecodingError as error:
    outcome = f"refused: {error}".split(";")[0]
seconds = time.perf_counter() - started
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
print(json.dumps({"baseline": baseline, "seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def pages():
    yield "news article, 40 paragraphs", _page("".join(f"<p>{SENTENCE}, {n}.</p>" for n in range(40)))
    yield (
        "long book, 90,000 elements",
        _page(
            "".join(
                f"<h2>Chapter {n}</h2><p>{SENTENCE}.</p><ul><li>{SENTENCE}</li><li>point "
                f"{n}</li></ul><p><code>x = {n}</code> and <b>{n}</b></p>"
                for n in range(10_000)
            )
        ),
    )
    yield (
        "20,000 <span> in one paragraph",
        _page("<p>" + "".join(f"<span>{SENTENCE} {n}</span>" for n in range(20_000)) + "</p>"),
    )
    yield "300,000 <p>", _page("".join(f"<p>Paragraph {n} about the budget.</p>" for n in range(300_000)))
    yield (
        "nested 300 levels",
        _page("<p>Opening.</p>" + "<div>" * 300 + "<p>Deep.</p>" + "</div>" * 300 + "<p>End.</p>"),
    )
    yield "12 MB of text in one <p>", _page("<p>Opening.</p><p>" + "Word. " * 2_000_000 + "</p><p>End.</p>")


def _page(body: str) -> str:
    return f"<html><head><title>Bench</title></head><body><article>{body}</article></body></html>"


def main() -> None:
    print(f"{'page':32} {'MB':>6} {'lxml parse s':>13} {'import s':>9} {'peak RSS MB':>12}  outcome")
    for name, page in pages():
        run = subprocess.run(
            [sys.executable, "-c", MEASURE, str(ROOT)], input=page, capture_output=True, text=True, check=True, cwd=ROOT
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{name:32} {len(page.encode()) / 1e6:6.1f} {result['baseline']:13.2f} {result['seconds']:9.2f} "
            f"{result['peak_mb']:12.0f}  {result['outcome']}"
        )


if __name__ == "__main__":
    main()
