"""The ready-made protocols: every template is a schema the product accepts, with guidelines that
say where its labels come from, and each keeps its protocol's rules (CheckThat!'s skip logic and
"not sure", FEVER's verdicts and evidence sets, the stance target)."""

import json
import re

import krippendorff
import numpy as np
import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.projects.models import Project, ProjectSchema
from annotator.projects.templates import (
    DEFAULT_TEMPLATE,
    TEMPLATE_NAMES,
    TEMPLATES,
    TemplateError,
    project_start,
    template_named,
)
from annotator.schema import LabelError, Schema, default_definition
from annotator.splitting.words import PassageWords, passage_words

FARES_TEXT = "Bus fares rose 8% in April. The mayor resigned."
FARES = PassageWords(1, FARES_TEXT, 0, len(FARES_TEXT), passage_words(FARES_TEXT, FARES_TEXT, 0))
CITED_YEAR = re.compile(r"\b(19|20)\d\d\b")
LIKERT = ("false_information", "public_interest", "harmful", "check_worthiness")


def checkthat() -> Schema:
    return Schema.parse(template_named("checkthat").schema())


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_template_is_a_schema_the_product_accepts(name):
    template = template_named(name)
    schema = Schema.parse(template.schema())
    assert schema.fields and template.description and "\n" not in template.description


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_templates_guidelines_say_where_its_labels_come_from(name):
    guidelines = template_named(name).guidelines()
    assert guidelines.startswith("# ") and CITED_YEAR.search(guidelines), guidelines[:200]


def test_the_default_template_is_the_claim_schema():
    assert DEFAULT_TEMPLATE == "claims" and template_named("claims").schema() == default_definition()
    assert [template.name for template in TEMPLATES] == list(TEMPLATE_NAMES)
    assert len(set(TEMPLATE_NAMES)) == len(TEMPLATE_NAMES) == 7


def test_an_unknown_template_is_refused_naming_every_template():
    with pytest.raises(TemplateError) as raised:
        template_named("prodigy")
    assert str(raised.value) == f'no template named "prodigy": the templates are {", ".join(TEMPLATE_NAMES)}'


def test_a_template_and_a_schema_of_ones_own_together_are_refused():
    with pytest.raises(TemplateError, match='both a template \\("fever"\\) and a schema file'):
        project_start("fever", default_definition(), None, "")
    own = project_start(None, {"fields": []}, None, "")
    assert (own.schema, own.guidelines) == ({"fields": []}, "")


def test_a_templates_guidelines_are_used_unless_guidelines_are_given():
    assert project_start("fnc-1", None, None, "").guidelines == template_named("fnc-1").guidelines()
    assert project_start("fnc-1", None, "", "").guidelines == template_named("fnc-1").guidelines()
    assert project_start("fnc-1", None, "Ours.", "").guidelines == "Ours."


def test_semeval_stance_is_toward_the_projects_target_shown_on_the_annotate_screen():
    with pytest.raises(TemplateError, match="judges stance toward the project's target"):
        project_start("semeval-stance", None, None, "  ")
    start = project_start("semeval-stance", None, None, "Legalization of abortion")
    stance = start.schema["fields"][0]
    assert [option["value"] for option in stance["options"]] == ["favor", "against", "none"]
    # the annotate screen shows the project's target under the caption "Target"
    assert "Target" in stance["label"] and "Target" in stance["help"]
    assert "**Target**" in start.guidelines and "SemEval-2016 Task 6" in start.guidelines


def test_fnc1_says_the_target_is_the_headline():
    stance = template_named("fnc-1").schema()["fields"][0]
    assert [option["value"] for option in stance["options"]] == ["agree", "disagree", "discuss", "unrelated"]
    assert "headline" in stance["label"]
    assert "The target is the headline" in template_named("fnc-1").guidelines()


def test_claimbuster_has_its_three_classes():
    field = Schema.parse(template_named("claimbuster").schema()).fields[0]
    assert [option.label for option in field.options] == [
        "Non-factual sentence (NFS)",
        "Unimportant factual sentence (UFS)",
        "Check-worthy factual sentence (CFS)",
    ]


