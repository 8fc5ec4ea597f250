"""Turning a file's bytes into text: UTF-8 when it is UTF-8, the right legacy encoding when
it is not, and a clear refusal for empty or binary files. Mojibake is never produced on
purpose: among plausible decodings the one with the fewest signs of mojibake wins."""

import codecs
import unicodedata
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 1 << 16
# Single-byte encodings of Latin script; among these cp1252 is by far the most common, and
# detectors cannot tell them apart on short text, so they compete on a mojibake score.
_COMMON_PUNCTUATION = set("‘’‚“”„•–—…€™†‡‰‹›ˆ˜«»¡¿°§©®±×÷·¶")


class DecodingError(ValueError):
    """The bytes are not text this importer can take."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str

    @property
    def is_utf8(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig", "ascii")


def decode_bytes(data: bytes) -> Decoded:
    """Decode a whole document; raise DecodingError for empty or binary input."""
    if not data.strip():
        raise DecodingError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding)
    if _looks_binary(data[:SNIFF_BYTES]):
        raise DecodingError("binary file (not text): contains NUL or control bytes")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decode_as(data, detect_legacy_encoding(data[: SNIFF_BYTES * 16]))


def detect_legacy_encoding(sample: bytes) -> str:
    """The most plausible non-UTF-8 encoding of `sample`."""
    from charset_normalizer import from_bytes  # only a file that is not UTF-8 needs the detector

    results = from_bytes(sample)
    candidates = [match.encoding for match in list(results)[:5]]
    best = candidates[0] if candidates else None
    if best is not None and _mostly_other_script(str(results.best())):
        return best
    scored = []
    for rank, encoding in enumerate(["cp1252"] + [c for c in candidates if c != "cp1252"]):
        try:
            scored.append((_mojibake_score(sample.decode(encoding)), rank, encoding))
        except UnicodeDecodeError:
            continue
    if not scored:
        raise DecodingError("not text in any known encoding")
    return min(scored)[2]


def _decode_as(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise DecodingError(f"cannot be decoded as {encoding}") from None
    if not text.strip():
        raise DecodingError("empty file")
    return Decoded(text, codecs.lookup(encoding).name)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = sum(head.count(bytes([byte])) for byte in (*range(1, 9), 14, 15, *range(16, 27), *range(28, 32)))
    return control > len(head) * 0.05


_OTHER_SCRIPTS = (
    "CYRILLIC",
    "GREEK",
    "ARABIC",
    "HEBREW",
    "CJK",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "THAI",
    "DEVANAGARI",
    "ARMENIAN",
    "GEORGIAN",
)


def _mostly_other_script(text: str) -> bool:
    """Whether the non-ASCII letters are mostly of a script other than Latin: then the
    detector's choice among encodings of that script stands."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    other = sum(unicodedata.name(c, "").startswith(_OTHER_SCRIPTS) for c in letters)
    return bool(letters) and other >= 0.5 * len(letters)


def _mojibake_score(text: str) -> float:
    """Signs of a wrong legacy decoding: symbols glued inside words, letters from outside
    Latin-1, and a text whose letters are mostly accented."""
    score = 0.0
    accented = letters = 0
    previous = " "
    for position, char in enumerate(text):
        code = ord(char)
        if char.isalpha():
            letters += 1
            if code > 127:
                accented += 1
                if code > 0xFF:
                    score += 1
        elif code > 127 and char not in _COMMON_PUNCTUATION and not char.isspace():
            following = text[position + 1 : position + 2]
            score += 3 if previous.isalpha() and following.isalpha() else 1
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f":
            score += 3
        previous = char
    if letters and accented > 0.3 * letters:
        score += accented
    return score
