"""A project with gold: passages, annotators, and gold passages made through the services."""

import pytest

from annotator.extensions import db
from annotator.quality.gold import add_imported_gold
from annotator.quality.settings import QualitySettings, set_quality_settings

NO_CLAIM = {"claim_type": "no_claim"}
CLAIM = {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"}
GUIDELINES = "# Guidelines\n\n## Against\nThe passage opposes the target.\n\n## Favor\nIt supports it.\n"


@pytest.fixture
def gold_project(make_project, make_documents):
    """A project of 20 passages whose last `gold` are gold (answer CLAIM; the first `onboarding`
    of them for onboarding), with the given settings; returns the project, its passages, the gold ones."""

    def make(gold=4, onboarding=0, **settings):
        project = make_project("Gold", guidelines=GUIDELINES)
        passages = make_documents(project, count=4, paragraphs=5)
        set_quality_settings(db.session, project, QualitySettings(**settings))
        gold_passages = passages[-gold:] if gold else []
        for number, passage in enumerate(gold_passages):
            add_imported_gold(db.session, project, passage.id, CLAIM, f"why {number}", onboarding=number < onboarding)
        db.session.commit()
        return project, passages, gold_passages

    return make
