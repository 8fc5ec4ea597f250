"""After an admin changes the label schema, everything computed from the labels is computed
under the new schema: the dashboard's kept figures, `annotator agreement` and the review
queue. Labels whose values the new schema no longer has count as unknown values."""

import copy
import json
import re

from annotator.administration.projects import ProjectChanges, update_project
from annotator.extensions import db
from annotator.projects.schema_store import schema_of
from tests.review.test_review_pages import queue_ids


def change_schema(project, edit) -> None:
    """Give the project a new schema version: its current schema as `edit` leaves it."""
    schema = copy.deepcopy(schema_of(db.session, project).definition)
    edit({field["name"]: field for field in schema["fields"]}, schema)
    assert update_project(db.session, project, ProjectChanges(schema=schema)) == ["schema"]
    db.session.commit()


def add_satire(fields, schema) -> None:
    fields["claim_type"]["options"].append({"value": "satire", "label": "Satire", "key": "9"})


def figures_json(runner) -> dict:
    result = runner.invoke(args=["agreement", "Bike lanes", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_agreement_shows_an_added_option_though_no_label_changed(runner, labelled):
    assert "satire" not in figures_json(runner)["fields"]["claim_type"]["categories"]  # kept from here on
    change_schema(labelled, add_satire)
    claim_type = figures_json(runner)["fields"]["claim_type"]
    assert claim_type["categories"][-1] == "satire" and claim_type["distribution"][-1] == 0


def test_agreement_follows_reordered_options(runner, labelled):
    before = figures_json(runner)["fields"]["stance"]
    change_schema(labelled, lambda fields, schema: fields["stance"]["options"].reverse())
    after = figures_json(runner)["fields"]["stance"]
    assert after["categories"] == before["categories"][::-1]
    assert after["distribution"] == before["distribution"][::-1]


def test_a_removed_option_makes_its_labels_unknown_values(runner, labelled):
    before = figures_json(runner)["fields"]["claim_type"]
    change_schema(labelled, lambda fields, schema: fields["claim_type"]["options"].pop(3))  # event: passage 5, x3
    after = figures_json(runner)["fields"]["claim_type"]
    assert "event" not in after["categories"] and after["values"] == before["values"] - 3
    assert sum(after["gold"]["sources"].values()) == sum(before["gold"]["sources"].values()) - 1


def test_an_added_field_is_measured_though_nobody_answered_it_yet(runner, labelled):
    assert "source" not in figures_json(runner)["fields"]

    def ask_the_source(fields, schema):
        schema["fields"].append(
            {
                "name": "source",
                "label": "Source",
                "level": "nominal",
                "required": False,
                "options": [{"value": "named", "label": "Named"}, {"value": "none", "label": "None"}],
            }
        )

    change_schema(labelled, ask_the_source)
    source = figures_json(runner)["fields"]["source"]
    assert source["values"] == 0 and source["alpha"] is None and source["categories"] == ["named", "none"]


def test_the_dashboard_shows_the_new_schemas_fields(reviewer, labelled):
    page = f"/projects/{labelled.id}/agreement"
    assert 'data-field="verifiability"' in reviewer.get(page).get_data(as_text=True)
    change_schema(labelled, lambda fields, schema: schema["fields"].remove(fields["verifiability"]))
    html = reviewer.get(page).get_data(as_text=True)
    assert 'data-field="verifiability"' not in html and 'data-field="stance"' in html


def test_the_review_queue_is_rebuilt_for_the_new_schemas_fields(reviewer, labelled):
    p = [passage.id for passage in labelled.passages]
    queue = f"/projects/{labelled.id}/review"
    assert queue_ids(reviewer.get(queue).get_data(as_text=True)) == [p[0], p[2], p[3], p[4]]
    change_schema(labelled, lambda fields, schema: schema["fields"].remove(fields["stance"]))
    html = reviewer.get(queue).get_data(as_text=True)
    assert queue_ids(html) == [p[3], p[4]]  # 0 and 2 were disputed on the stance only
    assert "2 waiting" in re.sub(r"\s+", " ", html)


def test_a_changed_condition_is_measured_as_its_new_decision(runner, labelled):
    assert "claim_type:no_claim" in figures_json(runner)["fields"]

    def ask_stance_of_facts_only(fields, schema):
        for name in ("stance", "verifiability"):
            fields[name]["show_if"] = {"field": "claim_type", "not_in": ["no_claim", "opinion"]}

    change_schema(labelled, ask_stance_of_facts_only)
    fields = figures_json(runner)["fields"]
    assert "claim_type:no_claim|opinion" in fields and "claim_type:no_claim" not in fields
