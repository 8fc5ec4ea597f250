"""Searching a project's passages: by words on both databases alike, by status, document,
annotator and label value; a page at a time in reading order."""

import pytest

from annotator.data_manager.search import PassageFilters, search_passages
from annotator.domain_errors import Invalid
from annotator.extensions import db


def found(project, size=50, cursor=None, **filters):
    return search_passages(db.session, project, PassageFilters(**filters), cursor, size)


def texts(project, **filters) -> list[str]:
    return [passage.text for passage in found(project, **filters).passages]


def ids(project, **filters) -> list[int]:
    return [passage.id for passage in found(project, **filters).passages]


def test_the_corpus_is_split_as_the_tests_expect(corpus):
    assert [len(corpus.ids[name]) for name in ("bridges", "parks", "repeats")] == [4, 3, 2]


def test_every_word_must_occur(corpus):
    assert ids(corpus, words="bridge council") == [corpus.ids["bridges"][1]]
    assert ids(corpus, words="council") == [
        corpus.ids["bridges"][1],
        *corpus.ids["parks"][:2],
        corpus.ids["repeats"][0],
    ]


def test_words_are_not_stemmed_on_either_database(corpus):
    assert ids(corpus, words="bridges") == [corpus.ids["bridges"][3]]
    assert ids(corpus, words="bridge") == corpus.ids["bridges"][:2]


def test_a_trailing_star_finds_words_beginning_so(corpus):
    assert ids(corpus, words="bridge*") == corpus.ids["bridges"][:2] + [corpus.ids["bridges"][3]]


def test_quoted_words_must_occur_as_a_phrase(corpus):
    assert ids(corpus, words='"new bridge"') == [corpus.ids["bridges"][0]]
    assert ids(corpus, words='"bridge new"') == []
    assert ids(corpus, words='"new parks" council') == [corpus.ids["parks"][0], corpus.ids["repeats"][0]]


def test_case_punctuation_and_diacritics_are_read_alike_on_both_databases(corpus):
    zurich = [corpus.ids["bridges"][2]]
    assert ids(corpus, words="ZÜRICH") == zurich
    assert ids(corpus, words="zurich") == []  # diacritics are kept
    assert ids(corpus, words="naïve example.com") == zurich
    assert ids(corpus, words="3.5 million") == [corpus.ids["bridges"][1]]


@pytest.mark.parametrize(
    "typed", ['"', "*", "AND", "OR NOT", "NEAR(", "'; DROP TABLE passage; --", "((", "bridge:*", "a & !b", "\\", "\x00"]
)
def test_no_input_is_a_syntax_error(corpus, typed):
    found(corpus, words=typed)  # answers, whatever it finds
    assert db.session.execute(db.select(db.func.count()).select_from(db.table("passage"))).scalar() == 9


def test_nothing_to_search_for_finds_every_passage(corpus):
    assert len(ids(corpus, words=' " * ')) == 9


def test_markup_in_a_passage_is_found_as_words(corpus):
    assert ids(corpus, words="script alert") == [corpus.ids["parks"][2]]


def test_each_status_finds_its_passages(corpus):
    bridges, parks, repeats = (corpus.ids[name] for name in ("bridges", "parks", "repeats"))
    assert ids(corpus, status="complete") == [bridges[0], bridges[2], bridges[3]]
    assert ids(corpus, status="in_progress") == [bridges[1]]
    assert ids(corpus, status="open") == [parks[0], parks[2], repeats[1]]
    assert ids(corpus, status="disputed") == [bridges[2]]
    assert ids(corpus, status="adjudicated") == [bridges[3]]
    assert ids(corpus, status="excluded") == [parks[1], repeats[0]]
    assert ids(corpus, status="excluded:manual") == [parks[1]]
    assert ids(corpus, status="excluded:duplicate") == [repeats[0]]
    assert ids(corpus, status="excluded:heading") == []


def test_each_passage_is_shown_with_its_one_status(corpus):
    statuses = {passage.id: (passage.status, passage.excluded_reason) for passage in found(corpus).passages}
    bridges, parks = corpus.ids["bridges"], corpus.ids["parks"]
    assert [statuses[i][0] for i in bridges] == ["complete", "in_progress", "disputed", "adjudicated"]
    assert [statuses[i] for i in parks] == [("open", None), ("excluded", "manual"), ("open", None)]


