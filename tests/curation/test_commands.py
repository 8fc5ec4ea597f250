"""The corrections on the command line: withdraw, remove, archive, unarchive; refusals as one
line and exit status 1."""

import sqlalchemy as sa

from annotator.curation.models import Correction
from annotator.documents.models import Document
from annotator.extensions import db
from annotator.projects.models import Project
from tests.curation.conftest import story  # noqa: F401  (the three-paragraph project)


def test_a_document_is_withdrawn_or_removed_by_its_own_id(runner, story, import_texts, write_file):
    import_texts(story, [write_file("other.txt", "A report about the harbour's bus lanes, filed in error.\n")])
    withdrawn = runner.invoke(args=["withdraw-document", "Story", "story", "--reason", "wrong project"])
    assert withdrawn.exit_code == 0 and 'withdrew "story" from "Story"' in withdrawn.stdout
    removed = runner.invoke(args=["remove-document", "Story", "other"])
    assert removed.exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(sa.select(Document.external_id)).all() == ["story"]
    events = db.session.execute(sa.select(Correction.action, Correction.user_id, Correction.reason)).all()
    assert [tuple(event) for event in events] == [("withdraw", None, "wrong project"), ("remove", None, "")]
    missing = runner.invoke(args=["remove-document", "Story", "nothing"])
    assert missing.exit_code == 1 and 'no document "nothing" in project "Story"' in missing.stderr


def test_a_project_is_archived_and_unarchived(runner, story):
    assert runner.invoke(args=["archive", "Story", "--reason", "done"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(Project.archived_at)) is not None
    refused = runner.invoke(args=["import-docs", "Story", __file__])
    assert refused.exit_code == 1 and "archived, so it is read-only" in refused.stderr
    assert runner.invoke(args=["unarchive", "Story"]).exit_code == 0
    again = runner.invoke(args=["unarchive", "Story"])
    assert again.exit_code == 1 and "is not archived" in again.stderr
