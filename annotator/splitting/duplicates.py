"""Repeated text inside a document: exact repeats, and excerpts that repeat part of the text
(pull quotes such as `... a sentence from the article ...`)."""

import re
import unicodedata
from collections import Counter
from hashlib import blake2b

_WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5
MIN_SHINGLES = 3
COVERED = 0.8
# A pull quote is a sentence or two: a passage of at most this many shingles that a later,
# longer passage holds is one, printed ahead of its source (a longer one is a paragraph).
MAX_QUOTE_SHINGLES = 60
MIN_SHORT_QUOTE = 3
SHORT_QUOTE_LIMIT = SHINGLE_WORDS + MIN_SHINGLES - 1  # passages this long have shingles
_LEADING_ELLIPSIS = re.compile(r"^[\"'“‘(\[]*(?:\.{2,}|…)")
_TRAILING_ELLIPSIS = re.compile(r"(?:\.{2,}|…)[\"'”’)\]]*$")


def comparison_words(text: str) -> list[str]:
    """The words of `text` as compared for repetition: case, accents' composition and
    punctuation (straight or curly quotes) do not matter."""
    if not text.isascii():
        text = _compatible(text)
    return _WORD.findall(text.casefold())


# Full-width punctuation (the commas and brackets of Chinese and Japanese text), the
# ideographic space and the ellipsis are not NFKC, so a CJK passage had to be normalised
# whole, which cost as much as the rest of its splitting. Their compatibility forms hold no
# word character, so as far as the words go each may as well be a space: CJK text is then
# mostly NFKC already.
_SEPARATORS = re.compile(
    "[{}]".format(
        re.escape(
            "".join(
                character
                for character in map(chr, (*range(0xFF01, 0xFF5F), 0x3000, 0x2026))
                if not _WORD.search(unicodedata.normalize("NFKC", character))
            )
        )
    )
)


def _compatible(text: str) -> str:
    """`text` with the same words as its NFKC form (its NFKC form when that differs elsewhere)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _SEPARATORS.sub(" ", text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def text_hash(words: list[str]) -> int:
    """A stable 64-bit fingerprint of a passage's words, for finding repeats across documents."""
    return int.from_bytes(blake2b(" ".join(words).encode(), digest_size=8).digest(), "big", signed=True)


def is_excerpt(text: str) -> bool:
    """Text that opens or closes with an ellipsis, as quoted excerpts do."""
    return bool(_LEADING_ELLIPSIS.match(text[:8]) or _TRAILING_ELLIPSIS.search(text[-8:]))


def find_repeats(
    words: list[list[str]], excerpts: list[bool], candidates: list[bool], quotes: list[bool] | None = None
) -> list[int | None]:
    """For each passage, the index of the passage it repeats, or None.

    An exact repeat points at the first occurrence, unless that is a pull quote (`quotes`: set
    off in quotation marks or capitals) and the repeat is not. A `candidates` passage whose word
    5-grams are mostly (80%) found in earlier passages is a partial repeat, and so is an
    excerpt found mostly anywhere else in the document, and a short passage (a pull quote) that
    a later, longer one holds mostly; a `quotes` passage too short for 5-grams repeats the
    longer passage that holds its words in order. Each points at the passage it shares most with."""
    repeats: list[int | None] = [None] * len(words)
    if len(words) < 2:
        return repeats  # a passage alone repeats nothing (most of a pre-split corpus)
    quoted = [excerpt or quote for excerpt, quote in zip(excerpts, quotes or excerpts, strict=True)]
    first_seen: dict[tuple, int] = {}
    for index, passage_words in enumerate(words):
        key = tuple(passage_words)
        first = first_seen.get(key)
        if first is None or not key:
            first_seen.setdefault(key, index)
        elif quoted[first] and not quoted[index] and candidates[index]:
            # A pull quote ahead of the paragraph it repeats word for word: the paragraph is the original.
            repeats[first] = index
            repeats[index] = None
            for other, target in enumerate(repeats[:index]):
                if target == first:
                    repeats[other] = index
            first_seen[key] = index
        else:
            repeats[index] = first
    shingles = [
        _shingles(w) if candidate and repeats[i] is None else None
        for i, (w, candidate) in enumerate(zip(words, candidates, strict=True))
    ]
    _mark_excerpts(shingles, excerpts, repeats)
    _mark_partial_repeats(shingles, excerpts, repeats)
    if quotes is not None:
        _mark_short_repeats(words, quotes, candidates, repeats)
    return repeats


