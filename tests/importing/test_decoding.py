"""Bytes to text: UTF-8, legacy encodings without mojibake, and refusals."""

import pytest

from annotator.importing.decoding import DecodingError, decode_bytes

WESTERN = "The café’s owner said “déjà vu” — prices rose 5% in Zürich and Köln. Naïve readers won’t notice the façade."


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_legacy_text_is_decoded_without_mojibake(encoding):
    text = WESTERN if encoding == "cp1252" else "Grüße aus Köln, sagte er. Die Straße ist schön."
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert not decoded.is_utf8


def test_cyrillic_legacy_text_is_not_read_as_latin():
    text = "Правительство заявило, что цены выросли на десять процентов за последний год. " * 3
    assert decode_bytes(text.encode("cp1251")).text == text


def test_utf8_with_and_without_bom():
    assert decode_bytes(WESTERN.encode("utf-8")).text == WESTERN
    decoded = decode_bytes(b"\xef\xbb\xbf" + WESTERN.encode("utf-8"))
    assert decoded.text == WESTERN and decoded.is_utf8


def test_utf16_with_bom():
    assert decode_bytes(WESTERN.encode("utf-16")).text == WESTERN


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
    ],
)
def test_empty_and_binary_input_is_refused(data, message):
    with pytest.raises(DecodingError, match=message):
        decode_bytes(data)
