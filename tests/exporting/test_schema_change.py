"""The training export after an admin changed the label schema: its gold is that of the new
schema, even when the dashboard's figures were kept from before the change."""

import copy
import json
import random

import pytest

from annotator.administration.projects import ProjectChanges, update_project
from annotator.extensions import db
from annotator.projects.schema_store import schema_of
from tests.exporting.test_exports import export

TOPICS = ["housing", "transport", "health", "schools", "parks"]
SKILL = {"ada": 0.85, "bob": 0.6, "cy": 0.45}  # chance of giving the true topic


def change_schema(project, edit) -> None:
    schema = copy.deepcopy(schema_of(db.session, project).definition)
    edit(schema["fields"][0]["options"])
    assert update_project(db.session, project, ProjectChanges(schema=schema)) == ["schema"]
    db.session.commit()


@pytest.fixture
def topics(runner, make_project, make_documents, make_user, write_file):
    """40 passages, each given a topic by three annotators of different skill."""
    schema = {
        "fields": [
            {
                "name": "topic",
                "label": "Topic",
                "level": "nominal",
                "required": True,
                "options": [
                    {"value": value, "label": value.title(), "key": str(key)} for key, value in enumerate(TOPICS)
                ],
            }
        ]
    }
    project = make_project("Bike lanes", overlap_k=3, schema=schema)
    passages = make_documents(project, count=4, paragraphs=10)
    rng = random.Random(4)
    lines = []
    for passage in passages:
        truth = rng.choice(TOPICS)
        for name, skill in SKILL.items():
            topic = truth if rng.random() < skill else rng.choice(TOPICS)
            lines.append(json.dumps({"passage_id": passage.id, "annotator": name, "labels": {"topic": topic}}))
    result = runner.invoke(
        args=["import-annotations", "Bike lanes", str(write_file("labels.jsonl", "\n".join(lines))), "--create-users"]
    )
    assert result.exit_code == 0, result.stderr
    return project


def gold(lines: list[dict]) -> dict[int, tuple]:
    return {line["passage_id"]: (line["labels"]["topic"], line["gold"]["topic"]["source"]) for line in lines}


def test_reordered_options_give_the_gold_of_a_fresh_computation(runner, topics):
    assert runner.invoke(args=["agreement", "Bike lanes"]).exit_code == 0  # the figures are kept
    change_schema(topics, lambda options: options.reverse())
    after_the_change = export(runner, "--kind", "training")
    assert runner.invoke(args=["agreement", "Bike lanes", "--refresh"]).exit_code == 0
    assert gold(after_the_change) == gold(export(runner, "--kind", "training"))
    assert {source for _, source in gold(after_the_change).values()} >= {"majority", "estimated"}


@pytest.mark.parametrize(
    "edit",
    [
        lambda options: options.append({"value": "crime", "label": "Crime", "key": "c"}),
        lambda options: options.pop(0),
    ],
    ids=["option added", "option removed"],
)
def test_training_exports_after_options_are_added_or_removed(runner, topics, edit):
    assert runner.invoke(args=["agreement", "Bike lanes"]).exit_code == 0
    change_schema(topics, edit)
    lines = export(runner, "--kind", "training")
    assert len(lines) == 40
    options = [option["value"] for option in schema_of(db.session, topics).definition["fields"][0]["options"]]
    assert {line["labels"]["topic"] for line in lines} <= set(options) | {None}
