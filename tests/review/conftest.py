"""A project with three annotators' labels, imported as another tool would hand them over."""

import json

import pytest

from annotator.db import db

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
def labelled(runner, make_project, make_documents, make_user, write_file):
    """Six passages, each labelled by ada, bob and cy (k = 3); returns the project with its
    passages in reading order."""
    project = make_project("Bike lanes", target="Cities should build bike lanes", overlap_k=3)
    passages = make_documents(project, count=1, paragraphs=6)
    for name in LABELS:
        make_user(name)
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", "annotator"])
    lines = [json.dumps({"passage_id": passage.id, "annotator": name, "labels": label_set(codes[index])})
             for name, codes in LABELS.items() for index, passage in enumerate(passages)]
    result = runner.invoke(args=["import-annotations", "Bike lanes", str(write_file("labels.jsonl", "\n".join(lines)))])
    assert result.exit_code == 0, result.stderr
    db.session.refresh(project)
    project.passages = passages
    return project


@pytest.fixture
def reviewer(runner, labelled, make_user, login, client):
    """A test client signed in as "rev", a reviewer of the labelled project."""
    make_user("rev", "reviewer")
    runner.invoke(args=["add-member", "Bike lanes", "rev", "--role", "reviewer"])
    login("rev")
    return client
