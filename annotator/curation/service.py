"""Corrections an admin makes to a project's data after import, each recorded as a Correction
event (who, when, what, why) in the same transaction, and each taking effect at once for
assignment: every change to a passage's place in the queues goes through the passage lifecycle
(annotator.assignment.lifecycle), which gives back holds and keeps the counters.

- exclude / include a passage (an excluded passage is never handed out; its labels stay, and
  stay in the audit and backup exports); a passage held by an annotator right now loses its
  hold, and their submit is refused as excluded (no label is ever acknowledged and then lost);
- merge a passage with the next one of its document, or split one at an offset into the raw
  text: only passages nobody has labelled, skipped, decided or discussed, since labels were given
  to the text as it stands (and a thread would go with the passage); holders are let go (the
  text they were shown changes);
- retitle, withdraw (a document with labels: out of annotation and the training export, kept in
  the audit and backup) and remove (a document without labels) a document;
- archive and unarchive a project (read-only while archived); delete one, after its exact name.

Services flush; the caller commits."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import Adjudication
from annotator.annotations.models import AnnotationEvent
from annotator.assignment.lifecycle import (
    annotatable_changed,
    holds_released,
    passage_included,
    passage_requeued,
    passages_excluded,
)
from annotator.clock import utcnow
from annotator.curation.models import Correction
from annotator.discussion.models import DiscussionEntry
from annotator.documents.lookup import NoSuchDocument, NoSuchPassage
from annotator.documents.models import Document, Passage
from annotator.domain_errors import Conflict, Invalid
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.users.models import User
from annotator.write_lock import begin_write

MAX_REASON = 2000
MAX_TITLE = 500


class CorrectionRefused(Conflict):
    """A correction that the data as it stands does not allow (labels given, already done)."""


class CorrectionInvalid(Invalid):
    """A correction asked for with input that cannot be used (no reason, an empty title)."""


# --- passages --------------------------------------------------------------------------------


def exclude_passage(
    session: so.Session, project: Project, passage_id: int, admin: User | None, reason: str
) -> Correction:
    """Take the passage out of annotation ("manual"; the why is the correction's reason)."""
    reason = _required_reason(reason, "excluding a passage")
    passage = _passage(session, project, passage_id)
    _refuse_in_withdrawn_document(session, passage)
    if not passage.annotatable:
        raise CorrectionRefused(f"passage {passage.id} is already excluded ({passage.excluded_reason})")
    before = _status(passage)
    passages_excluded(session, project, [passage.id], "manual")
    session.refresh(passage)
    return _record(session, project, admin, "exclude", reason, passage, before=before, after=_status(passage))


def include_passage(
    session: so.Session, project: Project, passage_id: int, admin: User | None, reason: str = ""
) -> Correction:
    """Hand an excluded passage out again: one an admin excluded, or one the splitter excluded
    (boilerplate, a repeat, a heading, a fragment). A withdrawn document's passages stay out."""
    passage = _passage(session, project, passage_id)
    _refuse_in_withdrawn_document(session, passage)
    if passage.annotatable:
        raise CorrectionRefused(f"passage {passage.id} is not excluded: it is already handed out")
    before = {**_status(passage), "duplicate_of_id": passage.duplicate_of_id}
    passage_included(session, project, passage.id)
    session.refresh(passage)
    return _record(session, project, admin, "include", _reason(reason), passage, before=before, after=_status(passage))


def merge_with_next(
    session: so.Session, project: Project, passage_id: int, admin: User | None, reason: str = ""
) -> Passage:
    """Join the passage with the one after it in its document: one passage over both spans, its
    text worked out from the raw text as the splitter would; the next one's place is gone and the
    passages after it move up one. Neither may have labels, skips or a decision. Returns the
    merged passage."""
    from annotator.curation.spans import span_hash, span_text  # the splitter: loaded by the corrections that cut text

    first = _passage(session, project, passage_id)
    document = _document_of(session, first)
    following = session.scalar(
        sa.select(Passage).where(Passage.document_id == first.document_id, Passage.index == first.index + 1)
    )
    if following is None:
        raise CorrectionRefused(f"passage {first.id} is the last of its document: no passage follows to merge with")
    first, following = _reserved(session, [first, following], "merged")
    before = [_span(first), _span(following)]
    was_annotatable = first.annotatable + following.annotatable
    first.end, first.text = following.end, span_text(document.raw_text, first.start, following.end)
    first.text_hash = span_hash(first.text)
    if not first.annotatable and following.annotatable:  # a heading joined to its paragraph: the whole is text
        first.annotatable, first.excluded_reason, first.duplicate_of_id = True, None, None
    repeats_of_following = sa.update(Passage).where(Passage.duplicate_of_id == following.id)
    session.execute(repeats_of_following.values(duplicate_of_id=first.id).execution_options(synchronize_session=False))
    session.delete(following)
    session.flush()
    _shift_indexes(session, document.id, after=following.index, by=-1)
    document.passage_count -= 1
    annotatable_changed(session, project, first.annotatable - was_annotatable)
    passage_requeued(session, first.id)
    session.refresh(first)
    _record(session, project, admin, "merge", _reason(reason), first, before=before, after=_span(first))
    return first


def split_passage(
    session: so.Session, project: Project, passage_id: int, at: int, admin: User | None, reason: str = ""
) -> tuple[Passage, Passage]:
    """Cut the passage in two at `at`, an offset into the document's raw text strictly inside
    the passage and between two words (refused inside a word, naming the nearest places that
    work). Both halves keep the passage's status; the passages after it move down one. It may
    not have labels, skips or a decision. Returns the two halves."""
    from annotator.curation.spans import span_hash, span_text, split_spans

    passage = _passage(session, project, passage_id)
    document = _document_of(session, passage)
    (left_start, left_end), (right_start, right_end) = split_spans(document.raw_text, passage.start, passage.end, at)
    (passage,) = _reserved(session, [passage], "split")
    before = _span(passage)
    _shift_indexes(session, document.id, after=passage.index, by=1)
    passage.end, passage.text = left_end, span_text(document.raw_text, left_start, left_end)
    passage.text_hash = span_hash(passage.text)
    right_text = span_text(document.raw_text, right_start, right_end)
    second = Passage(
        project_id=project.id,
        document_id=document.id,
        index=passage.index + 1,
        start=right_start,
        end=right_end,
        text=right_text,
        text_hash=span_hash(right_text),
        annotatable=passage.annotatable,
        excluded_reason=passage.excluded_reason,
        duplicate_of_id=passage.duplicate_of_id,
        splitter_version=passage.splitter_version,
    )
    session.add(second)
    session.flush()
    document.passage_count += 1
    annotatable_changed(session, project, int(second.annotatable))
    for half in (passage, second):
        passage_requeued(session, half.id)
        session.refresh(half)
    _record(
        session, project, admin, "split", _reason(reason), passage, before=before, after=[_span(passage), _span(second)]
    )
    return passage, second


# --- documents -------------------------------------------------------------------------------


def retitle_document(
    session: so.Session, project: Project, document_id: int, title: str, admin: User | None, reason: str = ""
) -> Correction:
    """Change the document's title."""
    document = _document(session, project, document_id)
    title = " ".join(title.split())
    if not title:
        raise CorrectionInvalid("a document's title cannot be empty")
    if len(title) > MAX_TITLE:
        raise CorrectionInvalid(f"a document's title has at most {MAX_TITLE} characters")
    if title == document.title:
        raise CorrectionRefused("the document already has that title")
    before, document.title = document.title, title
    return _record(
        session,
        project,
        admin,
        "retitle",
        _reason(reason),
        document=document,
        before={"title": before},
        after={"title": title},
    )


def withdraw_document(
    session: so.Session, project: Project, document_id: int, admin: User | None, reason: str = ""
) -> Correction:
    """Take the document out of annotation and out of the training export: its annotatable
    passages are excluded ("withdrawn"), its holds given back. Its passages and labels stay, in
    the audit and backup exports."""
    document = _document(session, project, document_id)
    if document.withdrawn_at is not None:
        raise CorrectionRefused(f'document "{document.title}" was already withdrawn')
    annotatable = list(
        session.scalars(sa.select(Passage.id).where(Passage.document_id == document.id, Passage.annotatable))
    )
    passages_excluded(session, project, annotatable, "withdrawn")
    document.withdrawn_at = utcnow()
    return _record(
        session,
        project,
        admin,
        "withdraw",
        _reason(reason),
        document=document,
        after={"passages_withdrawn": len(annotatable)},
    )


def remove_document(
    session: so.Session, project: Project, document_id: int, admin: User | None, reason: str = ""
) -> Correction:
    """Delete a document nobody has labelled, skipped, decided or discussed, with its passages (a wrong
    upload). One with labels can only be withdrawn: its labels belong to the record. A passage
    elsewhere that repeated one of its passages is now the first occurrence: handed out."""
    document = _document(session, project, document_id)
    passage_ids = list(session.scalars(sa.select(Passage.id).where(Passage.document_id == document.id)))
    if _worked_on(session, passage_ids):
        raise CorrectionRefused(
            f'document "{document.title}" has labels (or skips, decisions or a discussion), so it cannot be removed: '
            "withdraw it instead (it leaves annotation and the training export, and its labels stay in the audit)"
        )
    holds_released(session, passage_ids, let_go=True)
    annotatable = session.scalar(
        sa.select(sa.func.count()).where(Passage.document_id == document.id, Passage.annotatable)
    )
    details = {"title": document.title, "passages": document.passage_count, "sha256": document.sha256}
    promoted = _first_repeats_included(session, project, document, passage_ids)
    correction = _record(
        session,
        project,
        admin,
        "remove",
        _reason(reason),
        document=document,
        before=details,
        after={"included": promoted},
    )
    session.execute(sa.delete(Passage).where(Passage.document_id == document.id))
    session.delete(document)
    session.flush()
    annotatable_changed(session, project, -annotatable)
    return correction


def _first_repeats_included(session, project: Project, document: Document, passage_ids: list[int]) -> list[int]:
    """Passages of other documents that repeat the removed ones: the first repeat of each is
    included (it is the first occurrence now), the others repeat it. Returns the included ones."""
    repeats = session.execute(
        sa.select(Passage.id, Passage.duplicate_of_id)
        .join(Document, Document.id == Passage.document_id)
        .where(
            Passage.duplicate_of_id.in_(passage_ids),
            Passage.document_id != document.id,
            Passage.excluded_reason == "duplicate",
            Document.withdrawn_at.is_(None),
        )
        .order_by(Passage.duplicate_of_id, Passage.document_id, Passage.index)
    ).all()
    first_of: dict[int, int] = {}
    for passage_id, original in repeats:
        if original not in first_of:
            first_of[original] = passage_id
            passage_included(session, project, passage_id)
        else:
            session.execute(
                sa.update(Passage)
                .where(Passage.id == passage_id)
                .values(duplicate_of_id=first_of[original])
                .execution_options(synchronize_session=False)
            )
    return list(first_of.values())


def document_named(session: so.Session, project: Project, external_id: str) -> Document:
    """The project's document with this id of its own (its file name or the `id` of its line)."""
    document = session.scalar(
        sa.select(Document).where(Document.project_id == project.id, Document.external_id == external_id)
    )
    if document is None:
        raise NoSuchDocument(f'no document "{external_id}" in project "{project.name}"')
    return document


# --- projects --------------------------------------------------------------------------------


def archive_project(session: so.Session, project: Project, admin: User | None, reason: str = "") -> Correction:
    """Archive the project: hidden from its annotators, read-only for everyone until unarchived;
    its reviewers and admins still see and export it."""
    begin_write(session)
    refuse_if_archived(project)
    project.archived_at = utcnow()
    return _record(session, project, admin, "archive", _reason(reason))


def unarchive_project(session: so.Session, project: Project, admin: User | None, reason: str = "") -> Correction:
    """Open an archived project again."""
    begin_write(session)
    if project.archived_at is None:
        raise CorrectionRefused(f'project "{project.name}" is not archived')
    archived_at, project.archived_at = project.archived_at, None
    return _record(
        session, project, admin, "unarchive", _reason(reason), before={"archived_at": archived_at.isoformat()}
    )


def delete_project(session: so.Session, project: Project, typed_name: str) -> None:
    """Delete the project and everything in it, once the admin typed its exact name."""
    if typed_name != project.name:
        raise CorrectionInvalid(f'type the project\'s name exactly ("{project.name}") to delete it')
    begin_write(session)
    session.execute(sa.delete(Project).where(Project.id == project.id))
    session.expunge(project)


# --- the parts -------------------------------------------------------------------------------


def _passage(session, project: Project, passage_id: int) -> Passage:
    """The passage, for a correction: the project is not archived, this is a write transaction."""
    refuse_if_archived(project)
    begin_write(session)
    passage = session.get(Passage, passage_id, populate_existing=True)
    if passage is None or passage.project_id != project.id:
        raise NoSuchPassage(f"passage {passage_id} not found in this project")
    return passage


def _document(session, project: Project, document_id: int) -> Document:
    refuse_if_archived(project)
    begin_write(session)
    document = session.get(Document, document_id, populate_existing=True)
    if document is None or document.project_id != project.id:
        raise NoSuchDocument(f"document {document_id} not found in this project")
    return document


def _document_of(session, passage: Passage) -> Document:
    document = session.get(Document, passage.document_id)
    if document.withdrawn_at is not None:
        raise CorrectionRefused(f'document "{document.title}" was withdrawn: its passages are no longer corrected')
    return document


def _refuse_in_withdrawn_document(session, passage: Passage) -> None:
    if passage.excluded_reason == "withdrawn" or session.get(Document, passage.document_id).withdrawn_at:
        raise CorrectionRefused(f"passage {passage.id} belongs to a withdrawn document")


def _reserved(session, passages: list[Passage], doing: str) -> list[Passage]:
    """The passages, their holders let go and their rows locked, once it is sure that nobody
    labelled, skipped or decided them (labels were given to the text as it stands)."""
    ids = [passage.id for passage in passages]
    holds_released(session, ids, let_go=True)
    locked = {
        passage.id: passage
        for passage in session.scalars(
            sa.select(Passage)
            .where(Passage.id.in_(ids))
            .order_by(Passage.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    for passage in locked.values():
        if passage.label_count or _worked_on(session, [passage.id]):
            raise CorrectionRefused(
                f"passage {passage.id} has labels (or skips, a decision or a discussion), so it cannot be {doing}: "
                "its labels were given to its text as it stands (exclude it instead: its labels are kept)"
            )
        if passage.assigned_count:
            raise CorrectionRefused(f"passage {passage.id} was just handed to an annotator: try again in a moment")
    return [locked[passage_id] for passage_id in ids]


def _worked_on(session, passage_ids: list[int]) -> bool:
    """Whether anybody labelled, skipped or decided any of these passages, or discussed them
    (a thread would go with the passage)."""
    if not passage_ids:
        return False
    return bool(
        session.scalar(sa.select(sa.exists().where(AnnotationEvent.passage_id.in_(passage_ids))))
        or session.scalar(sa.select(sa.exists().where(Adjudication.passage_id.in_(passage_ids))))
        or session.scalar(sa.select(sa.exists().where(DiscussionEntry.passage_id.in_(passage_ids))))
    )


def _shift_indexes(session, document_id: int, after: int, by: int) -> None:
    """Move the document's passages after `after` by `by` places. PostgreSQL checks the unique
    (document, index) row by row during an UPDATE, so the rows first move out of the way (to
    negative indexes: no passage has one), then to their place."""
    passage = Passage.__table__
    later = passage.c.document_id == document_id
    connection = session.connection()
    connection.execute(passage.update().where(later, passage.c.index > after).values(index=-passage.c.index))
    connection.execute(passage.update().where(later, passage.c.index < 0).values(index=by - passage.c.index))


def _status(passage: Passage) -> dict[str, Any]:
    return {"annotatable": passage.annotatable, "excluded_reason": passage.excluded_reason}


def _span(passage: Passage) -> dict[str, Any]:
    return {
        "passage_id": passage.id,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        **_status(passage),
    }


def _required_reason(reason: str, doing: str) -> str:
    reason = _reason(reason)
    if not reason:
        raise CorrectionInvalid(f"{doing} needs a reason: say why, for the audit trail")
    return reason


def _reason(reason: str | None) -> str:
    return (reason or "").strip()[:MAX_REASON]


def _record(
    session,
    project: Project,
    admin: User | None,
    action: str,
    reason: str,
    passage: Passage | None = None,
    document: Document | None = None,
    before: Any = None,
    after: Any = None,
) -> Correction:
    """The correction event, in the transaction of the change it records. The document's own id
    goes into the details too: the event outlives a removed document."""
    if passage is not None and document is None:
        document = session.get(Document, passage.document_id)
    details: dict[str, Any] = {"before": before, "after": after}
    if document is not None:
        details["document"] = document.external_id
    correction = Correction(
        project_id=project.id,
        document_id=document.id if document is not None else None,
        passage_id=passage.id if passage is not None else None,
        user_id=admin.id if admin is not None else None,  # None: from the command line
        action=action,
        reason=reason,
        details=details,
    )
    session.add(correction)
    session.flush()
    return correction
