"""Build the splitter's evaluation set: real news bodies (FNC-1) laid out and corrupted the ways
scraped pages and PDF text are, each document with a truth file.

    python bench/splitter_eval_make.py ../shared/corpus/fnc1/*.csv --out tests/fixtures/splitter_eval/tuning
    python bench/splitter_eval_make.py ../shared/corpus/fnc1/*.csv --seed 2027 --variant heldout --out DIR

For each document NAME.txt, NAME.json holds the truth, all offsets into the text as written
(after CRLF):
- "paragraphs": [start, end] of each true paragraph of article text (edges without whitespace);
- "noise": [start, end, kind] of each piece of page furniture (menu, related, share, heading,
  byline, fragment, footer);
- "hyphens": {"at": offset of the hyphen, "expected": the word as it must read};
- "excerpt": [start, end] of the repeated excerpt (pull quote), or null; "excerpt_of": the
  paragraph index it repeats.

The corruptions are drawn per document (kinds, not fixtures): menus of one to three words with
and without bullets, lists of related headlines, share bars, headings and bylines, hard wraps
with hyphen breaks (lower-case, capitalised, all-caps words, and compounds that keep their
hyphen), PDF paragraphs separated by a single line break, CRLF, soft hyphens, no-break spaces,
a pull quote. Menu words and headlines come from other bodies of the corpus, never from a list.
The "heldout" variant draws other widths, bullets, separators and lengths.
"""

import argparse
import csv
import json
import random
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

TERMINAL = ".!?\"'”’)"
_COMPOUND = re.compile(r"[A-Za-z]{2,}(?:-[A-Za-z]{2,})+")
COMPOUND_BREAK_RATE = 0.9
_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[•*-])\s+")
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_EDGE = " \t\u00a0\u00ad"


@dataclass
class Variant:
    widths: tuple[int, int]
    bullets: tuple[str, ...]
    menu_run: tuple[int, int]
    related_run: tuple[int, int]
    share_bars: tuple[str, ...]
    footers: tuple[str, ...]
    related_heads: tuple[str, ...]
    fragments: tuple[str, ...]
    hyphen_rate: float


VARIANTS = {
    "tuning": Variant(
        widths=(55, 80),
        bullets=("• ", "- ", "* "),
        menu_run=(4, 9),
        related_run=(3, 6),
        share_bars=("Share this article", "Facebook Twitter Email", "Share on Facebook | Share on Twitter", "Tweet"),
        footers=("© 2015 {site}. All rights reserved.", "Copyright 2015 {site}"),
        related_heads=("Related", "Related stories", "More from {site}", "Most read"),
        fragments=("Reached {n} signatures", "Petition by", "{acronym}", "Advertisement", "Photo: {name}"),
        hyphen_rate=0.35,
    ),
    "heldout": Variant(
        widths=(45, 95),
        bullets=("▪ ", "– ", "» ", "1. "),
        menu_run=(3, 12),
        related_run=(3, 8),
        share_bars=("Share", "Email Print Tweet", "Share via Email", "WhatsApp | Telegram | Copy link"),
        footers=("(c) {site} 2016", "{site} © 2016"),
        related_heads=("Read more", "Also on {site}", "Trending now", "Top stories"),
        fragments=("{n} supporters", "Signed by", "{acronym}", "Sponsored", "Image: {name}"),
        hyphen_rate=0.5,
    ),
}


@dataclass
class Builder:
    """The document as it is written, with its truth, offsets counted as pieces are added."""

    text: list[str] = field(default_factory=list)
    length: int = 0
    paragraphs: list[list[int]] = field(default_factory=list)
    noise: list[list] = field(default_factory=list)
    hyphens: list[dict] = field(default_factory=list)
    excerpt: list[int] | None = None
    excerpt_of: int | None = None

    def add(self, piece: str) -> int:
        start = self.length
        self.text.append(piece)
        self.length += len(piece)
        return start

    def add_span(self, piece: str) -> tuple[int, int]:
        """Add `piece`, and return its span without edge whitespace."""
        start = self.add(piece)
        lead = len(piece) - len(piece.lstrip(_EDGE + "\n"))
        trail = len(piece) - len(piece.rstrip(_EDGE + "\n"))
        return start + lead, start + len(piece) - trail


def article_paragraphs(body: str) -> list[str]:
    """The body's real paragraphs: lines of 60 characters or more that end a sentence (a full
    stop, question or exclamation mark, perhaps in quotes) and start one, without a list marker."""
    found = []
    for line in body.split("\n"):
        text = _MARKER.sub("", " ".join(line.split()))
        opening = text.lstrip("\"'“‘(")
        if len(text) >= 60 and text.rstrip("\"'”’)")[-1:] in ".!?" and opening[:1].isupper() and "http" not in text:
            found.append(text)
    return found


