"""The corrections' projects: an admin, an annotator and documents whose passages the splitter
keeps whole, imported through the real importer."""

import pytest
import sqlalchemy as sa

from annotator.documents.models import Document, Passage
from annotator.extensions import db

# Three paragraphs; the second is two sentences that a split cuts apart at SENTENCE_BREAK.
STORY = (
    "The council met on Tuesday and agreed a budget for new cycle lanes across the city centre.\n\n"
    "Officials said the lanes would cost four million pounds. Residents of the eastern wards "
    "objected to the loss of parking on their streets.\n\n"
    "A final decision on the route is expected at the next meeting of the transport committee.\n"
)
SENTENCE_BREAK = "pounds. "


@pytest.fixture
def admin(make_user):
    return make_user("root", "admin")


@pytest.fixture
def story(make_project, import_texts, write_file):
    """A project (k = 2) with the three-paragraph story; returns the project."""
    project = make_project("Story", overlap_k=2)
    import_texts(project, [write_file("story.txt", STORY)])
    return project


def passages_of(project) -> list[Passage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Passage).where(Passage.project_id == project.id).order_by(Passage.document_id, Passage.index)
        )
    )


def document_of(project) -> Document:
    return db.session.scalar(sa.select(Document).where(Document.project_id == project.id).order_by(Document.id))
