"""Cutting a long paragraph into passages of whole sentences under a length limit."""

import re
from ctypes import byref, c_char_p, c_int, c_int32, create_string_buffer

import blingfire

# BlingFire's own Python wrapper maps byte offsets to characters in a loop over every byte;
# calling the library directly and converting only the offsets we need is ~20x faster.
_library = blingfire.blingfire
_WORD_CHARACTER = re.compile(r"\w")
# BlingFire and the buffers it fills take about 40 bytes per byte of the text it is given at
# once (a paragraph of 6,000,000 Chinese characters took 680 MB to split), so a longer text
# goes to it a window at a time. Its decisions look a few hundred characters ahead at most
# (its longest token is 300), so the sentences ending in a window's last WINDOW_MARGIN
# characters are left to the next window, which starts where the first of them does.
SEGMENT_WINDOW = 1 << 16
WINDOW_MARGIN = 2_000


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, by a statistical segmenter (BlingFire)."""
    if len(text) <= SEGMENT_WINDOW:
        return _segment(text)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(start + SEGMENT_WINDOW, len(text))
        found = [(start + first, start + last) for first, last in _segment(text[start:end])]
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


def _segment(text: str) -> list[tuple[int, int]]:
    if not _WORD_CHARACTER.search(text):
        # Punctuation and symbols only: no sentence to find, and BlingFire spends about 50
        # times longer per character on runs of them (a page of dots) than on prose.
        end = len(text.rstrip())
        return [(len(text) - len(text.lstrip()), end)] if end else []
    encoded = text.encode("utf-8")
    capacity = 2 * len(encoded) + 16
    output = create_string_buffer(capacity)
    starts, ends = (c_int32 * capacity)(), (c_int32 * capacity)()
    count = _library.TextToSentencesWithOffsets(
        c_char_p(encoded), c_int(len(encoded)), byref(output), byref(starts), byref(ends), c_int(capacity)
    )
    if count <= 0 or count > capacity:
        return [(0, len(text))] if text.strip() else []
    sentences = output.value.count(b"\n") + 1
    offsets = [offset for start, end in zip(starts[:sentences], ends[:sentences], strict=True) for offset in (start, end + 1)]
    if not text.isascii():
        offsets = _char_offsets(encoded, offsets)
    return list(zip(offsets[::2], offsets[1::2], strict=True))


def _char_offsets(encoded: bytes, byte_offsets: list[int]) -> list[int]:
    """The ascending byte offsets of sentence starts and ends (BlingFire's are always on a
    character boundary) as character offsets: one pass over the text, whatever the number of
    offsets (decoding from the start for each offset made a long paragraph of non-ASCII text
    take quadratic time)."""
    chars: list[int] = []
    count = previous = 0
    for offset in byte_offsets:
        if offset < previous:  # not ascending after all: count from the start
            count = previous = 0
        try:
            count += len(encoded[previous:offset].decode("utf-8"))
        except UnicodeDecodeError:  # inside a character (an inclusive end): that character counts
            offset = _next_boundary(encoded, offset)
            count += len(encoded[previous:offset].decode("utf-8"))
        previous = offset
        chars.append(count)
    return chars


def _next_boundary(encoded: bytes, offset: int) -> int:
    while offset < len(encoded) and encoded[offset] & 0xC0 == 0x80:
        offset += 1
    return offset


def pack_sentences(text: str, max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into spans of at most `max_chars`; a fragment shorter than
    `min_chars` joins a neighbour when the two fit together; a sentence longer than
    `max_chars` is cut at whitespace."""
    pieces: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        pieces += _cut_long(text, start, end, max_chars)
    chunks: list[list[int]] = []
    for start, end in pieces:
        if chunks and end - chunks[-1][0] <= max_chars:
            chunks[-1][1] = end
        else:
            chunks.append([start, end])
    return _absorb_fragments(chunks, max_chars, min_chars)


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    spans.append((start, end))
    return spans


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