def load_bodies(paths: list[Path]) -> list[str]:
    bodies = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            bodies += [row["articleBody"] for row in csv.DictReader(handle)]
    return bodies


class Maker:
    def __init__(self, bodies: list[str], variant: Variant, rng: random.Random):
        self.bodies, self.variant, self.rng = bodies, variant, rng
        self.vocabulary = sorted({w for body in bodies[:400] for w in _WORD.findall(body) if len(w) <= 10})

    # ---- noise -------------------------------------------------------------------------
    def site(self) -> str:
        return " ".join(self.rng.choice(self.vocabulary).title() for _ in range(self.rng.randint(1, 2)))

    def menu_lines(self) -> list[str]:
        return [self.entry() for _ in range(self.rng.randint(*self.variant.menu_run))]

    def entry(self) -> str:
        """A menu entry: one to three words of the corpus, capitalised."""
        return " ".join(self.rng.choice(self.vocabulary).title() for _ in range(self.rng.randint(1, 3)))

    def headline(self) -> str:
        words = article_paragraphs(self.rng.choice(self.bodies)) or ["Officials deny report of new deal"]
        tokens = self.rng.choice(words).rstrip(TERMINAL).split()
        start = self.rng.randrange(max(1, len(tokens) - 10))
        tokens = tokens[start : start + self.rng.randint(4, 11)]
        tokens = [token.strip(",.;:\"'“”()") for token in tokens]
        tokens = [token for token in tokens if token]
        if self.rng.random() < 0.6:
            return " ".join(token[:1].upper() + token[1:] for token in tokens)
        return (" ".join(tokens))[:1].upper() + " ".join(tokens)[1:]

    def name(self) -> str:
        first = self.rng.choice(["John", "Sarah", "Ahmed", "Maria", "Li", "Peter", "Anna", "David", "Fatima"])
        last = self.rng.choice(["Smith", "Jones", "Karimi", "Garcia", "Chen", "Miller", "Novak", "Okafor", "Brown"])
        return f"{first} {last}"

    def byline(self) -> str:
        name = self.name()
        return self.rng.choice(
            [
                f"By {name}",
                f"BY {name.upper()}",
                f"{name}, Staff Writer",
                f"By {name} | March {self.rng.randint(1, 28)}, 2015",
                f"Posted by {name} on {self.rng.randint(1, 28)} June 2015",
                f"{name} | Reuters",
            ]
        )

    def fragment(self) -> str:
        template = self.rng.choice(self.variant.fragments)
        acronym = "".join(self.rng.choice("ABCDEFGHIKLMNOPRSTU") for _ in range(self.rng.randint(3, 5)))
        return template.format(n=f"{self.rng.randint(100, 99999):,}", acronym=acronym, name=self.name())

    def furniture(self, kind: str, site: str) -> list[str]:
        """The lines of one piece of page furniture."""
        rng = self.rng
        if kind == "menu":
            return self.menu_lines()
        if kind == "menu_bullets":
            bullet = rng.choice(self.variant.bullets)
            lines = self.menu_lines()
            if bullet[0].isdigit():
                return [f"{number}. {line}" for number, line in enumerate(lines, 1)]
            return [bullet + line for line in lines]
        if kind == "menu_line":
            return [rng.choice([" | ", " / ", " · "]).join(self.menu_lines())]
        if kind in ("related", "related_bullets"):
            lines = [self.headline() for _ in range(rng.randint(*self.variant.related_run))]
            if kind == "related_bullets":
                lines = [rng.choice(self.variant.bullets).replace("1.", "•") + line for line in lines]
            if rng.random() < 0.6:
                lines.insert(0, rng.choice(self.variant.related_heads).format(site=site))
            return lines
        if kind == "share":
            return [rng.choice(self.variant.share_bars)]
        if kind == "footer":
            return [rng.choice(self.variant.footers).format(site=site)]
        if kind == "byline":
            return [self.byline()]
        if kind == "heading":
            return [self.headline()]
        if kind == "fragment":
            return [self.fragment()]
        raise ValueError(kind)

    # ---- article text ------------------------------------------------------------------
    def wrap(self, paragraph: str, width: int, caps: bool) -> tuple[list[str], list[tuple[int, int, str]]]:
        """Hard-wrapped lines of the paragraph, and the hyphen breaks made: (line, position of
        the hyphen in that line, the word as it must read)."""
        words = paragraph.split(" ")
        if caps:  # a lead-in in capitals, as printed newsletters set their first line or two
            reach, count = self.rng.uniform(0.8, 2.2) * width, 0
            while count < len(words) and len(" ".join(words[:count])) < reach:
                count += 1
            words = [word.upper() for word in words[:count]] + words[count:]
        lines: list[str] = []
        breaks: list[tuple[int, int, str]] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= width or not current:
                current = candidate
                continue
            room = width - len(current) - 2
            broken = self.hyphen_break(word, room)
            if broken is not None:
                left, right, expected = broken
                current = f"{current} {left}"
                breaks.append((len(lines), len(current) - 1, expected))
                lines.append(current)
                current = right
            else:
                lines.append(current)
                current = word
        lines.append(current)
        return lines, breaks

    def hyphen_break(self, word: str, room: int) -> tuple[str, str, str] | None:
        core = word.rstrip(",.;:!?\"'”’)")
        if _COMPOUND.fullmatch(core):
            # Typesetters break a compound at its own hyphen whenever it does not fit.
            cut = core.index("-")
            if 2 <= cut <= room and self.rng.random() < COMPOUND_BREAK_RATE:
                return core[: cut + 1], word[cut + 1 :], core
            return None
        if room < 3 or self.rng.random() > self.variant.hyphen_rate:
            return None
        if not core.isalpha() or len(core) < 7:
            return None
        cut = self.rng.randint(3, min(room, len(core) - 3)) if min(room, len(core) - 3) >= 3 else None
        if cut is None:
            return None
        return core[:cut] + "-", word[cut:], core

    def document(self, body_index: int) -> tuple[str, dict] | None:
        rng = self.rng
        paragraphs = article_paragraphs(self.bodies[body_index])
        if len(paragraphs) < 3:
            return None
        paragraphs = paragraphs[:10]
        layout = rng.choice(["web", "web_tight", "pdf", "pdf_tight", "pdf_tight"])
        pdf = layout.startswith("pdf")
        tight = layout.endswith("tight")
        width = rng.randint(*self.variant.widths)
        site = self.site()
        doc = Builder()
        pieces: list[tuple[str, object]] = []  # ("noise", (kind, lines)) or ("paragraph", index)
        for kind in rng.sample(["menu", "menu_bullets", "menu_line", "share", "byline"], rng.randint(1, 3)):
            pieces.append(("noise", (kind, self.furniture(kind, site))))
        if rng.random() < 0.5:
            pieces.append(("noise", ("heading", self.furniture("heading", site))))
        if rng.random() < 0.5:
            pieces.append(("noise", ("byline", self.furniture("byline", site))))
        for index in range(len(paragraphs)):
            if index and rng.random() < 0.2:
                pieces.append(("noise", ("heading", self.furniture("heading", site))))
            if index and rng.random() < 0.12:
                pieces.append(("noise", ("fragment", self.furniture("fragment", site))))
            if index and rng.random() < 0.08:
                kind = rng.choice(["share", "related", "related_bullets"])
                pieces.append(("noise", (kind, self.furniture(kind, site))))
            pieces.append(("paragraph", index))
        quote_at = None
        if rng.random() < 0.7:
            quote_at = rng.randint(2, len(pieces) - 1)
        closing = ["related", "related_bullets", "menu", "share", "footer", "fragment"]
        for kind in rng.sample(closing, rng.randint(1, 3)):
            pieces.append(("noise", (kind, self.furniture(kind, site))))
        soft_hyphens = not pdf and rng.random() < 0.3
        no_break = rng.random() < 0.3

        def separator(tight_here: bool) -> str:
            return "\n" if tight_here else rng.choice(["\n\n", "\n\n", "\n \n", "\n\n\n"])

        previous_kind = None
        for number, (what, content) in enumerate(pieces):
            if number == quote_at:
                self.add_excerpt(doc, paragraphs, previous_kind, pdf, tight)
                previous_kind = "excerpt"
            if what == "noise":
                kind, lines = content
                if previous_kind is not None:
                    doc.add(separator(tight or rng.random() < 0.3))
                self.add_noise(doc, kind, lines)
                previous_kind = kind
            else:
                text = paragraphs[content]
                if soft_hyphens:
                    text = self.with_soft_hyphens(text)
                if no_break:
                    text = self.with_no_break_spaces(text)
                if previous_kind is not None:
                    glued = previous_kind in ("heading", "byline") and rng.random() < 0.5
                    doc.add(separator(glued or tight and previous_kind == "paragraph"))
                self.add_paragraph(doc, text, pdf, tight, width, rng.random() < 0.2)
                previous_kind = "paragraph"
        doc.add("\n")
        raw = "".join(doc.text)
        truth = {
            "layout": layout,
            "paragraphs": doc.paragraphs,
            "noise": doc.noise,
            "hyphens": doc.hyphens,
            "excerpt": doc.excerpt,
            "excerpt_of": doc.excerpt_of,
        }
        if rng.random() < 0.25:
            raw, truth = to_crlf(raw, truth)
        return raw, truth

    def add_noise(self, doc: Builder, kind: str, lines: list[str]) -> None:
        start, end = doc.add_span("\n".join(lines))
        doc.noise.append([start, end, kind])

    def add_paragraph(self, doc: Builder, text: str, pdf: bool, tight: bool, width: int, caps: bool) -> None:
        if not pdf:
            start, end = doc.add_span(text)
            doc.paragraphs.append([start, end])
            return
        lines, breaks = self.wrap(text, width, caps)
        if tight and len(lines[-1]) > 0.6 * width:
            # A full last line cannot be told from a wrapped one (a reader could not either):
            # that paragraph ends with a blank line, as PDF text often mixes both.
            lines[-1] += "\n"
        first = doc.length
        for number, line in enumerate(lines):
            line_start = doc.add(line)
            for line_number, at, expected in breaks:
                if line_number == number:
                    doc.hyphens.append({"at": line_start + at, "expected": expected})
            if number + 1 < len(lines):
                doc.add(self.rng.choice(["\n", "\n", " \n"]))
        end = doc.length - len(lines[-1]) + len(lines[-1].rstrip())
        doc.paragraphs.append([first, end])

    def add_excerpt(self, doc: Builder, paragraphs: list[str], previous_kind, pdf: bool, tight: bool) -> None:
        rng = self.rng
        source = rng.randrange(len(paragraphs))
        words = paragraphs[source].split()
        count = min(len(words), rng.randint(8, 20))
        start = rng.randrange(len(words) - count + 1)
        quote = " ".join(words[start : start + count]).strip(",;:")
        style = rng.choice(["ellipsis", "quotes", "plain", "caps_lines"])
        quote = quote[:1].upper() + quote[1:]
        if style == "ellipsis":
            quote = f"“… {quote} …”"
        elif style == "quotes":
            quote = f"“{quote}”"
        elif style == "caps_lines":
            tokens = quote.upper().split()
            quote = "\n".join(" ".join(tokens[i : i + 2]) for i in range(0, len(tokens), 2))
        if previous_kind is not None:
            doc.add("\n" if tight and rng.random() < 0.5 else "\n\n")
        doc.excerpt = list(doc.add_span(quote))
        doc.excerpt_of = source

    def with_soft_hyphens(self, text: str) -> str:
        def soften(match):
            word = match.group()
            cut = self.rng.randint(3, len(word) - 3)
            return word[:cut] + "\u00ad" + word[cut:]

        return re.sub(r"\b[a-z]{8,}\b", lambda m: soften(m) if self.rng.random() < 0.3 else m.group(), text)

    def with_no_break_spaces(self, text: str) -> str:
        return re.sub(r"(?<=\d) (?=[a-z%])|(?<=\b[A-Z][a-z]\.) ", "\u00a0", text)


