"""The exports' projects: three annotators' labels (and a reviewer's decision), and more
documents nobody labelled."""

import pytest
import sqlalchemy as sa

from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.review.adjudicating import adjudicate
from annotator.users.models import User
from tests.conftest import paragraph_text
from tests.review.conftest import labelled, loner, reviewer  # noqa: F401  (the project with three annotators' labels, one more who shares no passage, a reviewer's client)


@pytest.fixture
def decided(labelled, make_user):
    """The labelled project with passage 2 decided by a reviewer."""
    rev = make_user("rev", "reviewer")
    adjudicate(
        db.session,
        labelled,
        labelled.passages[2].id,
        rev,
        {"claim_type": "quantity", "stance": "against", "verifiability": "partly_verifiable"},
        "per the report",
    )
    db.session.commit()
    return labelled


def import_unlabelled(project, import_texts, write_file, documents=2, paragraphs=3) -> list:
    """More documents in the labelled project, which nobody labels; returns their passages."""
    paths = [
        str(
            write_file(
                f"later-{document}.txt", "\n\n".join(paragraph_text(50 + document, p) for p in range(paragraphs))
            )
        )
        for document in range(documents)
    ]
    import_texts(project, paths)
    return list(db.session.scalars(sa.select(Passage).where(Passage.label_count == 0).order_by(Passage.id)))


@pytest.fixture
def mixed(decided, import_texts, import_labels, write_file):
    """The decided project, plus unlabelled documents, one passage only a reviewer decided and
    one that a single annotator labelled."""
    later = import_unlabelled(decided, import_texts, write_file)
    rev = db.session.scalar(sa.select(User).where(User.username == "rev"))
    adjudicate(db.session, decided, later[0].id, rev, {"claim_type": "no_claim"}, "")
    db.session.commit()
    labels = {"claim_type": "event", "stance": "neutral", "verifiability": "verifiable"}
    import_labels(decided, [{"passage_id": later[1].id, "annotator": "ada", "labels": labels}], "one.jsonl")
    return decided


@pytest.fixture
def five_documents(labelled, import_texts, import_labels, write_file):
    """The labelled project (one document) and four more documents of two passages each, which
    ada labelled alone: fourteen training lines from five documents."""
    later = import_unlabelled(labelled, import_texts, write_file, documents=4, paragraphs=2)
    labels = {"claim_type": "event", "stance": "neutral", "verifiability": "verifiable"}
    import_labels(
        labelled, [{"passage_id": passage.id, "annotator": "ada", "labels": labels} for passage in later], "ada.jsonl"
    )
    return labelled
