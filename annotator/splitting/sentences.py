"""Cutting a long paragraph into passages of whole sentences under a length limit."""

import re
from ctypes import byref, c_char, c_char_p, c_int, c_int32
from functools import cache

import blingfire
import numpy

# BlingFire's own Python wrapper maps byte offsets to characters in a loop over every byte;
# calling the library directly and converting only the offsets we need is ~20x faster.
_library = blingfire.blingfire
_WORD_CHARACTER = re.compile(r"\w")
# A full-width full stop, exclamation or question mark directly followed by the next
# sentence (Chinese and Japanese put no space there). BlingFire reads ahead up to 300
# characters from every position of a run without spaces, so a space is shown to it after
# each such mark (never in the text kept): the sentences it finds are the same, in half the
# time (Chinese on one line took 3.3x English's time before).
_FULL_WIDTH_SENTENCE_END = re.compile(r"(?<=[。！？])(?=[^\s。！？」』）】〕”’\"'.!?])")
# BlingFire and the buffers it fills take about 40 bytes per byte of the text it is given at
# once (a paragraph of 6,000,000 Chinese characters took 680 MB to split), so a longer text
# goes to it a window at a time. Its decisions look a few hundred characters ahead at most
# (its longest token is 300), so the sentences ending in a window's last WINDOW_MARGIN
# characters are left to the next window, which starts where the first of them does.
SEGMENT_WINDOW = 1 << 16
WINDOW_MARGIN = 2_000
BUFFER_STEP = 4096


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, by a statistical segmenter (BlingFire)."""
    if len(text) <= SEGMENT_WINDOW:
        return _segment(text)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(start + SEGMENT_WINDOW, len(text))
        found = _segment(text[start:end], start)
        if end == len(text):
            return spans + found
        settled = [span for span in found if span[1] <= end - WINDOW_MARGIN] or found[:1]
        spans += settled
        start = _next_window_start(found, settled, end)
    return spans


def _next_window_start(found: list[tuple[int, int]], settled: list[tuple[int, int]], end: int) -> int:
    """The start of the first sentence left unsettled; a sentence longer than a whole window
    is cut where the window ends."""
    if len(found) > len(settled):
        return found[len(settled)][0]
    return settled[-1][1] if settled else end


def _segment(text: str, shift: int = 0) -> list[tuple[int, int]]:
    """The sentences of `text`, their spans moved by `shift` (where the text starts in a
    longer one)."""
    marks = [] if text.isascii() else [match.start() for match in _FULL_WIDTH_SENTENCE_END.finditer(text)]
    if not marks:
        return _segment_as_given(text, shift)
    found = _segment_as_given(_FULL_WIDTH_SENTENCE_END.sub(" ", text))
    if not found:
        return []
    spaces = numpy.asarray(marks, dtype=numpy.int64) + numpy.arange(len(marks))  # where they stand in the spaced text
    spans = numpy.asarray(found, dtype=numpy.int64)
    starts = spans[:, 0] - numpy.searchsorted(spaces, spans[:, 0], side="right") + shift
    ends = spans[:, 1] - numpy.searchsorted(spaces, spans[:, 1], side="left") + shift
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _segment_as_given(text: str, shift: int = 0) -> list[tuple[int, int]]:
    """BlingFire's sentences of `text` as it stands."""
    if not _WORD_CHARACTER.search(text):
        # Punctuation and symbols only: no sentence to find, and BlingFire spends about 50
        # times longer per character on runs of them (a page of dots) than on prose.
        end = len(text.rstrip())
        return [(shift + len(text) - len(text.lstrip()), shift + end)] if end else []
    encoded = text.encode("utf-8")
    capacity = 2 * len(encoded) + 16
    output, starts, ends = _buffers(capacity)
    count = _library.TextToSentencesWithOffsets(
        c_char_p(encoded), c_int(len(encoded)), byref(output), byref(starts), byref(ends), c_int(capacity)
    )
    if count <= 0 or count > capacity:
        return [(shift, shift + len(text))] if text.strip() else []
    sentences = output.value.count(b"\n") + 1
    byte_starts = numpy.frombuffer(starts, dtype=numpy.int32, count=sentences)
    byte_ends = numpy.frombuffer(ends, dtype=numpy.int32, count=sentences) + 1
    if text.isascii():
        return list(zip((byte_starts + shift).tolist(), (byte_ends + shift).tolist(), strict=True))
    chars_before = _chars_before(encoded) + shift
    return list(zip(chars_before[byte_starts].tolist(), chars_before[byte_ends].tolist(), strict=True))


