"""Splitter benchmark: long documents in Chinese, Arabic and Russian beside English of the same
length, measured in the same run, at several sizes; then hostile shapes of input.

    python bench/split_bench.py [--sizes 250000,500000,1000000] [--repeat 3] [--no-hostile]

Each document is what the importer hands a splitting worker: `split_texts` (passages and a
title from the text). The prose is drawn from each language's 3,000 most frequent words
(wordfreq, weighted by rank as
Zipf's law has it), in sentences of 6 to 30 words with the script's own commas
and full stops, in paragraphs of 1 to 12 sentences, laid out three ways:

- "one paragraph": the whole document on one line, no line break at all;
- "wrapped lines": hard-wrapped lines (PDF text) and no blank line: one block;
- "blank lines": paragraphs separated by blank lines;
- "article repeated" and "article repeated, one line": one article of about 8,000
  characters repeated to the size, with blank lines between paragraphs, or all on one line:
  the duplicate detector recognises the passages of every copy after the first, which leaves
  English little to do beside BlingFire's own work.

Times are CPU seconds of this process (the machine is shared; wall time strays more).
English is the baseline: the target is at most 3x its time for every script and layout, and
time that grows in proportion to size. The hostile shapes (whitespace, punctuation, one word
without spaces, tiny paragraphs, loose lines beside furniture, repeated text) are measured at
the largest size beside the English one-paragraph document.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.importing.splitting_pool import split_texts  # noqa: E402

SCRIPTS = {  # language: (word separator, comma, sentence ends, wrapped line width)
    "en": (" ", ",", ".....?", 72),
    "zh": ("", "，", "。。。。。？", 36),
    "ar": (" ", "،", ".....؟", 72),
    "ru": (" ", ",", ".....?", 72),
}
LAYOUTS = ("one paragraph", "wrapped lines", "blank lines", "article repeated", "article repeated, one line")
ARTICLE = 8_000
MAX_CHARS = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="250000,500000,1000000", help="document sizes in characters")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile shapes of input")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    split_texts([("Warm the word list: bil-\nlions.", True)], MAX_CHARS)
    print(f"Python {sys.version.split()[0]}; fastest of {args.repeat} runs; CPU seconds, and x the English time")
    print(f"{'layout':26} {'characters':>10} " + " ".join(f"{language:>14}" for language in SCRIPTS))
    for layout in LAYOUTS:
        for size in sizes:
            seconds = {language: best_of(args.repeat, prose(language, size, layout)) for language in SCRIPTS}
            english = seconds["en"]
            cells = [f"{seconds['en']:8.3f}      "] + [
                f"{seconds[language]:8.3f} {seconds[language] / english:4.1f}x" for language in list(SCRIPTS)[1:]
            ]
            print(f"{layout:26} {size:>10,} " + " ".join(f"{cell:>14}" for cell in cells))
    segmenter_share(max(sizes), args.repeat)
    if not args.no_hostile:
        hostile(max(sizes), args.repeat)


def segmenter_share(size: int, repeat: int) -> None:
    """How much of each script's time BlingFire itself takes, in the layout where the rest of
    the splitter has least to do."""
    import annotator.splitting.sentences as sentences

    layout = LAYOUTS[-1]
    print()
    print(f"{layout}, {size:,} characters: CPU seconds in all, and inside BlingFire")
    library = sentences._library
    for language in SCRIPTS:
        text = prose(language, size, layout)
        runs = []
        for _ in range(repeat):
            sentences._library = timed = _TimedSegmenter(library)
            try:
                runs.append((best_of(1, text), timed.seconds))
            finally:
                sentences._library = library
        total, inside = min(runs)
        print(f"  {language}: {total:.3f} in all, {inside:.3f} in BlingFire")


class _TimedSegmenter:
    def __init__(self, library):
        self.library, self.seconds = library, 0.0

    def TextToSentencesWithOffsets(self, *arguments):  # noqa: N802  (BlingFire's name)
        started = time.process_time()
        try:
            return self.library.TextToSentencesWithOffsets(*arguments)
        finally:
            self.seconds += time.process_time() - started


def hostile(size: int, repeat: int) -> None:
    english = best_of(repeat, prose("en", size, "one paragraph"))
    print()
    print(f"{'shape (' + format(size, ',') + ' characters)':48} {'seconds':>8} {'x English':>10} {'passages':>9}")
    print(f"{'English prose, one paragraph (baseline)':48} {english:8.3f} {1:9.1f}x")
    for name, text in hostile_shapes(size):
        seconds = best_of(repeat, text)
        passages = len(split_texts([(text, True)], MAX_CHARS)[0][0])
        print(f"{name:48} {seconds:8.3f} {seconds / english:9.1f}x {passages:9,}")


def hostile_shapes(size: int):
    yield "whitespace and one letter", " \n\t" * (size // 3) + "x"
    yield "full stops only", "." * size
    yield "punctuation and spaces", "".join(random.Random(1).choice(".,;:!?-— ") for _ in range(size))
    yield "one word without spaces (Latin)", "a" * size
    yield "one word without spaces (Chinese, no punctuation)", "字" * size
    yield "Chinese full stops only", "。" * size
    yield "tiny paragraphs (a word, a blank line)", "Word\n\n" * (size // 6)
    yield "tiny lines (a sentence per line)", "Yes.\n" * (size // 5)
    yield "list items and loose lines beside furniture", _items_and_loose_lines(size)
    yield (
        "one paragraph repeated",
        ("The council met on Monday, and the vote was close again this week. " * 6 + "\n\n") * (size // 410),
    )
    yield "five words over and over (shingles)", " ".join(f"w{n % 5}" for n in range(size // 3))


def _items_and_loose_lines(size: int) -> str:
    """Short list items and loose short lines alternating under a wide line, ending in page
    furniture: each loose line is furniture because its neighbour is."""
    lines = ["A" * 120]
    while sum(map(len, lines)) < size:
        number = len(lines)
        lines += [f"- item {number}", f"Label {number}"]
    return "\n".join(lines + ["Back To Top"])


def prose(language: str, size: int, layout: str, seed: int = 7) -> str:
    """`size` characters of the language's frequent words, in sentences and paragraphs."""
    separator, comma, ends, width = SCRIPTS[language]
    if layout.startswith("article repeated"):
        one_line = layout.endswith("one line")
        article = prose(language, ARTICLE, "one paragraph" if one_line else "blank lines", seed)
        return (separator if one_line else "\n\n").join([article] * (size // ARTICLE + 1))[:size]
    words, weights = _vocabulary(language)
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(1, 12)):
            chosen = rng.choices(words, weights, k=rng.randint(6, 30))
            for position in range(rng.randint(4, 10), len(chosen) - 1, rng.randint(5, 10)):
                chosen[position] += comma
            sentence = separator.join(chosen)
            sentences.append(sentence[:1].upper() + sentence[1:] + rng.choice(ends))
        paragraph = separator.join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    if layout == "one paragraph":
        return separator.join(paragraphs)[:size]
    if layout == "blank lines":
        return "\n\n".join(paragraphs)[:size]
    return "\n".join(_wrapped(paragraph, width, separator) for paragraph in paragraphs)[:size]


def _wrapped(paragraph: str, width: int, separator: str) -> str:
    if not separator:
        return "\n".join(paragraph[start : start + width] for start in range(0, len(paragraph), width))
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def _vocabulary(language: str) -> tuple[list[str], list[float]]:
    from wordfreq import top_n_list

    words = [word for word in top_n_list(language, 3000) if word.isalpha() and (language == "en") == word.isascii()]
    return words, [1 / rank for rank in range(1, len(words) + 1)]  # Zipf's law


def best_of(repeat: int, text: str) -> float:
    """The fastest of `repeat` runs (timings on a shared machine only ever err slow)."""
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        split_texts([(text, True)], MAX_CHARS)
        runs.append(time.process_time() - started)
    return min(runs)


if __name__ == "__main__":
    main()
