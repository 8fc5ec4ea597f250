"""A small project whose passages are in every status, with words to search for."""

import pytest
import sqlalchemy as sa

from annotator.extensions import db

BRIDGES = [
    "The mayor said that the new bridge over the river would open in the spring of next year.",
    "Council members approved a budget of 3.5 million pounds for the bridge, according to the minutes.",
    "Residents of Zürich and other cities wrote to example.com to complain about the naïve plans.",
    "Opponents argue that the bridges will bring more traffic into the old town centre every day.",
]
PARKS = [
    "The council promised new parks in every district before the election, a spokesperson said.",
    "Critics say the parks budget was cut twice since the council took office three years ago.",
    "<script>alert('x')</script> Hostile markup in a document must be shown as text and never run.",
]
REPEATS = [PARKS[0], "A last paragraph that only this third document has, about buses and their fares in town."]
# Per passage of "bridges": each annotator's claim type / stance ("" = no label)
LABELS = {
    "ada": ["opinion/favor", "event/neutral", "opinion/favor", "opinion/favor"],
    "bob": ["opinion/favor", "", "quantity/against", "event/against"],
}


def label_set(code: str) -> dict:
    claim, stance = code.split("/")
    return {"claim_type": claim, "stance": stance, "verifiability": "verifiable"}


def passage_ids(document: str) -> list[int]:
    from annotator.documents.models import Document, Passage

    return list(
        db.session.scalars(
            sa.select(Passage.id).join(Document).where(Document.external_id == document).order_by(Passage.index)
        )
    )


@pytest.fixture
def corpus(make_project, make_user, add_member, write_file, import_texts, import_labels):
    """Project "Towns" (k = 2): bridges (complete, in progress, disputed, adjudicated), parks
    (open, excluded by hand, open), repeats (a repeat of parks' first passage, open). Returns the
    project with `.ids` per document."""
    from annotator.documents.models import Passage
    from annotator.review.adjudicating import adjudicate
    from annotator.users.models import User

    project = make_project("Towns", target="Towns should build bridges", overlap_k=2)
    files = {
        name: write_file(f"{name}.txt", "\n\n".join(texts) + "\n")
        for name, texts in (("bridges", BRIDGES), ("parks", PARKS), ("repeats", REPEATS))
    }
    import_texts(project, [files["bridges"], files["parks"]])
    import_texts(project, [files["repeats"]])
    for name in ("ada", "bob"):
        make_user(name)
        add_member(project, name)
    make_user("rev", "reviewer")
    add_member(project, "rev", "reviewer")
    ids = {name: passage_ids(name) for name in files}
    import_labels(
        project,
        [
            {"passage_id": passage_id, "annotator": name, "labels": label_set(code)}
            for name, codes in LABELS.items()
            for passage_id, code in zip(ids["bridges"], codes, strict=True)
            if code
        ],
    )
    rev = db.session.scalar(sa.select(User).where(User.username == "rev"))
    adjudicate(db.session, project, ids["bridges"][3], rev, label_set("event/against"))
    db.session.execute(
        sa.update(Passage)
        .where(Passage.id == ids["parks"][1])
        .values(annotatable=False, excluded_reason="manual", queue=None)
    )
    db.session.commit()
    db.session.refresh(project)
    project.ids = ids
    return project