def to_crlf(raw: str, truth: dict) -> tuple[str, dict]:
    """The document with Windows line endings, every offset moved by the line breaks before it."""
    newlines = [index for index, char in enumerate(raw) if char == "\n"]

    def move(offset: int) -> int:
        return offset + bisect_left(newlines, offset)

    moved = dict(truth)
    moved["paragraphs"] = [[move(s), move(e)] for s, e in truth["paragraphs"]]
    moved["noise"] = [[move(s), move(e), kind] for s, e, kind in truth["noise"]]
    moved["hyphens"] = [{"at": move(h["at"]), "expected": h["expected"]} for h in truth["hyphens"]]
    moved["excerpt"] = [move(truth["excerpt"][0]), move(truth["excerpt"][1])] if truth["excerpt"] else None
    moved["crlf"] = True
    return raw.replace("\n", "\r\n"), moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="tuning")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bodies = load_bodies(args.corpus)
    maker = Maker(bodies, VARIANTS[args.variant], rng)
    args.out.mkdir(parents=True, exist_ok=True)
    order = list(range(len(bodies)))
    rng.shuffle(order)
    written = 0
    for body_index in order:
        if written == args.count:
            break
        made = maker.document(body_index)
        if made is None:
            continue
        raw, truth = made
        name = f"{written:03d}"
        (args.out / f"{name}.txt").write_bytes(raw.encode("utf-8"))
        (args.out / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False) + "\n", encoding="utf-8")
        written += 1
    print(f"{written} documents in {args.out}")


if __name__ == "__main__":
    main()
