"""Files uploaded in the browser: the names they are saved and shown under, and the report of
their import (the import itself is a background job: annotator/importing/jobs.py).

An upload's name is the browser's to choose, so it is written to disk under a safe version
of it: no folder parts, letters (of any script), digits, "-", "_" and inner dots, at most
200 bytes (a name of 256 characters could not be written: a 500, and no file imported).
The outcomes and `Document.source` keep the name as uploaded, with control characters
escaped and cut to MAX_SHOWN_CHARS.
"""

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.splitting.titles import shorten
from annotator.untrusted_text import printable

UNUSABLE_NAME = 'no usable file name: rename the file with letters, digits, "-" or "_" and upload it again'
MAX_NAME_BYTES = 200  # file systems take 255
MAX_STEM_CHARS = 100
MAX_SHOWN_CHARS = 255
_UNSAFE = re.compile(r"[^\w.-]+")
_FOLDERS = re.compile(r".*[/\\]")
# Names Windows keeps for devices, with any extension ("CON.txt" too).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10))}


@dataclass(frozen=True)
class ImportReport:
    """Every outcome of an upload, files named as uploaded (ImportOutcome or the job's rows)."""

    outcomes: list

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def summary(self) -> str:
        passages = sum(outcome.passages for outcome in self.outcomes)
        return (
            f"{self.count('imported')} imported ({passages} passages), "
            f"{self.count('skipped')} skipped as identical, {self.count('rejected')} rejected"
        )


def safe_file_name(name: str) -> str | None:
    """The name to write an upload under: its last path part, NFC, with anything but letters,
    digits, "-", "_" and inner dots made "_", its extension kept, a Windows device name
    ("CON") prefixed with "_", and a long name cut, with a hash of the whole name so that two
    long names stay two. None when no letter or digit is left ("...", "#.txt")."""
    base = unicodedata.normalize("NFC", _FOLDERS.sub("", name))
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = re.sub(r"[^0-9A-Za-z]", "", extension)[:16]
    stem = _UNSAFE.sub("_", stem).strip("._-")
    if not any(character.isalnum() for character in stem):
        return None
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    return _within_limits(stem, suffix, name) + suffix


def _within_limits(stem: str, suffix: str, name: str) -> str:
    if len(stem) <= MAX_STEM_CHARS and len((stem + suffix).encode()) <= MAX_NAME_BYTES:
        return stem
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    room = MAX_NAME_BYTES - len(suffix.encode()) - len(digest) - 1
    cut = stem[: MAX_STEM_CHARS - len(digest) - 1]
    while len(cut.encode()) > room:
        cut = cut[:-1]
    return f"{cut.rstrip('._-')}-{digest}"


def shown_name(name: str) -> str:
    """The name as uploaded, as the result table and the document's source show it: control
    characters escaped (a NUL cannot be stored), at most MAX_SHOWN_CHARS characters."""
    return shorten(printable(unicodedata.normalize("NFC", name)), MAX_SHOWN_CHARS)


def save_upload(folder: Path, safe_name: str, content: BinaryIO) -> int:
    """The upload written to a new `folder` under its safe name; returns its size in bytes."""
    folder.mkdir(parents=True)
    path = folder / safe_name
    with path.open("wb") as file:
        shutil.copyfileobj(content, file)
    return path.stat().st_size
