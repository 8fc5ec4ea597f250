"""The `passages` export: one JSON object per passage, streamed in document and passage order."""

from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage

BATCH = 2000


def passage_records(session: so.Session, project_id: int) -> Iterator[dict]:
    """Every passage of the project as a plain record, without loading them all at once."""
    query = (
        sa.select(
            Passage.id,
            Document.external_id,
            Passage.index,
            Passage.text,
            Passage.start,
            Passage.end,
            Passage.annotatable,
            Passage.excluded_reason,
        )
        .join(Document, Document.id == Passage.document_id)
        .where(Passage.project_id == project_id)
        .order_by(Passage.document_id, Passage.index)
        .execution_options(yield_per=BATCH)
    )
    for row in session.execute(query):
        yield {
            "passage_id": row.id,
            "document_id": row.external_id,
            "index": row.index,
            "text": row.text,
            "start": row.start,
            "end": row.end,
            "annotatable": row.annotatable,
            "excluded_reason": row.excluded_reason,
        }
