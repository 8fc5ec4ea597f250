"""Cutting a long paragraph into passages of whole sentences under a length limit."""

from ctypes import byref, c_char_p, c_int, c_int32, create_string_buffer

import blingfire

# BlingFire's own Python wrapper maps byte offsets to characters in a loop over every byte;
# calling the library directly and converting only the offsets we need is ~20x faster.
_library = blingfire.blingfire


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, by a statistical segmenter (BlingFire)."""
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
    spans = [(starts[i], ends[i] + 1) for i in range(sentences)]
    if text.isascii():
        return spans
    return [(_char_offset(encoded, start), _char_offset(encoded, end)) for start, end in spans]


def _char_offset(encoded: bytes, byte_offset: int) -> int:
    """Characters before `byte_offset`, which may point inside a multi-byte character (then
    that character counts, as the offset is an inclusive end)."""
    head = encoded[:byte_offset]
    complete = len(head.decode("utf-8", "ignore"))
    return complete + (1 if byte_offset < len(encoded) and encoded[byte_offset] & 0xC0 == 0x80 else 0)


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
