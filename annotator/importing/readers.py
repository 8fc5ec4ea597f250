"""Reading documents out of files, one format each, streaming: a reader yields each document
(or the reason a line or file is rejected) as it goes, so memory does not grow with input."""

import codecs
import csv
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotator.documents.models import Document
from annotator.importing.decoding import Decoded, DecodingError, decode_bytes, detect_legacy_encoding
from annotator.json_input import JsonRefused, megabytes, parse_json
from annotator.untrusted_text import NUL_REFUSED, has_nul

FORMATS = ("txt", "jsonl", "csv", "html")
MAX_ID_CHARS = Document.__table__.c.external_id.type.length
_EXTENSIONS = {
    ".txt": "txt",
    ".md": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}
_STREAM_CHUNK = 1 << 20


@dataclass(frozen=True)
class SourceDocument:
    external_id: str
    text: str
    line: int | None
    title: str = ""  # as the file gives it (a jsonl "title", an HTML page's title); "" when it gives none
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    line: int | None
    message: str


@dataclass(frozen=True)
class ReadOptions:
    max_document_bytes: int
    text_column: str = "text"
    id_column: str = "id"


@dataclass(frozen=True)
class Notice:
    line: int | None
    message: str


Item = SourceDocument | Rejection | Notice


def format_of(path: Path, requested: str = "auto") -> str:
    """The format to read `path` as: the requested one, or the one its extension names."""
    if requested != "auto":
        return requested
    try:
        return _EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise DecodingError(f'unknown file type "{path.suffix}" (use --format {"|".join(FORMATS)})') from None


def read_documents(path: Path, fmt: str, options: ReadOptions) -> Iterator[Item]:
    """Every document in the file, or a Rejection naming the line and the problem."""
    readers = {"txt": _read_text_file, "html": _read_html_file, "jsonl": _read_jsonl, "csv": _read_csv}
    try:
        for item in readers[fmt](path, options):
            yield _checked(item)
    except DecodingError as error:
        yield Rejection(None, str(error))


def _checked(item: Item) -> Item:
    """A document whose id, text, title or meta cannot be stored becomes a Rejection."""
    if not isinstance(item, SourceDocument):
        return item
    if len(item.external_id) > MAX_ID_CHARS:
        return Rejection(
            item.line, f"the id is {len(item.external_id):,} characters long, over the limit of {MAX_ID_CHARS}"
        )
    for name, value in (("id", item.external_id), ("text", item.text), ("title", item.title), ("meta", item.meta)):
        if has_nul(value):
            return Rejection(item.line, f"the {name} {NUL_REFUSED}")
    return item


def stored_size(document: SourceDocument) -> int:
    """The bytes a document takes in the database, its title and meta included (a CSV row of
    1,000,000 columns was 15.9 MB of meta beside a short text)."""
    meta = len(orjson.dumps(document.meta)) if document.meta else 0
    return len(document.text.encode()) + len(document.title.encode()) + meta


def _whole_file(path: Path, options: ReadOptions) -> Decoded:
    size = path.stat().st_size
    if size > options.max_document_bytes:
        raise DecodingError(f"document is {megabytes(size)}, over the limit of {megabytes(options.max_document_bytes)}")
    return decode_bytes(path.read_bytes())


def _read_text_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    decoded = _whole_file(path, options)
    if not decoded.is_utf8:
        yield Notice(None, f"not UTF-8: decoded as {decoded.encoding}")
    yield SourceDocument(path.stem, decoded.text, None, "", _encoding_meta(decoded))


def _read_html_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    from annotator.importing.html import main_text  # trafilatura is slow to import

    decoded = _whole_file(path, options)
    text, title = main_text(decoded.text)
    if not text.strip():
        raise DecodingError("no main text found in the HTML page")
    yield SourceDocument(path.stem, text, None, title, {"format": "html", **_encoding_meta(decoded)})


def _read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    with _text_stream(path) as (stream, decoded_as):
        if decoded_as:
            yield Notice(None, f"not UTF-8: decoded as {decoded_as}")
        empty = True
        for number, line in _bounded_lines(stream, options.max_document_bytes):
            if line is None:
                empty = False
                yield _over_the_limit(number, options)
            elif line.strip():
                empty = False
                yield _jsonl_document(line, number, options)
        if empty:
            raise DecodingError("empty file")


def _bounded_lines(stream: io.TextIOBase, max_chars: int) -> Iterator[tuple[int, str | None]]:
    """(number, line) for each line of the stream; a line longer than `max_chars` is skipped
    unread (its line is None), so that one endless line cannot fill the memory."""
    for number in itertools.count(1):
        line = stream.readline(max_chars + 1)
        if not line:
            return
        if len(line) > max_chars and not line.endswith("\n"):
            while (rest := stream.readline(_STREAM_CHUNK)) and not rest.endswith("\n"):
                pass
            yield number, None
        else:
            yield number, line


