"""Finding a passage within the project it was asked for under."""

import sqlalchemy.orm as so

from annotator.documents.models import Passage
from annotator.domain_errors import NotFound


class NoSuchPassage(NotFound):
    """No passage by that id in this project."""


def passage_in(session: so.Session, project_id: int, passage_id: int) -> Passage:
    """The passage, if it belongs to the project (a passage of another project is not there)."""
    passage = session.get(Passage, passage_id)
    if passage is None or passage.project_id != project_id:
        raise NoSuchPassage(f"there is no passage {passage_id} in this project")
    return passage