def test_an_unknown_status_is_refused(corpus):
    with pytest.raises(Invalid, match="status must be one of"):
        found(corpus, status="excluded:nonsense")


def test_filters_by_document_and_by_annotator(corpus):
    parks_id = found(corpus, words="parks").passages[0].document_id
    assert ids(corpus, document_id=parks_id) == corpus.ids["parks"]
    assert ids(corpus, annotator="bob") == [corpus.ids["bridges"][i] for i in (0, 2, 3)]
    assert ids(corpus, annotator="ada", words="bridges") == [corpus.ids["bridges"][3]]
    assert ids(corpus, annotator="rev") == []  # a reviewer's decision is not a label set
    with pytest.raises(Invalid, match="no account is named"):
        found(corpus, annotator="nobody")


def test_filters_by_a_label_value_someone_gave(corpus):
    bridges = corpus.ids["bridges"]
    assert ids(corpus, field="claim_type", value="event") == [bridges[1], bridges[3]]
    assert ids(corpus, field="stance", value="against") == [bridges[2], bridges[3]]
    assert ids(corpus, field="stance", value="against", annotator="ada") == []
    with pytest.raises(Invalid, match="value must be one of"):
        found(corpus, field="stance", value="sideways")
    with pytest.raises(Invalid, match="choice field"):
        found(corpus, field="labels", value="x")


def test_pages_follow_one_another_in_reading_order_by_cursor(corpus):
    seen, cursor = [], None
    while True:
        page = found(corpus, size=2, cursor=cursor)
        seen += [passage.id for passage in page.passages]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ids(corpus) and len(seen) == 9
    assert found(corpus, size=2, cursor="not a cursor").passages == found(corpus, size=2).passages


def test_a_filtered_search_pages_too(corpus):
    first = found(corpus, size=1, words="council")
    second = found(corpus, size=1, words="council", cursor=first.next_cursor)
    assert [p.id for p in first.passages + second.passages] == ids(corpus, words="council")[:2]


def test_a_multi_field_value_is_found_among_the_values_ticked(
    make_project, make_documents, make_user, add_member, import_labels
):
    schema = {
        "fields": [
            {
                "name": "claim_types",
                "type": "multi",
                "label": "Claim types",
                "options": [
                    {"value": "opinion", "label": "Opinion"},
                    {"value": "quantity", "label": "Quantity"},
                    {"value": "event", "label": "Event"},
                ],
            },
            {"name": "rewrite", "type": "text", "label": "In one sentence"},
        ]
    }
    project = make_project("Multi", overlap_k=2, schema=schema)
    passages = make_documents(project, count=1, paragraphs=3)
    make_user("ada")
    add_member(project, "ada")
    ticked = [["opinion", "quantity"], ["event"], ["quantity"]]
    import_labels(
        project,
        [
            {"passage_id": passage.id, "annotator": "ada", "labels": {"claim_types": values, "rewrite": "quantity"}}
            for passage, values in zip(passages, ticked, strict=True)
        ],
    )
    assert ids(project, field="claim_types", value="quantity") == [passages[0].id, passages[2].id]
    assert ids(project, field="claim_types", value="event") == [passages[1].id]
    with pytest.raises(Invalid, match="choice field"):
        found(project, field="rewrite", value="quantity")


def test_the_index_follows_a_passage_whose_text_changes_and_passages_removed(corpus):
    import sqlalchemy as sa

    from annotator.documents.models import Document, Passage

    first = corpus.ids["bridges"][0]
    db.session.execute(sa.update(Passage).where(Passage.id == first).values(text="A ferry will replace it."))
    db.session.commit()
    assert ids(corpus, words="ferry") == [first]
    assert ids(corpus, words="mayor") == []
    db.session.execute(sa.delete(Document).where(Document.external_id == "parks"))
    db.session.commit()
    assert ids(corpus, words="critics") == [] and ids(corpus, words="council") == [
        corpus.ids["bridges"][1],
        corpus.ids["repeats"][0],
    ]
    if db.session.get_bind().dialect.name == "sqlite":  # the FTS5 index holds exactly the passages' text
        db.session.execute(sa.text("INSERT INTO passage_fts(passage_fts, rank) VALUES ('integrity-check', 1)"))
