"""Importing gold from JSON Lines (`annotator import-annotations --gold`): one known answer per
line, `{"passage_id": 12}` or `{"document_id": "d7", "index": 3}`, plus `"labels"`, and
optionally `"explanation"` and `"onboarding": true`. Each line is checked on its own: a bad line
is reported as `FILE:LINE: message` and the others go in; importing a line again replaces that
passage's gold answer. Services flush; the caller commits."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage
from annotator.domain_errors import DomainError
from annotator.json_input import parse_json
from annotator.projects.models import Project
from annotator.quality.gold import add_imported_gold
from annotator.untrusted_text import has_nul

MAX_LINE_BYTES = 1 << 20


@dataclass
class GoldImportCounts:
    imported: int = 0
    rejected: int = 0


def import_gold(session: so.Session, project: Project, path: Path, counts: GoldImportCounts) -> Iterator[str]:
    """Import the file's gold answers; yields one `FILE:LINE: message` per refused line."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            problem = _import_line(session, project, line)
            if problem is None:
                counts.imported += 1
            else:
                counts.rejected += 1
                yield f"{path.name}:{number}: {problem}"


def _import_line(session, project: Project, line: bytes) -> str | None:
    try:
        record = parse_json(line, MAX_LINE_BYTES)
        problem = _shape_problem(record)
        if problem is not None:
            return problem
        passage_id = _passage_of(session, project, record)
        if passage_id is None:
            return "no such passage in this project"
        with session.begin_nested():
            add_imported_gold(
                session, project, passage_id, record["labels"], record.get("explanation") or "", record["onboarding"]
            )
    except DomainError as error:
        return str(error)
    return None


def _shape_problem(record) -> str | None:
    if not isinstance(record, dict) or has_nul(record):
        return "a line must be a JSON object without NUL characters"
    if not isinstance(record.get("labels"), dict):
        return '"labels" must be an object of field names to values'
    if not isinstance(record.get("explanation") or "", str):
        return '"explanation" must be text'
    record["onboarding"] = record.get("onboarding", False)
    if not isinstance(record["onboarding"], bool):
        return '"onboarding" must be true or false'
    if isinstance(record.get("passage_id"), int) and not isinstance(record["passage_id"], bool):
        return None
    if isinstance(record.get("document_id"), (str, int)) and isinstance(record.get("index"), int):
        return None
    return 'give "passage_id", or "document_id" and "index" (an integer)'


def _passage_of(session, project: Project, record: dict) -> int | None:
    if "passage_id" in record:
        query = sa.select(Passage.id).where(Passage.id == record["passage_id"], Passage.project_id == project.id)
    else:
        query = (
            sa.select(Passage.id)
            .join(Document, Document.id == Passage.document_id)
            .where(
                Document.project_id == project.id,
                Document.external_id == str(record["document_id"]),
                Passage.index == record["index"],
            )
        )
    return session.scalar(query)
