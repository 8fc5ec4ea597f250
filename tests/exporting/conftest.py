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
from tests.schema.test_span_and_evidence import RELATIONS


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


# A FEVER-like schema, as a fact-checking project defines it: claim spans, each with a verdict,
# its own wording of the claim and alternative evidence sets; a passage-level choice beside.
VERDICTS = RELATIONS  # FEVER's verdicts are the relations evidence bears to a claim
FEVER_SCHEMA = {
    "fields": [
        {
            "name": "checkworthy",
            "label": "Worth checking",
            "level": "nominal",
            "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
        },
        {
            "name": "claims",
            "type": "span",
            "label": "Claims",
            "required": False,
            "fields": [
                {"name": "verdict", "label": "Verdict", "level": "nominal", "options": VERDICTS},
                {"name": "claim", "type": "text", "label": "The claim in your words", "required": False},
                {
                    "name": "evidence",
                    "type": "evidence",
                    "label": "Evidence",
                    "required": False,
                    "sets": True,
                    "relations": RELATIONS,
                },
            ],
        },
    ]
}
REPORT = "https://example.org/report?year=2023&page=4"
AUDIT = "https://audit.example.net/fares"
BLOG = "http://blog.example.com/p/1"


def words_at(passage, words: str) -> tuple[int, int]:
    """Raw offsets of `words` in the passage (the test documents' passages are their raw lines)."""
    start = passage.start + passage.text.index(words)
    return start, start + len(words)


def claim(passage, words: str, verdict: str, **more) -> dict:
    start, end = words_at(passage, words)
    return {"start": start, "end": end, "labels": {"verdict": verdict, **more}}


def fever_labels(passages) -> dict[str, list[dict]]:
    """Per annotator, a label set per passage. Passage 0: ada and bob mark overlapping claims
    that refute, citing the report (both) and the audit (ada, as a second set); cy marks none.
    Passage 1: all three mark the same words, not enough info, and word the claim alike.
    Passage 2: a reviewer decides it (see fever_project). Passage 3: all three mark the same
    words but give three verdicts, so the claim has no gold verdict."""
    p = passages
    report = {"url": REPORT, "quote": "=SUM(A1) fares rose", "relation": "refutes", "set": 1}
    return {
        "ada": [
            {
                "checkworthy": "yes",
                "claims": [
                    claim(
                        p[0],
                        "the council says that it spent 0 thousand pounds",
                        "refutes",
                        evidence=[report, {"url": AUDIT, "relation": "refutes", "set": 2}],
                    )
                ],
            },
            {"checkworthy": "yes", "claims": [claim(p[1], "the council says", "not_enough_info", claim="+44 said")]},
            {"checkworthy": "no"},
            {"checkworthy": "yes", "claims": [claim(p[3], "cycle lanes", "supports")]},
        ],
        "bob": [
            {
                "checkworthy": "yes",
                "claims": [claim(p[0], "it spent 0 thousand pounds on cycle lanes", "refutes", evidence=[report])],
            },
            {
                "checkworthy": "yes",
                "claims": [
                    claim(
                        p[1],
                        "the council says",
                        "not_enough_info",
                        claim="+44 said",
                        evidence=[{"url": BLOG, "relation": "not_enough_info"}],
                    )
                ],
            },
            {"checkworthy": "no"},
            {"checkworthy": "yes", "claims": [claim(p[3], "cycle lanes", "refutes")]},
        ],
        "cy": [
            {"checkworthy": "no"},
            {"checkworthy": "yes", "claims": [claim(p[1], "the council says", "not_enough_info", claim="+44 said")]},
            {"checkworthy": "no"},
            {"checkworthy": "yes", "claims": [claim(p[3], "cycle lanes", "not_enough_info")]},
        ],
    }


def decision(passages) -> dict:
    """The reviewer's labels for passage 2: one claim that supports, with two evidence sets."""
    return {
        "checkworthy": "yes",
        "claims": [
            claim(
                passages[2],
                "cycle lanes during the year",
                "supports",
                evidence=[
                    {"url": REPORT, "quote": "lanes", "relation": "supports", "set": 2},
                    {"url": AUDIT, "quote": "the year", "relation": "supports", "set": 1},
                ],
            )
        ],
    }


@pytest.fixture
def fever_project(make_project, make_documents, make_user, add_member, import_labels):
    """Four passages under the FEVER-like schema, labelled by ada, bob and cy (k = 3), the third
    decided by a reviewer; returns the project with its passages in reading order."""
    project = make_project("Fares", target="Fares should fall", overlap_k=3, schema=FEVER_SCHEMA)
    passages = make_documents(project, count=1, paragraphs=4)
    labels = fever_labels(passages)
    for name in labels:
        make_user(name)
        add_member(project, name)
    import_labels(
        project,
        [
            {"passage_id": passage.id, "annotator": name, "labels": given[index]}
            for name, given in labels.items()
            for index, passage in enumerate(passages)
        ],
    )
    reviewer = make_user("rev", "reviewer")
    adjudicate(db.session, project, passages[2].id, reviewer, decision(passages), "per the audit")
    db.session.commit()
    db.session.refresh(project)
    project.passages = passages
    return project
