"""How far each document of a project is, a page at a time.

Pages are found by keyset (the documents after a given id), so a page costs the same far down a
long list as at its start, and its progress comes from one grouped query over the passages of
just the documents on it.
"""

from dataclasses import dataclass, field

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
    tallies = passage_tallies(session, [document.id for document in page], project.overlap_k)
    rows = [
        DocumentProgress(
            document.id, document.external_id, document.title, *tallies.get(document.id, PassageTally()).progress
        )
        for document in page
    ]
    return rows, page[-1].id if len(documents) > size else None


@dataclass(frozen=True)
class PassageTally:
    """A document's passages, counted."""

    annotatable: int = 0
    complete: int = 0  # annotatable, with all the labels it needs (k, more when it was given more)
    started: int = 0  # annotatable, with at least one label
    excluded: dict[str, int] = field(default_factory=dict)  # per reason (annotator.documents.models.EXCLUDED_REASONS)
    repeats: int = 0  # passages that repeat an earlier one (excluded as "duplicate" or not)

    @property
    def progress(self) -> tuple[int, int, int]:
        return self.annotatable, self.complete, self.started


def passage_tallies(session: so.Session, document_ids: list[int], overlap_k: int) -> dict[int, PassageTally]:
    """Per document (of these, a page of them): its passages counted, in one grouped query over
    just their passages (along the unique index on document and position)."""
    if not document_ids:
        return {}
    rows = session.execute(
        sa.select(
            Passage.document_id,
            Passage.excluded_reason,
            sa.func.count(),
            sa.func.count(sa.case((Passage.label_count >= overlap_k + Passage.extra_labels, 1))),  # all it needs
            sa.func.count(sa.case((Passage.label_count >= 1, 1))),
            sa.func.count(Passage.duplicate_of_id),
        )
        .where(Passage.document_id.in_(document_ids))
        .group_by(Passage.document_id, Passage.excluded_reason)
    )
    counted: dict[int, dict] = {}
    for document_id, reason, passages, complete, started, repeats in rows:
        tally = counted.setdefault(document_id, {"excluded": {}, "repeats": 0})
        tally["repeats"] += repeats
        if reason is None:
            tally.update(annotatable=passages, complete=complete, started=started)
        else:
            tally["excluded"][reason] = passages
    return {document_id: PassageTally(**tally) for document_id, tally in counted.items()}