def test_fever_marks_claims_with_a_verdict_and_evidence_sets():
    schema = Schema.parse(template_named("fever").schema())
    claims = schema.field("claims")
    assert claims.TYPE == "span"
    verdict, evidence = claims.definition["fields"]
    assert [option["value"] for option in verdict["options"]] == ["supports", "refutes", "not_enough_info"]
    assert evidence["type"] == "evidence" and evidence["sets"] is True
    assert evidence["show_if"] == {"field": "verdict", "not_in": ["not_enough_info"]}


def test_a_fever_claim_needs_evidence_unless_there_is_not_enough_info():
    schema = Schema.parse(template_named("fever").schema())
    source = "https://example.org/fares"
    refuted = {
        "verdict": "refutes",
        "evidence": [
            {"url": source, "relation": "refutes", "quote": "Fares rose 3%.", "set": 1},
            {"url": source + "/2", "relation": "refutes", "quote": "Fares went up by three per cent.", "set": 2},
        ],
    }
    checked = schema.check_labels({"claims": [{"start": 0, "end": 26, "labels": refuted}]}, FARES)
    assert checked["claims"][0]["text"] == "Bus fares rose 8% in April"
    assert [record["set"] for record in checked["claims"][0]["labels"]["evidence"]] == [1, 2]
    with pytest.raises(LabelError):  # supported or refuted: evidence is required
        schema.check_labels({"claims": [{"start": 0, "end": 26, "labels": {"verdict": "supports"}}]}, FARES)
    with pytest.raises(LabelError):  # not enough info: no evidence is asked
        not_enough = {"verdict": "not_enough_info", "evidence": refuted["evidence"]}
        schema.check_labels({"claims": [{"start": 0, "end": 26, "labels": not_enough}]}, FARES)
    unknown = {"verdict": "not_enough_info"}
    assert schema.check_labels({"claims": [{"start": 28, "end": 46, "labels": unknown}]}, FARES)["claims"][0][
        "labels"
    ] == {"verdict": "not_enough_info"}


def test_claim_extraction_marks_claims_with_type_stance_verifiability_and_a_rewrite():
    schema = Schema.parse(template_named("claim-extraction").schema())
    claims = schema.field("claims")
    assert claims.TYPE == "span"
    assert [(field["name"], field.get("type", "choice")) for field in claims.definition["fields"]] == [
        ("claim_type", "choice"),
        ("stance", "choice"),
        ("verifiability", "choice"),
        ("rewrite", "text"),
    ]


# --- CheckThat!: skip logic and "not sure" ------------------------------------------------------

EVERYONE = {"harm_type": "not_harmful", "attention_worthy": "not_interesting"}
CLAIM = {"false_information": "no_probably", "public_interest": "yes_definitely", "harmful": "not_sure"}


def test_checkthat_asks_about_the_claim_only_when_there_is_one():
    schema = checkthat()
    assert [field.name for field in schema.asked({"verifiable_claim": "no"})] == [
        "verifiable_claim",
        "harm_type",
        "attention_worthy",
    ]
    assert schema.check_labels({"verifiable_claim": "no", **EVERYONE}) == {"verifiable_claim": "no", **EVERYONE}
    for question in LIKERT:
        with pytest.raises(LabelError) as raised:
            schema.check_labels({"verifiable_claim": "no", **EVERYONE, question: "not_sure"})
        assert "leave it empty when Q1. Does it contain a verifiable factual claim? is No" in str(raised.value)


def test_checkthat_needs_every_claim_question_once_there_is_a_claim():
    schema = checkthat()
    with pytest.raises(LabelError) as raised:
        schema.check_labels({"verifiable_claim": "yes", **EVERYONE, **CLAIM})
    assert raised.value.field == "check_worthiness"
    labels = {"verifiable_claim": "yes", **EVERYONE, **CLAIM, "check_worthiness": "very_urgent"}
    assert schema.check_labels(labels) == labels


def test_checkthat_likert_scales_are_ordinal_and_not_sure_is_no_answer():
    measured = {field.name: field for field in checkthat().measured_fields}
    for question in LIKERT:
        assert measured[question].level == "ordinal" and "not_sure" not in measured[question].categories
        assert measured[question].category_of({question: "not_sure"}) is None
    assert measured["false_information"].categories == (
        "no_definitely",
        "no_probably",
        "yes_probably",
        "yes_definitely",
    )
    assert measured["harm_type"].category_of({"harm_type": "not_sure"}) is None


