"""Score the splitter against documents with known truth (made by bench/splitter_eval_make.py),
and on the seed documents.

    python bench/splitter_eval.py tests/fixtures/splitter_eval/tuning [MORE_DIRS] [--seeds ../shared/corpus]
    python bench/splitter_eval.py DIR --previous f3d5ce5     # also the splitter of that commit

Figures, for each directory:
- paragraphs recovered: true paragraphs that are exactly one annotatable passage or a run of
  consecutive annotatable passages (target >= 0.95);
- not article text: annotatable passages of which less than half the characters are article
  text (target <= 0.02);
- hyphen breaks right: broken words rejoined and compounds kept, as the passage reads them
  (target >= 0.95), with the figure for each kind of word;
- excerpt annotatable twice: documents whose repeated excerpt is (partly) in an annotatable
  passage (target <= 0.05);
- offsets right: passages whose source span holds their text (target >= 0.99).
On the seed documents: the share of annotatable passages under 25 characters (target < 0.02) and
the passages cut inside a sentence by the length cap between two words (target 0); cuts at
clause punctuation inside a single sentence longer than the cap are counted apart.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "paragraphs recovered": (">=", 0.95),
    "not article text": ("<=", 0.02),
    "hyphen breaks right": (">=", 0.95),
    "excerpt annotatable twice": ("<=", 0.05),
    "offsets right": (">=", 0.99),
    "seed: annotatable under 25 chars": ("<", 0.02),
    "seed: cut mid-sentence at the cap": ("<=", 0),
}
NOT_TEXT = ("boilerplate", "heading", "fragment")
SHORT = 25
_SQUASH = re.compile(r"[\s\u00ad\u200b\u2060\ufeff\-\u2010]")
_CLAUSE_END = re.compile(r"(?:[;:,]|\s[—–-])$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s*\[\d+\])*$")  # footnote marks may follow


def squash(text: str) -> str:
    """What must survive from source span to passage text: all but whitespace, invisible
    characters and hyphens, in one case (a word rejoined in small capitals takes one case)."""
    return _SQUASH.sub("", unicodedata.normalize("NFC", text)).casefold()


def hyphen_kind(expected: str) -> str:
    if "-" in expected:
        return "compound"
    if expected.isupper():
        return "all-caps"
    return "capitalised" if expected[0].isupper() else "lower-case"


def score_directory(directory: Path, split_document) -> dict:
    counts = dict.fromkeys(
        ["paragraphs", "recovered", "annotatable", "not_article", "excerpts", "twice", "passages", "offsets_right"], 0
    )
    hyphens: dict[str, list[int]] = {}
    for truth_path in sorted(directory.glob("*.json")):
        raw = truth_path.with_suffix(".txt").read_bytes().decode("utf-8")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        passages = split_document(raw)
        _score_document(raw, truth, passages, counts, hyphens)
    hyphen_total = sum(total for total, _ in hyphens.values())
    figures = {
        "documents": len(list(directory.glob("*.json"))),
        "paragraphs recovered": counts["recovered"] / max(1, counts["paragraphs"]),
        "not article text": counts["not_article"] / max(1, counts["annotatable"]),
        "hyphen breaks right": sum(right for _, right in hyphens.values()) / max(1, hyphen_total),
        "excerpt annotatable twice": counts["twice"] / max(1, counts["excerpts"]),
        "offsets right": counts["offsets_right"] / max(1, counts["passages"]),
    }
    for kind, (total, right) in sorted(hyphens.items()):
        figures[f"  hyphens, {kind} ({total})"] = right / max(1, total)
    figures["  paragraphs / annotatable passages"] = f"{counts['paragraphs']} / {counts['annotatable']}"
    return figures


def _score_document(raw: str, truth: dict, passages, counts: dict, hyphens: dict) -> None:
    article = bytearray(len(raw))
    for start, end in truth["paragraphs"]:
        article[start:end] = b"\x01" * (end - start)
    for start, end in truth["paragraphs"]:
        counts["paragraphs"] += 1
        counts["recovered"] += _recovered(passages, start, end)
    for passage in passages:
        counts["passages"] += 1
        counts["offsets_right"] += squash(raw[passage.start : passage.end]) == squash(passage.text)
        if passage.excluded_reason is None:
            counts["annotatable"] += 1
            counts["not_article"] += not _mostly_article(raw, article, passage)
    for hyphen in truth["hyphens"]:
        kind = hyphen_kind(hyphen["expected"])
        total, right = hyphens.get(kind, (0, 0))
        hyphens[kind] = (total + 1, right + _hyphen_right(passages, hyphen))
    if truth["excerpt"]:
        start, end = truth["excerpt"]
        counts["excerpts"] += 1
        counts["twice"] += any(p.excluded_reason is None and p.start < end and p.end > start for p in passages)


def _recovered(passages, start: int, end: int) -> bool:
    run = [p for p in passages if p.start < end and p.end > start]
    return (
        bool(run)
        and run[0].start == start
        and run[-1].end == end
        and all(p.excluded_reason is None for p in run)
        and [p.index for p in run] == list(range(run[0].index, run[0].index + len(run)))
    )


def _mostly_article(raw: str, article: bytearray, passage) -> bool:
    inside = total = 0
    for position in range(passage.start, passage.end):
        if not raw[position].isspace():
            total += 1
            inside += article[position]
    return inside * 2 >= total


def _hyphen_right(passages, hyphen: dict) -> bool:
    at, expected = hyphen["at"], hyphen["expected"]
    for passage in passages:
        if passage.start <= at < passage.end:
            return re.search(rf"(?<![\w-]){re.escape(expected)}(?![\w-])", passage.text) is not None
    return False


def score_seeds(directory: Path, split_document, max_chars: int) -> dict:
    annotatable = short = cut = clause_cut = 0
    for path in sorted(directory.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        passages = split_document(raw)
        for passage, following in zip(passages, passages[1:] + [None], strict=True):
            if passage.excluded_reason is None:
                annotatable += 1
                short += len(passage.text) < SHORT
            if following is not None and _cut_inside_sentence(raw, passage, following, max_chars):
                at_clause = _CLAUSE_END.search(passage.text) is not None
                clause_cut += at_clause
                cut += not at_clause
    return {
        "seed documents": len(list(directory.glob("*.txt"))),
        "seed: annotatable passages": annotatable,
        "seed: annotatable under 25 chars": short / max(1, annotatable),
        "seed: cut mid-sentence at the cap": cut,
        "  seed: cut at a clause (sentence over the cap)": clause_cut,
    }


def _cut_inside_sentence(raw: str, passage, following, max_chars: int) -> bool:
    """An annotatable passage cut from a longer paragraph (no blank line before the next one)
    by the length cap, where no sentence ends."""
    between = raw[passage.end : following.start]
    same_paragraph = between.count("\n") < 2 and len(passage.text) + len(following.text) > max_chars
    annotatable = passage.excluded_reason is None and following.excluded_reason is None
    return same_paragraph and annotatable and not _SENTENCE_END.search(passage.text)


def measure(directories: list[Path], seeds: Path | None) -> dict:
    from annotator.splitting import DEFAULT_MAX_CHARS, split_document

    result = {str(directory): score_directory(directory, split_document) for directory in directories}
    if seeds is not None and any(seeds.glob("*.txt")):
        result["seeds"] = score_seeds(seeds, split_document, DEFAULT_MAX_CHARS)
    return result


def measure_previous(revision: str, directories: list[Path], seeds: Path | None) -> dict:
    """The same figures for the splitter of an earlier commit, run from a copy of its package."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = subprocess.run(["git", "archive", revision, "annotator"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", scratch], input=archive.stdout, check=True)
        command = [sys.executable, __file__, *map(str, directories), "--json"]
        if seeds is not None:
            command += ["--seeds", str(seeds)]
        output = subprocess.run(
            command, env={**os.environ, "PYTHONPATH": scratch}, check=True, capture_output=True, text=True
        ).stdout
    return json.loads(output)


def print_table(current: dict, previous: dict | None, revision: str | None) -> None:
    for group, figures in current.items():
        print(f"\n{group}")
        header = f"  {'figure':40} {'now':>12}"
        if previous:
            header += f" {revision[:10]:>12}"
        print(header + "   target")
        for name, value in figures.items():
            line = f"  {name:40} {_format(value):>12}"
            if previous:
                line += f" {_format(previous.get(group, {}).get(name, '')):>12}"
            if name in TARGETS:
                op, bound = TARGETS[name]
                met = {"<=": value <= bound, ">=": value >= bound, "<": value < bound}[op]
                line += f"   {op} {bound} {'met' if met else 'MISSED'}"
            print(line)


def _format(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directories", nargs="+", type=Path)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--previous", help="a commit whose splitter is scored beside the current one")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seeds = args.seeds if args.seeds.is_dir() else None
    if "PYTHONPATH" not in os.environ:
        sys.path.insert(0, str(ROOT))
    current = measure(args.directories, seeds)
    if args.json:
        print(json.dumps(current))
        return
    previous = measure_previous(args.previous, args.directories, seeds) if args.previous else None
    print_table(current, previous, args.previous)


if __name__ == "__main__":
    main()