def _buffers(capacity: int):
    """Zeroed buffers for BlingFire's output and offsets, `capacity` long at least. Their ctypes
    array types are made once per BUFFER_STEP of length (at most 128 of them, as a window is
    at most 2 * 4 * SEGMENT_WINDOW bytes): making one for each length, as create_string_buffer
    does, cost more than segmenting a short paragraph."""
    output_type, offsets_type = _buffer_types(-(-capacity // BUFFER_STEP) * BUFFER_STEP)
    return output_type(), offsets_type(), offsets_type()


@cache
def _buffer_types(size: int) -> tuple[type, type]:
    return c_char * size, c_int32 * size


def _chars_before(encoded: bytes):
    """For each byte offset of the UTF-8 text (its end included), how many characters begin
    before it: an offset inside a multi-byte character counts that character (BlingFire's
    ends are inclusive). One pass over the text, whatever the number of sentences (decoding
    from the start for each one made a long paragraph of non-ASCII text take quadratic time)."""
    begins_a_character = (numpy.frombuffer(encoded, dtype=numpy.uint8) & 0xC0) != 0x80
    return numpy.concatenate(([0], numpy.cumsum(begins_a_character, dtype=numpy.int64)))


def pack_sentences(text: str, max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into spans of at most `max_chars`; a fragment shorter than
    `min_chars` joins a neighbour when the two fit together; a sentence longer than
    `max_chars` is cut where a sentence ends that the segmenter missed, else at clause
    punctuation, else between words (never between two capitalised words of a name)."""
    pieces: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        if end - start <= max_chars:
            pieces.append((start, end))
        else:
            pieces += _cut_long(text, start, end, max_chars)
    chunks: list[list[int]] = []
    for start, end in pieces:
        if chunks and end - chunks[-1][0] <= max_chars:
            chunks[-1][1] = end
        else:
            chunks.append([start, end])
    return _absorb_fragments(chunks, max_chars, min_chars)


# A full stop, question or exclamation mark (closing quotes after it), a space, and a capital
# or opening quote: a sentence end the segmenter may have missed in a very long "sentence".
# Not after an initial or an abbreviation of capitals ("Dell L. Dailey", "U.S. policy").
# PDF extraction also drops the space after a full stop ("the docks.The council").
_MISSED_SENTENCE_END = re.compile(
    r"(?<![\s.][A-Z])(?<!\b[A-Z][a-z])[.!?][\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])"
)
# Clause punctuation, strongest first: a semicolon, colon or dash; then a comma.
_CLAUSE_ENDS = (re.compile(r"[;:](?=\s)|\s[—–-]\s"), re.compile(r",(?=\s)"))
# Cuts that leave less than this share of the limit before them are a last resort.
MIN_CUT_FILL = 0.3


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > max_chars:
        cut = _best_cut(text, start, start + max_chars)
        spans.append((start, len(text[:cut].rstrip())))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    spans.append((start, end))
    return spans


def _best_cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of an over-long sentence that starts at `start`, at most at
    `limit`: the latest missed sentence end, else clause punctuation, else a space that
    is not inside a name, else `limit`."""
    earliest = start + int(MIN_CUT_FILL * (limit - start))
    for pattern in (_MISSED_SENTENCE_END, *_CLAUSE_ENDS):
        found = [match.end() for match in pattern.finditer(text, earliest, limit)]
        if found:
            return found[-1]
    space = text.rfind(" ", start + 1, limit)
    while space > earliest and _inside_name(text, space):
        space = text.rfind(" ", start + 1, space)
    if space > start:
        return space
    return limit


def _inside_name(text: str, space: int) -> bool:
    """The words either side of this space are both capitalised ("State Department")."""
    before = text.rfind(" ", 0, space) + 1
    return text[before : before + 1].isupper() and text[space + 1 : space + 2].isupper()


def _absorb_fragments(chunks: list[list[int]], max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for chunk in chunks:
        if merged and chunk[1] - chunk[0] < min_chars and chunk[1] - merged[-1][0] <= max_chars:
            merged[-1][1] = chunk[1]
        else:
            merged.append(chunk)
    if len(merged) > 1 and merged[0][1] - merged[0][0] < min_chars and merged[1][1] - merged[0][0] <= max_chars:
        merged[1][0] = merged[0][0]
        merged.pop(0)
    return [(start, end) for start, end in merged]