def _shingles(words: list[str]) -> set[int] | None:
    """Hashes of the passage's overlapping 5-word sequences (hashed once: tuples re-hash)."""
    if len(words) < SHINGLE_WORDS + MIN_SHINGLES - 1:
        return None
    return set(map(hash, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))


class _Owners:
    """Which passage first held each shingle; a set beside the map keeps set algebra in C.
    The map is made when first asked for: most documents repeat nothing, and until a passage
    shares shingles with earlier ones the set of those seen is all that is needed."""

    def __init__(self):
        self.seen: set[int] = set()
        self._first: dict[int, int] | None = None
        self._claims: list[tuple[int, set[int]]] = []  # in order, until the map is made

    def claim(self, passage_shingles: set[int], index: int) -> None:
        if self._first is None:
            self._claims.append((index, passage_shingles))
            self.seen |= passage_shingles
            return
        new = passage_shingles - self.seen
        self.seen |= new
        self._first.update(dict.fromkeys(new, index))

    @property
    def first(self) -> dict[int, int]:
        """For each shingle seen, the first passage that held it."""
        if self._first is None:
            self._first = {}
            for index, passage_shingles in reversed(self._claims):  # earlier passages overwrite later ones
                self._first.update(dict.fromkeys(passage_shingles, index))
            self._claims = []
        return self._first

    def best_source(self, passage_shingles: set[int], shared: set[int] | None = None) -> int | None:
        """The passage sharing most shingles, when the shared ones cover the passage."""
        if shared is None:
            shared = passage_shingles & self.seen
        if not shared or len(shared) < COVERED * len(passage_shingles):
            return None
        counts = Counter(self.first[shingle] for shingle in shared)
        # Ties go to the earliest passage: the order of a set of hashes changes from one
        # process to the next (Python salts string hashes), and so would the answer.
        return max(counts, key=lambda index: (counts[index], -index))


def _mark_excerpts(shingles, excerpts, repeats) -> None:
    if not any(excerpt and s for excerpt, s in zip(excerpts, shingles, strict=True)):
        return
    owners = _Owners()
    for index, passage_shingles in enumerate(shingles):
        if passage_shingles and not excerpts[index]:
            owners.claim(passage_shingles, index)
    for index, passage_shingles in enumerate(shingles):
        if passage_shingles and excerpts[index]:
            repeats[index] = owners.best_source(passage_shingles)


def _mark_partial_repeats(shingles, excerpts, repeats) -> None:
    owners = _Owners()
    for index, passage_shingles in enumerate(shingles):
        if not passage_shingles or excerpts[index] and repeats[index] is not None:
            continue
        shared = passage_shingles & owners.seen
        source = owners.best_source(passage_shingles, shared)
        if source is None:
            if shared:
                _mark_held(owners, shared, shingles, index, repeats)
            owners.claim(passage_shingles, index)
        else:
            repeats[index] = source


def _mark_held(owners: _Owners, shared: set[int], shingles, holder: int, repeats) -> None:
    """Earlier, shorter passages that this one holds mostly (a pull quote set ahead of the
    paragraph it quotes) point at it."""
    counts = Counter(owners.first[shingle] for shingle in shared)
    for earlier, count in counts.items():
        size = len(shingles[earlier])
        if repeats[earlier] is None and size <= MAX_QUOTE_SHINGLES and size < len(shingles[holder]):
            if count >= COVERED * size:
                repeats[earlier] = holder


def _mark_short_repeats(words, quotes, candidates, repeats) -> None:
    """A pull quote too short for shingles (three to six words, "NO FAT IS PURE SATURATED FAT"),
    found word for word inside a longer passage, points at it. The word sequences of each length
    wanted are gathered once (time in proportion to the document, however many quotes)."""
    short = [
        index
        for index, passage_words in enumerate(words)
        if quotes[index] and repeats[index] is None and MIN_SHORT_QUOTE <= len(passage_words) < SHORT_QUOTE_LIMIT
    ]
    if not short:
        return
    for size in sorted({len(words[index]) for index in short}):
        holders: dict[tuple[str, ...], int] = {}
        for other, other_words in enumerate(words):
            if candidates[other] and repeats[other] is None and len(other_words) > size:
                for at in range(len(other_words) - size + 1):
                    holders.setdefault(tuple(other_words[at : at + size]), other)
        for index in short:
            if len(words[index]) == size:
                repeats[index] = holders.get(tuple(words[index]))