def test_checkthat_agreement_leaves_not_sure_out_as_the_krippendorff_package_does(runner, make_documents, write_file):
    result = runner.invoke(args=["create-project", "Tweets", "--template", "checkthat", "--overlap", "3"])
    assert result.exit_code == 0, result.stderr
    passages = make_documents(db.session.scalar(sa.select(Project)), count=1, paragraphs=6)
    scale = ["no_definitely", "no_probably", "yes_probably", "yes_definitely"]
    given = {  # per annotator, the false-information answer of each passage: None when Q1 is no
        "ada": ["no_definitely", "not_sure", "yes_definitely", "yes_probably", None, "no_probably"],
        "bob": ["no_probably", "yes_probably", "not_sure", "yes_probably", "no_definitely", "no_probably"],
        "cy": ["no_definitely", "yes_definitely", "yes_definitely", "not_sure", None, "yes_probably"],
    }
    lines = []
    for name, answers in given.items():
        for passage, answer in zip(passages, answers, strict=True):
            labels = {"verifiable_claim": "no", **EVERYONE}
            if answer is not None:
                labels.update(
                    {"verifiable_claim": "yes", **CLAIM, "false_information": answer, "check_worthiness": "not_urgent"}
                )
            lines.append(json.dumps({"passage_id": passage.id, "annotator": name, "labels": labels}))
    path = write_file("checkthat.jsonl", "\n".join(lines))
    result = runner.invoke(args=["import-annotations", "Tweets", str(path), "--create-users"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(args=["agreement", "Tweets", "--json"])
    assert result.exit_code == 0, result.stderr
    matrix = [[scale.index(answer) if answer in scale else np.nan for answer in answers] for answers in given.values()]
    expected = krippendorff.alpha(reliability_data=np.asarray(matrix, dtype=float), level_of_measurement="ordinal")
    found = json.loads(result.stdout)["fields"]["false_information"]["alpha"]
    assert found == pytest.approx(expected, abs=1e-9)


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_create_project_from_each_template(runner, name):
    result = runner.invoke(args=["create-project", "P", "--template", name, "--target", "Bike lanes"])
    assert result.exit_code == 0, result.stderr
    project = db.session.scalar(sa.select(Project))
    assert db.session.scalar(sa.select(ProjectSchema.definition)) == template_named(name).schema()
    assert project.guidelines == template_named(name).guidelines()


def test_create_project_without_a_template_uses_the_claims_template(runner):
    assert runner.invoke(args=["create-project", "P"]).exit_code == 0
    project = db.session.scalar(sa.select(Project))
    assert db.session.scalar(sa.select(ProjectSchema.definition)) == default_definition()
    assert project.guidelines == template_named("claims").guidelines()


def test_create_project_with_an_unknown_template_lists_the_templates(runner):
    result = runner.invoke(args=["create-project", "P", "--template", "doccano"])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f'no template named "doccano": the templates are {", ".join(TEMPLATE_NAMES)}')
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_create_project_refuses_a_template_with_a_schema_file(runner, write_file):
    schema = write_file("schema.json", json.dumps(default_definition()))
    result = runner.invoke(args=["create-project", "P", "--template", "fever", "--schema", str(schema)])
    assert result.exit_code == 1 and 'both a template ("fever") and a schema file were given' in result.stderr
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0


def test_create_project_with_a_schema_file_and_guidelines_of_its_own(runner, write_file):
    schema = {"fields": [default_definition()["fields"][0]]}
    result = runner.invoke(
        args=[
            "create-project",
            "P",
            "--schema",
            str(write_file("schema.json", json.dumps(schema))),
            "--guidelines",
            str(write_file("rules.md", "Our rules.")),
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(sa.select(ProjectSchema.definition)) == schema
    assert db.session.scalar(sa.select(Project.guidelines)) == "Our rules."


def test_semeval_stance_needs_a_target(runner):
    result = runner.invoke(args=["create-project", "P", "--template", "semeval-stance"])
    assert result.exit_code == 1 and "give the project a target" in result.stderr
    assert runner.invoke(args=["create-project", "P", "--template", "semeval-stance", "--target", "X"]).exit_code == 0
