"""Words broken across a line or page end: `bil-` + `lions` is `billions`, while a compound
broken at its own hyphen keeps it (`pro-` + `democracy`, `Iranian-` + `American`)."""

import re
from functools import lru_cache

_TRAILING_WORD = re.compile(r"(\w+)[-\u2010]$")
_LEADING_WORD = re.compile(r"^\w+")
HYPHENS = "-\u2010"
# Zipf frequency from which a word is taken to be a real English word (about 1 in 10 million).
KNOWN_WORD_ZIPF = 2.0


def ends_with_hyphen_break(text: str) -> bool:
    """The line ends in a hyphen glued to a letter (`bil-`), not a dash (`word -`, `--`)."""
    return len(text) >= 2 and text[-1] in HYPHENS and text[-2].isalpha()


def drop_hyphen(left_text: str, right_text: str) -> bool:
    """Whether the hyphen ending `left_text` is a line-break hyphen to remove when joining
    `right_text`. A capitalised or numeric continuation keeps it; otherwise the hyphen goes
    when the joined form is an English word, or at least as common as the compound
    (unknown words, e.g. in other languages, are joined)."""
    left, right = _TRAILING_WORD.search(left_text), _LEADING_WORD.match(right_text)
    if left is None or right is None or not right.group()[0].islower():
        return False
    return _joined_is_likelier(left.group(1).lower(), right.group().lower())


@lru_cache(maxsize=4096)
def _joined_is_likelier(left: str, right: str) -> bool:
    from wordfreq import zipf_frequency  # loads its word list on first use only

    joined = zipf_frequency(left + right, "en")
    return joined >= KNOWN_WORD_ZIPF or joined >= zipf_frequency(f"{left}-{right}", "en")
