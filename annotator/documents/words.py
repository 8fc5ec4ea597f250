"""Loading a passage's words (annotator/splitting/words.py) from the database, reading only the
passage's own stretch of its document's raw text."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage
from annotator.splitting.words import PassageWords, passage_words

_WORDS_QUERY = sa.select(
    Passage.id,
    Passage.text,
    Passage.start,
    Passage.end,
    sa.func.substr(Document.raw_text, Passage.start + 1, Passage.end - Passage.start),
).join(Document, Document.id == Passage.document_id)


def words_of_passage(session: so.Session, passage_id: int) -> PassageWords | None:
    """A passage's words, reading only its own stretch of the document's raw text."""
    return words_of_passages(session, [passage_id]).get(passage_id)


def words_of_passages(session: so.Session, passage_ids: list[int]) -> dict[int, PassageWords]:
    """The words of several passages (an import's or an export's chunk), by passage id."""
    found = {}
    for chunk_start in range(0, len(passage_ids), 500):
        chunk = passage_ids[chunk_start : chunk_start + 500]
        for passage_id, text, start, end, raw_slice in session.execute(_WORDS_QUERY.where(Passage.id.in_(chunk))):
            found[passage_id] = PassageWords(passage_id, text, start, end, passage_words(text, raw_slice, start))
    return found
