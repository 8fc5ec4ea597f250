"""A project with three annotators' labels, imported as another tool would hand them over."""

import pytest
import sqlalchemy as sa

from annotator.extensions import db

# Per passage (reading order), each annotator's claim type / stance: "-" is no claim.
LABELS = {
    "ada": ["opinion/favor", "-", "quantity/against", "opinion/favor", "-", "event/neutral"],
    "bob": ["opinion/favor", "-", "quantity/favor", "-", "-", "event/neutral"],
    "cy": ["opinion/against", "-", "quantity/against", "opinion/favor", "opinion/favor", "event/neutral"],
}


def label_set(code: str) -> dict:
    if code == "-":
        return {"claim_type": "no_claim"}
    claim, stance = code.split("/")
    return {"claim_type": claim, "stance": stance, "verifiability": "verifiable"}


@pytest.fixture
def labelled(make_project, make_documents, make_user, add_member, import_labels):
    """Six passages, each labelled by ada, bob and cy (k = 3); returns the project with its
    passages in reading order."""
    project = make_project("Bike lanes", target="Cities should build bike lanes", overlap_k=3)
    passages = make_documents(project, count=1, paragraphs=6)
    for name in LABELS:
        make_user(name)
        add_member(project, name)
    import_labels(
        project,
        [
            {"passage_id": passage.id, "annotator": name, "labels": label_set(codes[index])}
            for name, codes in LABELS.items()
            for index, passage in enumerate(passages)
        ],
    )
    db.session.refresh(project)
    project.passages = passages
    return project


@pytest.fixture
def reviewer(labelled, make_user, add_member, login, client):
    """A test client signed in as "rev", a reviewer of the labelled project."""
    make_user("rev", "reviewer")
    add_member(labelled, "rev", "reviewer")
    login("rev")
    return client


@pytest.fixture
def loner(labelled, make_user, write_file, add_member, import_texts, import_labels):
    """The labelled project, and dan, who alone labelled the three passages of one more
    document; returns dan's passages' ids."""
    from annotator.documents.models import Document, Passage
    from tests.conftest import paragraph_text

    document = write_file("loner.txt", "\n\n".join(paragraph_text(9, p) for p in range(3)) + "\n")
    import_texts(labelled, [document])
    make_user("dan")
    add_member(labelled, "dan")
    ids = list(
        db.session.scalars(
            sa.select(Passage.id).join(Document).where(Document.external_id == "loner").order_by(Passage.index)
        )
    )
    import_labels(
        labelled,
        [
            {"passage_id": passage_id, "annotator": "dan", "labels": label_set(code)}
            for passage_id, code in zip(ids, ["opinion/favor", "-", "event/against"], strict=False)
        ],
        "dan.jsonl",
    )
    return ids
