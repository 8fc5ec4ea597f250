"""How far each document of a project is, a page at a time.

Pages are found by keyset (the documents after a given id), so a page costs the same far down a
long list as at its start, and its progress comes from one grouped query over the passages of
just the documents on it.
"""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage
from annotator.projects.models import Project


@dataclass(frozen=True)
class DocumentProgress:
    id: int
    external_id: str
    title: str
    passages: int  # annotatable passages
    complete: int  # with labels from k annotators (or more)
    started: int  # with at least one label


def document_page(
    session: so.Session, project: Project, after: int | None, size: int
) -> tuple[list[DocumentProgress], int | None]:
    """The project's documents in import order after the document `after` (from the start when
    None), at most `size` of them, with their progress; and the cursor of the next page, None
    on the last."""
    documents = session.execute(
        sa.select(Document.id, Document.external_id, Document.title)
        .where(Document.project_id == project.id, Document.id > (after or 0))
        .order_by(Document.id)
        .limit(size + 1)
    ).all()
    page = documents[:size]
    counts = _passage_counts(session, [document.id for document in page], project.overlap_k)
    rows = [
        DocumentProgress(document.id, document.external_id, document.title, *counts.get(document.id, (0, 0, 0)))
        for document in page
    ]
    return rows, page[-1].id if len(documents) > size else None


def _passage_counts(session: so.Session, document_ids: list[int], overlap_k: int) -> dict[int, tuple[int, int, int]]:
    """Per document: annotatable passages, those labelled by k annotators, those labelled at all."""
    if not document_ids:
        return {}
    rows = session.execute(
        sa.select(
            Passage.document_id,
            sa.func.count(),
            sa.func.count(sa.case((Passage.label_count >= overlap_k, 1))),
            sa.func.count(sa.case((Passage.label_count >= 1, 1))),
        )
        .where(Passage.document_id.in_(document_ids), Passage.annotatable)
        .group_by(Passage.document_id)
    )
    return {document_id: (passages, complete, started) for document_id, passages, complete, started in rows}
