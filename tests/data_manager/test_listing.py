"""A project's documents: counted, sorted by each key both ways, paged by cursor."""

import pytest
import sqlalchemy as sa

from annotator.data_manager.listing import SORT_COLUMNS, DocumentSort, list_documents
from annotator.documents.models import Document
from annotator.domain_errors import Invalid
from annotator.extensions import db


def listed(project, sort="id", size=50, cursor=None):
    return list_documents(db.session, project, DocumentSort.parse(sort), cursor, size)


def test_each_document_shows_its_passages_counted_and_its_progress(corpus):
    documents = {document.external_id: document for document in listed(corpus).documents}
    bridges, parks, repeats = documents["bridges"], documents["parks"], documents["repeats"]
    assert (bridges.passages.annotatable, bridges.passages.complete, bridges.passages.started) == (4, 3, 4)
    assert (parks.passages.annotatable, parks.passages.excluded, parks.passages.complete) == (2, {"manual": 1}, 0)
    assert (repeats.passages.annotatable, repeats.passages.excluded, repeats.passages.repeats) == (
        1,
        {"duplicate": 1},
        1,
    )
    assert bridges.size == len(open_text("bridges")) and bridges.passage_count == 4
    assert bridges.imported_by is None and bridges.withdrawn_at is None


def open_text(external_id: str) -> str:
    return db.session.scalar(sa.select(Document.raw_text).where(Document.external_id == external_id))


@pytest.mark.parametrize("key", list(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_key_both_ways_paged_one_by_one(corpus, key, descending):
    db.session.execute(sa.update(Document).where(Document.external_id == "parks").values(title="Zebra crossings"))
    db.session.commit()
    sort = ("-" if descending else "") + key
    seen, cursor = [], None
    for _ in range(10):
        page = listed(corpus, sort, size=1, cursor=cursor)
        seen += page.documents
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = sorted(seen, key=lambda document: (getattr(document, key), document.id), reverse=descending)
    assert [d.id for d in seen] == [d.id for d in expected] and len(seen) == 3


def test_ties_are_broken_by_id_so_no_page_repeats_or_skips_a_document(corpus):
    db.session.execute(sa.update(Document).values(size=100))
    db.session.commit()
    first = listed(corpus, "-size", size=2)
    second = listed(corpus, "-size", size=2, cursor=first.next_cursor)
    assert [d.id for d in first.documents + second.documents] == sorted(
        db.session.scalars(sa.select(Document.id)), reverse=True
    )


def test_a_cursor_of_another_sort_or_garbage_starts_from_the_beginning(corpus):
    by_size = listed(corpus, "size", size=1)
    assert (
        listed(corpus, "title", size=1, cursor=by_size.next_cursor).documents
        == listed(corpus, "title", size=1).documents
    )
    assert listed(corpus, "size", size=1, cursor="%%%").documents == by_size.documents


def test_an_unknown_sort_is_refused():
    with pytest.raises(Invalid, match="sort must be one of"):
        DocumentSort.parse("raw_text")
