"""Importing files uploaded in the browser, through the same importer as the command line."""

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy.orm as so
from werkzeug.utils import secure_filename

from annotator.importing.service import ImportOutcome, ImportSettings, import_paths
from annotator.projects.models import Project

UNUSABLE_NAME = 'no usable file name: rename the file with letters A-Z, digits, "-" or "_" and upload it again'


@dataclass(frozen=True)
class ImportReport:
    """Every outcome of an upload, files named as uploaded."""

    outcomes: list[ImportOutcome]

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def summary(self) -> str:
        passages = sum(outcome.passages for outcome in self.outcomes)
        return (f"{self.count('imported')} imported ({passages} passages), "
                f"{self.count('skipped')} skipped as identical, {self.count('rejected')} rejected")


def import_uploads(session: so.Session, project: Project, uploads: Sequence[tuple[str, BinaryIO]],
                   settings: ImportSettings) -> ImportReport:
    """Import (file name, content) uploads. Each is written to a temporary folder of its own
    under a safe version of its name, which keeps the extension that names its format; the
    outcomes and the documents' source name the file as uploaded. Flushes; the caller commits."""
    outcomes: list[ImportOutcome] = []
    with tempfile.TemporaryDirectory(prefix="annotator-upload-") as folder:
        names: dict[Path, str] = {}
        for number, (name, content) in enumerate(uploads):
            path = _saved(Path(folder, str(number)), name, content)
            if path is None:
                outcomes.append(ImportOutcome("rejected", name, None, UNUSABLE_NAME))
            else:
                names[path] = name
        outcomes += import_paths(session, project, list(names), settings, names)
    return ImportReport(_in_upload_order(outcomes, [name for name, _ in uploads]))


def _in_upload_order(outcomes: list[ImportOutcome], names: list[str]) -> list[ImportOutcome]:
    """The importer reports a file's rejected lines before the documents read with them; the
    table lists files as uploaded and, within a file, by line."""
    position = {name: number for number, name in reversed(list(enumerate(names)))}
    return sorted(outcomes, key=lambda outcome: (position.get(outcome.path, len(names)), outcome.line or 0))


def _saved(folder: Path, name: str, content: BinaryIO) -> Path | None:
    """The upload written to `folder`, or None when its name has nothing safe left, or not
    its extension (a name like "отчёт.txt" becomes just "txt")."""
    safe = secure_filename(name)
    if not safe or Path(safe).suffix.lower() != Path(name).suffix.lower():
        return None
    folder.mkdir()
    path = folder / safe
    with path.open("wb") as file:
        shutil.copyfileobj(content, file)
    return path
