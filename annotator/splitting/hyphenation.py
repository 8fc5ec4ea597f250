"""Words broken across a line or page end: `bil-` + `lions` is `billions`, while a compound
broken at its own hyphen keeps it (`pro-` + `democracy`, `Iranian-` + `American`).

Case does not change the decision: `ISTAN-` + `BUL` is `ISTANBUL` as `Wash-` + `ington` is
`Washington`. A capitalised continuation after a lower-case or capitalised start (`pro-` +
`Western`, `Iranian-` + `American`, `Jean-` + `Pierre`) is a compound of names unless the
joined word is a known one and likelier than the compound.
"""

import re
from functools import lru_cache

_TRAILING_WORD = re.compile(r"(\w+)[-\u2010]$")
_LEADING_WORD = re.compile(r"^\w+")
HYPHENS = "-\u2010"
# Zipf frequency from which a word is taken to be a real English word (about 1 in 10 million).
KNOWN_WORD_ZIPF = 2.0
# wordfreq scores a hyphenated form by its parts, so a compound of common words outscores
# most closed words: a known joined word is taken unless the compound is this much (in Zipf
# units, ~30 times) more frequent ("middle-class", "co-founder", "self-defense" keep their
# hyphen; "AIPAC", "delisting" are joined).
COMPOUND_MARGIN = 1.5


def ends_with_hyphen_break(text: str) -> bool:
    """The line ends in a hyphen glued to a letter (`bil-`), not a dash (`word -`, `--`)."""
    return len(text) >= 2 and text[-1] in HYPHENS and text[-2].isalpha()


def drop_hyphen(left_text: str, right_text: str) -> bool:
    """Whether the hyphen ending `left_text` is a line-break hyphen to remove when joining
    `right_text`: the hyphen goes when the joined form is at least as common as the compound,
    or a known English word not far rarer than it (unknown words on both sides, e.g. in other
    languages, are joined). A numeric side keeps it (`COVID-` + `19`)."""
    left, right = _TRAILING_WORD.search(left_text), _LEADING_WORD.match(right_text)
    if left is None or right is None:
        return False
    start, rest = left.group(1), right.group()
    if not rest[0].isalpha() or not start[-1].isalpha():
        return False
    if rest[0].isupper() and not (start.isupper() and len(start) > 1):
        return _joined_is_known(start.lower(), rest.lower())
    return _joined_is_likelier(start.lower(), rest.lower())


def continuation_case(left_text: str, piece: str) -> str:
    """The continuation of a rejoined word in the case of its start: `MOVE-` + `Ment` reads
    `MOVEMENT` (small capitals set as a capital and lower case letters by PDF extraction)."""
    left, right = _TRAILING_WORD.search(left_text), _LEADING_WORD.match(piece)
    if left is None or right is None or not left.group(1).isupper() or len(left.group(1)) < 2:
        return piece
    word = right.group()
    if word.isupper() or not word[0].isupper():
        return piece
    return word.upper() + piece[len(word) :]


@lru_cache(maxsize=4096)
def _joined_is_likelier(left: str, right: str) -> bool:
    from wordfreq import zipf_frequency  # loads its word list on first use only

    joined, hyphenated = zipf_frequency(left + right, "en"), zipf_frequency(f"{left}-{right}", "en")
    return joined >= hyphenated or joined >= KNOWN_WORD_ZIPF and joined >= hyphenated - COMPOUND_MARGIN


@lru_cache(maxsize=4096)
def _joined_is_known(left: str, right: str) -> bool:
    from wordfreq import zipf_frequency

    joined = zipf_frequency(left + right, "en")
    return joined >= KNOWN_WORD_ZIPF and joined >= zipf_frequency(f"{left}-{right}", "en")
