"""A disagreement category on each decision: chosen on the decision form (needed unless the
decision is every annotator's answer, and never anything but the four), kept in the decision's
history, counted on the agreement page and exported in the audit file."""

import re

import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication, AdjudicationEvent
from annotator.extensions import db
from tests.conftest import csrf_token_in
from tests.discussion.conftest import ADA, BOB, discussed  # noqa: F401  (the project: one passage complete, one not)


def decide(client, project, passage_id, labels, **extra):
    page = client.get(f"/projects/{project.id}/review/{passage_id}").get_data(as_text=True)
    return client.post(
        f"/projects/{project.id}/review/{passage_id}",
        data={"csrf_token": csrf_token_in(page), **{f"label-{k}": v for k, v in labels.items()}, **extra},
    )


def test_the_category_chosen_is_kept_with_the_decision_and_shown_again(client, login, discussed):
    login("rev")
    assert decide(client, discussed, discussed.complete, ADA, category="ambiguous_text").status_code == 303
    assert decide(client, discussed, discussed.complete, ADA, category="guidelines_gap").status_code == 303
    assert db.session.scalar(sa.select(Adjudication.category)) == "guidelines_gap"
    history = db.session.scalars(sa.select(AdjudicationEvent.category).order_by(AdjudicationEvent.id)).all()
    assert history == ["ambiguous_text", "guidelines_gap"]
    page = client.get(f"/projects/{discussed.id}/review/{discussed.complete}").get_data(as_text=True)
    assert '<option value="guidelines_gap" selected>A gap in the guidelines</option>' in page


def test_a_decision_that_is_not_everybodys_answer_needs_a_known_category_with_the_choices_kept(
    client, login, discussed
):
    login("rev")
    for category, why in [("", "say why the annotators disagreed"), ("laziness", "category must be one of")]:
        refused = decide(client, discussed, discussed.complete, BOB, category=category, note="kept note")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and why in page and ">kept note</textarea>" in page
        assert re.search(r'name="label-claim_type" value="opinion"\s+data-key="\w" checked', page)
    assert db.session.scalar(sa.select(sa.func.count(Adjudication.id))) == 0


def test_a_decision_that_agrees_with_everybody_needs_no_category(client, login, discussed):
    login("rev")
    assert decide(client, discussed, discussed.incomplete, ADA).status_code == 303  # ada alone labelled it
    assert db.session.scalar(sa.select(Adjudication.category)) is None


def test_the_agreement_page_counts_decisions_per_category(client, login, discussed):
    login("rev")
    decide(client, discussed, discussed.complete, ADA, category="annotator_error")
    decide(client, discussed, discussed.incomplete, ADA)
    page = client.get(f"/projects/{discussed.id}/agreement").get_data(as_text=True)
    for category, words, count in [
        ("annotator_error", "Annotator error", 1),
        ("ambiguous_text", "Ambiguous text", 0),
        ("", "not given", 1),
    ]:
        assert f'<tr data-category="{category}"><th scope="row">{words}</th><td>{count}</td></tr>' in page


def test_the_audit_file_says_each_decisions_category(client, login, discussed, runner):
    import json

    import jsonschema

    from tests.exporting.test_exports import SCHEMAS

    login("rev")
    decide(client, discussed, discussed.complete, ADA, category="other")
    lines = [
        json.loads(line) for line in runner.invoke(args=["export", "Bike lanes", "--kind", "audit"]).stdout.splitlines()
    ]
    assert [line["category"] for line in lines if line["type"] == "adjudication"] == ["other"]
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "audit.schema.json").read_text()))
    for line in lines:
        validator.validate(line)
    assert {line["category"] for line in lines if line["type"] == "labels"} == {None}


def test_the_database_refuses_a_category_that_is_none_of_the_four(discussed):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from annotator.users.models import User

    rev = db.session.scalar(sa.select(User.id).where(User.username == "rev"))
    where = dict(project_id=discussed.id, passage_id=discussed.complete, reviewer_id=rev, schema_version=1)
    for row in (
        Adjudication(**where, labels=ADA, category="laziness"),
        AdjudicationEvent(**where, after={"labels": ADA}, guidelines_version=1, category="laziness"),
    ):
        db.session.add(row)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
