"""Corrections: each one's effect, its event, its refusals, and the counters right after it
(compared with a recount, the lifecycle's oracle)."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.annotations.recording import Submission
from annotator.assignment.service import PassageExcluded, next_passage, skip_passage, submit_labels
from annotator.curation import service
from annotator.curation.models import Correction
from annotator.curation.spans import SplitRefused, span_text
from annotator.documents.models import Document, Passage
from annotator.domain_errors import Conflict, Invalid, NotFound
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.splitting import clean_text
from tests.assignment.test_assignment import assert_counters_agree_with_a_recount
from tests.curation.conftest import SENTENCE_BREAK, STORY, document_of, passages_of
from tests.review.conftest import labelled  # noqa: F401  (six passages labelled by three annotators)

NOW = datetime(2026, 12, 1, 9, 0)
NO_CLAIM = {"claim_type": "no_claim"}


def corrections() -> list[Correction]:
    return list(db.session.scalars(sa.select(Correction).order_by(Correction.id)))


def annotatable_count(project) -> int:
    db.session.refresh(project)
    return project.annotatable_passages


def label(project, user, passage):
    submit_labels(db.session, project, passage, user, Submission(NO_CLAIM), NOW)
    db.session.commit()


# --- exclude and include ---------------------------------------------------------------------


def test_an_excluded_passage_is_never_handed_out_again_and_the_event_says_who_and_why(story, admin, make_user):
    ada = make_user("ada")
    first = passages_of(story)[0]
    service.exclude_passage(db.session, story, first.id, admin, "a menu, not article text")
    db.session.commit()
    assert annotatable_count(story) == 2
    handed = []
    while (passage := next_passage(db.session, story, ada, NOW)) is not None:
        handed.append(passage.id)
        label(story, ada, passage)
    assert first.id not in handed and len(handed) == 2
    (event,) = corrections()
    assert (event.action, event.passage_id, event.user_id, event.reason) == (
        "exclude",
        first.id,
        admin.id,
        "a menu, not article text",
    )
    assert event.details["before"] == {"annotatable": True, "excluded_reason": None}
    assert event.details["after"] == {"annotatable": False, "excluded_reason": "manual"}
    assert event.details["document"] == "story"
    assert_counters_agree_with_a_recount(story)


def test_excluding_needs_a_reason_and_an_excluded_passage_cannot_be_excluded_again(story, admin):
    first = passages_of(story)[0]
    with pytest.raises(Invalid, match="needs a reason"):
        service.exclude_passage(db.session, story, first.id, admin, "  ")
    service.exclude_passage(db.session, story, first.id, admin, "menu")
    with pytest.raises(Conflict, match="already excluded"):
        service.exclude_passage(db.session, story, first.id, admin, "menu")


def test_a_held_passage_excluded_loses_its_hold_and_its_holders_submit_is_refused(story, admin, make_user):
    ada = make_user("ada")
    held = next_passage(db.session, story, ada, NOW)
    db.session.commit()
    service.exclude_passage(db.session, story, held.id, admin, "boilerplate the splitter missed")
    db.session.commit()
    assert db.session.get(Passage, held.id).assigned_count == 0
    with pytest.raises(PassageExcluded, match="took this passage out of annotation"):
        submit_labels(db.session, story, held, ada, Submission(NO_CLAIM), NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 0
    following = next_passage(db.session, story, ada, NOW)
    assert following is not None and following.id != held.id
    db.session.commit()
    assert_counters_agree_with_a_recount(story)


def test_excluding_a_labelled_passage_keeps_its_labels(story, admin, make_user):
    ada = make_user("ada")
    passage = next_passage(db.session, story, ada, NOW)
    label(story, ada, passage)
    service.exclude_passage(db.session, story, passage.id, admin, "a quotation of another article")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).where(Annotation.passage_id == passage.id)) == 1
    with pytest.raises(PassageExcluded, match="can no longer be changed"):
        submit_labels(db.session, story, passage, ada, Submission({"claim_type": "opinion"}), NOW)
    db.session.rollback()
    assert_counters_agree_with_a_recount(story)


def test_an_included_passage_is_handed_out_again(story, admin, make_user):
    ada = make_user("ada")
    first = passages_of(story)[0]
    service.exclude_passage(db.session, story, first.id, admin, "menu")
    service.include_passage(db.session, story, first.id, admin, "it was text after all")
    db.session.commit()
    assert annotatable_count(story) == 3
    assert next_passage(db.session, story, ada, NOW).id == first.id
    db.session.commit()
    assert [c.action for c in corrections()] == ["exclude", "include"]
    assert_counters_agree_with_a_recount(story)
    with pytest.raises(Conflict, match="not excluded"):
        service.include_passage(db.session, story, first.id, admin)


def test_a_repeat_the_splitter_excluded_can_be_included(make_project, import_texts, write_file, admin):
    project = make_project("Repeats")
    paragraph = "The mayor said the new lanes would open in spring, weeks ahead of the plan."
    import_texts(project, [write_file("repeat.txt", f"{paragraph}\n\nSomething else was said too.\n\n{paragraph}\n")])
    repeat = next(p for p in passages_of(project) if p.excluded_reason == "duplicate")
    before = annotatable_count(project)
    service.include_passage(db.session, project, repeat.id, admin, "both count")
    db.session.commit()
    repeat = db.session.get(Passage, repeat.id)
    assert repeat.annotatable and repeat.duplicate_of_id is None and annotatable_count(project) == before + 1
    assert corrections()[0].details["before"]["excluded_reason"] == "duplicate"


# --- merge and split -------------------------------------------------------------------------


def test_merging_joins_two_passages_and_the_later_ones_move_up(story, admin):
    first, second, third = passages_of(story)
    service.merge_with_next(db.session, story, first.id, admin, "one thought")
    db.session.commit()
    merged, last = passages_of(story)
    assert (merged.id, merged.index, merged.start, merged.end) == (first.id, 0, first.start, second.end)
    assert merged.text == clean_text(STORY[first.start : second.end])
    assert (last.id, last.index) == (third.id, 1)
    assert document_of(story).passage_count == 2 and annotatable_count(story) == 2
    (event,) = corrections()
    assert event.action == "merge" and [span["passage_id"] for span in event.details["before"]] == [first.id, second.id]
    assert event.details["after"]["end"] == second.end
    assert_counters_agree_with_a_recount(story)


def test_the_last_passage_or_a_labelled_one_cannot_be_merged(story, admin, make_user):
    first, second, third = passages_of(story)
    with pytest.raises(Conflict, match="is the last of its document"):
        service.merge_with_next(db.session, story, third.id, admin)
    ada = make_user("ada")
    label(story, ada, next_passage(db.session, story, ada, NOW))  # the first passage
    with pytest.raises(Conflict, match=f"passage {first.id} has labels.*cannot be merged"):
        service.merge_with_next(db.session, story, first.id, admin)
    db.session.rollback()
    skip_passage(db.session, story, next_passage(db.session, story, ada, NOW), ada, "half a sentence", NOW)
    db.session.commit()
    with pytest.raises(Conflict, match="skips"):
        service.split_passage(db.session, story, second.id, second.start + 10, admin)


def test_splitting_at_a_sentence_end_makes_two_passages_as_the_splitter_would(story, admin):
    first, second, third = passages_of(story)
    second_end = second.end
    at = STORY.index(SENTENCE_BREAK) + len(SENTENCE_BREAK)
    left, right = service.split_passage(db.session, story, second.id, at, admin, "two claims")
    db.session.commit()
    passages = passages_of(story)
    assert [p.index for p in passages] == [0, 1, 2, 3]
    assert [p.id for p in passages] == [first.id, second.id, right.id, third.id]
    assert passages[1].text == "Officials said the lanes would cost four million pounds."
    assert passages[2].text.startswith("Residents of the eastern wards") and passages[2].start == at
    assert passages[1].end == at - 1 and passages[2].end == second_end
    assert document_of(story).passage_count == 4 and annotatable_count(story) == 4
    assert all(p.text == span_text(STORY, p.start, p.end) for p in passages)
    assert corrections()[0].details["after"][1]["passage_id"] == right.id
    assert_counters_agree_with_a_recount(story)


def test_a_split_then_a_merge_gives_back_the_passage(story, admin):
    second = passages_of(story)[1]
    original = (second.start, second.end, second.text, second.text_hash)
    service.split_passage(db.session, story, second.id, STORY.index(SENTENCE_BREAK) + len(SENTENCE_BREAK), admin)
    service.merge_with_next(db.session, story, second.id, admin)
    db.session.commit()
    again = passages_of(story)[1]
    assert (again.start, again.end, again.text, again.text_hash) == original


def test_a_split_inside_a_word_or_outside_the_passage_is_refused_with_where_it_would_work(story, admin):
    second = passages_of(story)[1]
    inside = STORY.index("million") + 3
    with pytest.raises(SplitRefused, match=r"falls inside a word .*mil\|lion.*split at \d+ or \d+ instead"):
        service.split_passage(db.session, story, second.id, inside, admin)
    with pytest.raises(SplitRefused, match="not inside the passage"):
        service.split_passage(db.session, story, second.id, second.end, admin)
    with pytest.raises(SplitRefused, match="not inside the passage"):
        service.split_passage(db.session, story, second.id, second.start, admin)


def test_a_held_passage_split_lets_its_holder_go(story, admin, make_user):
    ada = make_user("ada")
    held = next_passage(db.session, story, ada, NOW)
    db.session.commit()
    service.split_passage(db.session, story, held.id, STORY.index(" budget"), admin)
    db.session.commit()
    assert db.session.get(Passage, held.id).assigned_count == 0
    assert next_passage(db.session, story, ada, NOW) is not None
    db.session.commit()
    assert_counters_agree_with_a_recount(story)


def test_merging_a_heading_into_its_paragraph_makes_one_annotatable_passage(story, admin):
    first, second, _ = passages_of(story)
    service.exclude_passage(db.session, story, first.id, admin, "a heading")
    service.merge_with_next(db.session, story, first.id, admin)
    db.session.commit()
    merged = passages_of(story)[0]
    assert merged.annotatable and merged.excluded_reason is None and annotatable_count(story) == 2
    assert_counters_agree_with_a_recount(story)


# --- documents -------------------------------------------------------------------------------


def test_retitling_a_document(story, admin):
    document = document_of(story)
    service.retitle_document(db.session, story, document.id, "  Cycle lanes:  the budget ", admin)
    db.session.commit()
    assert document_of(story).title == "Cycle lanes: the budget"
    assert corrections()[0].details["after"] == {"title": "Cycle lanes: the budget"}
    with pytest.raises(Invalid, match="cannot be empty"):
        service.retitle_document(db.session, story, document.id, " ", admin)


def test_a_withdrawn_documents_passages_leave_annotation_and_stay_withdrawn(story, admin, make_user):
    ada = make_user("ada")
    held = next_passage(db.session, story, ada, NOW)
    label(story, ada, held)
    held = next_passage(db.session, story, ada, NOW)
    db.session.commit()
    service.withdraw_document(db.session, story, document_of(story).id, admin, "uploaded to the wrong project")
    db.session.commit()
    assert {p.excluded_reason for p in passages_of(story)} == {"withdrawn"}
    assert annotatable_count(story) == 0 and document_of(story).withdrawn_at is not None
    assert next_passage(db.session, story, ada, NOW) is None
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 1
    with pytest.raises(Conflict, match="withdrawn document"):
        service.include_passage(db.session, story, held.id, admin)
    with pytest.raises(Conflict, match="already withdrawn"):
        service.withdraw_document(db.session, story, document_of(story).id, admin)
    assert corrections()[0].details["after"] == {"passages_withdrawn": 3}
    db.session.rollback()
    assert_counters_agree_with_a_recount(story)


def test_a_document_without_labels_is_removed_and_one_with_labels_must_be_withdrawn(
    story, admin, make_user, import_texts, write_file
):
    import_texts(story, [write_file("other.txt", "A different report about the bus lanes of the harbour district.\n")])
    story_document, other = db.session.scalars(sa.select(Document).order_by(Document.id)).all()
    service.remove_document(db.session, story, other.id, admin, "wrong file")
    db.session.commit()
    assert db.session.get(Document, other.id) is None and annotatable_count(story) == 3
    assert db.session.scalar(sa.select(sa.func.count()).where(Passage.document_id == other.id)) == 0
    event = corrections()[0]
    assert (event.action, event.document_id, event.details["document"]) == ("remove", other.id, "other")
    ada = make_user("ada")
    label(story, ada, next_passage(db.session, story, ada, NOW))
    with pytest.raises(Conflict, match="has labels.*withdraw it instead"):
        service.remove_document(db.session, story, story_document.id, admin)
    db.session.rollback()
    assert_counters_agree_with_a_recount(story)


def test_a_passage_or_document_of_another_project_is_not_there(story, admin, make_project):
    other = make_project("Other")
    with pytest.raises(NotFound):
        service.exclude_passage(db.session, other, passages_of(story)[0].id, admin, "x")
    with pytest.raises(NotFound):
        service.withdraw_document(db.session, other, document_of(story).id, admin)


# --- projects --------------------------------------------------------------------------------


def test_an_archived_project_is_read_only_until_unarchived(story, admin, make_user, write_file, import_texts):
    from annotator.administration.projects import ProjectChanges, update_project
    from annotator.projects.access import ProjectArchived

    ada = make_user("ada")
    passage = passages_of(story)[0]
    service.archive_project(db.session, story, admin, "finished")
    db.session.commit()
    for attempt in (
        lambda: next_passage(db.session, story, ada, NOW),
        lambda: submit_labels(db.session, story, passage, ada, Submission(NO_CLAIM), NOW),
        lambda: skip_passage(db.session, story, passage, ada, "", NOW),
        lambda: service.exclude_passage(db.session, story, passage.id, admin, "menu"),
        lambda: service.withdraw_document(db.session, story, passage.document_id, admin),
        lambda: service.archive_project(db.session, story, admin),
        lambda: update_project(db.session, story, ProjectChanges(overlap_k=3)),
        lambda: import_texts(story, [write_file("late.txt", "A late report on the harbour's bus lanes.\n")]),
    ):
        with pytest.raises(ProjectArchived, match='"Story" is archived, so it is read-only'):
            attempt()
        db.session.rollback()
    service.unarchive_project(db.session, story, admin)
    db.session.commit()
    assert next_passage(db.session, story, ada, NOW) is not None
    assert [c.action for c in corrections()] == ["archive", "unarchive"]


def test_an_archived_project_is_hidden_from_its_annotators_not_its_reviewers(story, admin, make_user, add_member):
    from annotator.administration.projects import projects_of
    from annotator.projects.access import ANNOTATE, REVIEW, VIEW, project_for

    ada, rev = make_user("ada"), make_user("rev", "reviewer")
    add_member(story, "ada")
    add_member(story, "rev", "reviewer")
    service.archive_project(db.session, story, admin)
    db.session.commit()
    assert projects_of(db.session, ada) == [] and projects_of(db.session, rev) == [story]
    with pytest.raises(NotFound):
        project_for(db.session, ada, story.id, VIEW)
    assert project_for(db.session, rev, story.id, REVIEW) == story
    with pytest.raises(Conflict, match="archived"):
        project_for(db.session, admin, story.id, ANNOTATE)


def test_a_project_is_deleted_only_with_its_exact_name(story, admin):
    with pytest.raises(Invalid, match='type the project\'s name exactly \\("Story"\\)'):
        service.delete_project(db.session, story, "story")
    service.delete_project(db.session, story, "Story")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Passage)) == 0


# --- the text of a span ----------------------------------------------------------------------


def test_a_spans_text_is_the_splitters_text_for_every_passage_of_the_fixtures():
    from annotator.splitting import split_document
    from tests.conftest import FIXTURES

    for path in sorted((FIXTURES / "splitting").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for passage in split_document(raw):
            assert span_text(raw, passage.start, passage.end) == passage.text, (path.name, passage.index)


def test_an_excluded_passage_leaves_the_review_queue_and_comes_back_when_included(labelled, make_user):
    from annotator.review.queue import next_in_queue, queue_length

    admin = make_user("root", "admin")
    waiting = queue_length(db.session, labelled)
    disputed = next_in_queue(db.session, labelled)
    assert waiting and disputed is not None
    service.exclude_passage(db.session, labelled, disputed, admin, "not a claim after all")
    db.session.commit()
    assert queue_length(db.session, labelled) == waiting - 1 and next_in_queue(db.session, labelled) != disputed
    from annotator.administration.projects import ProjectChanges, update_project

    update_project(db.session, labelled, ProjectChanges(overlap_k=2))  # every passage's agreement measured again
    update_project(db.session, labelled, ProjectChanges(overlap_k=3))
    db.session.commit()
    assert queue_length(db.session, labelled) == waiting - 1
    service.include_passage(db.session, labelled, disputed, admin)
    db.session.commit()
    assert queue_length(db.session, labelled) == waiting and next_in_queue(db.session, labelled) == disputed


def test_removing_a_document_hands_out_the_first_repeat_of_its_passages(story, admin, import_texts, write_file):
    repeated = STORY.split("\n\n")[0]
    import_texts(story, [write_file("again.txt", f"{repeated}\n\nA new paragraph about the harbour's bus lanes.\n")])
    import_texts(story, [write_file("thrice.txt", f"{repeated}\n\nAnother paragraph, this one about trams.\n")])
    again, thrice = (
        db.session.scalar(sa.select(Passage).join(Document).where(Document.external_id == name, Passage.index == 0))
        for name in ("again", "thrice")
    )
    assert again.excluded_reason == thrice.excluded_reason == "duplicate"
    before = annotatable_count(story)
    service.remove_document(db.session, story, document_of(story).id, admin, "wrong file")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Passage, again.id).annotatable and annotatable_count(story) == before - 3 + 1
    assert db.session.get(Passage, thrice.id).duplicate_of_id == again.id
    assert corrections()[0].details["after"] == {"included": [again.id]}
    assert_counters_agree_with_a_recount(story)


def test_a_discussed_passage_is_neither_removed_nor_merged_away_with_its_thread(story, admin):
    from annotator.discussion.models import DiscussionEntry
    from annotator.discussion.thread import add_comment, thread_of

    first, second, _ = passages_of(story)
    add_comment(db.session, story, second.id, admin, "Is the cost a claim of its own?")
    db.session.commit()
    with pytest.raises(Conflict, match="a discussion"):
        service.merge_with_next(db.session, story, first.id, admin)
    db.session.rollback()
    with pytest.raises(Conflict, match="a discussion"):
        service.remove_document(db.session, story, document_of(story).id, admin)
    db.session.rollback()
    assert [entry.body for entry in thread_of(db.session, second.id).entries] == ["Is the cost a claim of its own?"]
    assert db.session.scalar(sa.select(sa.func.count(DiscussionEntry.id))) == 1
