"""Finding a passage or document within the project it was asked for under: one of another
project is not there (NotFound), whoever asks."""

import sqlalchemy.orm as so

from annotator.documents.context import document_heading
from annotator.documents.models import Passage
from annotator.domain_errors import NotFound


class NoSuchPassage(NotFound):
    """No passage by that id in this project."""


def passage_in(session: so.Session, project_id: int, passage_id: int) -> Passage:
    """The passage, if it belongs to the project (a passage of another project is not there)."""
    passage = session.get(Passage, passage_id)
    if passage is None or passage.project_id != project_id:
        raise NoSuchPassage(f"passage {passage_id} not found in this project")
    return passage


class NoSuchDocument(NotFound):
    """No document by that id in this project."""


def document_heading_in(session: so.Session, project_id: int, document_id: int):
    """The document's heading (documents.context.document_heading), if it belongs to the project."""
    heading = document_heading(session, document_id)
    if heading is None or heading.project_id != project_id:
        raise NoSuchDocument(f"document {document_id} not found in this project")
    return heading