def _jsonl_document(line: str, number: int, options: ReadOptions) -> Item:
    if len(line) > options.max_document_bytes and len(line.encode()) > options.max_document_bytes:
        return _over_the_limit(number, options)
    try:
        record = parse_json(line, options.max_document_bytes)
    except JsonRefused as error:
        return Rejection(number, str(error))
    if not isinstance(record, dict):
        return Rejection(number, 'a line must be a JSON object with "id" and "text"')
    problem = _record_problem(record)
    if problem:
        return Rejection(number, problem)
    return SourceDocument(
        str(record["id"]), record["text"], number, record.get("title") or "", record.get("meta") or {}
    )


def _over_the_limit(number: int, options: ReadOptions) -> Rejection:
    return Rejection(number, f"document is over the limit of {megabytes(options.max_document_bytes)}")


def _record_problem(record: dict) -> str | None:
    if "id" not in record or not isinstance(record["id"], (str, int)) or str(record["id"]).strip() == "":
        return 'missing "id" (a non-empty string or integer)'
    if not isinstance(record.get("text"), str):
        return 'missing "text" (a string)'
    if not record["text"].strip():
        return '"text" is empty'
    if "title" in record and not isinstance(record["title"], (str, type(None))):
        return '"title" must be a string'
    if "meta" in record and not isinstance(record["meta"], (dict, type(None))):
        return '"meta" must be an object'
    return None


def _read_csv(path: Path, options: ReadOptions) -> Iterator[Item]:
    csv.field_size_limit(max(options.max_document_bytes * 4, 1 << 20))
    with _text_stream(path, newline="") as (stream, decoded_as):
        if decoded_as:
            yield Notice(None, f"not UTF-8: decoded as {decoded_as}")
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        if not columns:
            raise DecodingError("empty file")
        for wanted, option in ((options.text_column, "--text-column"), (options.id_column, "--id-column")):
            if wanted not in columns:
                raise DecodingError(f'no column "{wanted}" (columns: {_listed(columns)}; choose with {option})')
        try:
            for row in reader:
                yield _csv_document(row, reader.line_num, options)
        except csv.Error as error:
            yield Rejection(reader.line_num, f"malformed CSV: {error}")


def _listed(columns: list[str], shown: int = 20) -> str:
    more = f" and {len(columns) - shown:,} more" if len(columns) > shown else ""
    return ", ".join(columns[:shown]) + more


def _csv_document(row: dict, line: int, options: ReadOptions) -> Item:
    text, external_id = row.get(options.text_column), row.get(options.id_column)
    if None in row or text is None:
        return Rejection(line, "row has a different number of fields than the header")
    if not (external_id or "").strip():
        return Rejection(line, f'empty id in column "{options.id_column}"')
    if not text.strip():
        return Rejection(line, f'empty text in column "{options.text_column}"')
    if len(text) > options.max_document_bytes // 4 and len(text.encode()) > options.max_document_bytes:
        return _over_the_limit(line, options)
    meta = {key: value for key, value in row.items() if key not in (options.text_column, options.id_column)}
    return SourceDocument(external_id.strip(), text, line, "", meta)


class _text_stream:
    """Open a file as text, streaming: UTF-8 when the whole file is valid UTF-8 (checked in
    one incremental pass), else the detected legacy encoding, reported to the caller."""

    def __init__(self, path: Path, newline: str | None = None):
        self.path, self.newline = path, newline

    def __enter__(self) -> tuple[io.TextIOBase, str | None]:
        encoding, reported = self._encoding()
        self.stream = open(self.path, encoding=encoding, newline=self.newline)
        return self.stream, reported

    def __exit__(self, *exc) -> None:
        self.stream.close()

    def _encoding(self) -> tuple[str, str | None]:
        with open(self.path, "rb") as raw:
            head = raw.read(_STREAM_CHUNK)
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig", None
            if b"\x00" in head[:65536]:
                raise DecodingError("binary file (not text): contains NUL bytes")
            if _valid_utf8(head, raw):
                return "utf-8", None
        with open(self.path, "rb") as raw:
            encoding = detect_legacy_encoding(raw.read(_STREAM_CHUNK))
        return encoding, encoding


def _valid_utf8(head: bytes, rest: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    try:
        while chunk:
            decoder.decode(chunk)
            chunk = rest.read(_STREAM_CHUNK)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_meta(decoded: Decoded) -> dict[str, str]:
    return {} if decoded.is_utf8 else {"decoded_from": decoded.encoding}


def file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
