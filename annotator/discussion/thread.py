"""A passage's discussion thread: who may read and write it, its entries, its resolved state.

Reviewers and admins of the project discuss any of its passages and resolve or reopen threads;
an annotator joins the thread of a passage they labelled once it is complete (before that they
stay blind to the others' answers, and a thread would not keep them so)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation
from annotator.assignment.lifecycle import NEEDED
from annotator.clock import utcnow
from annotator.discussion.models import COMMENT, MAX_COMMENT, REOPEN, RESOLVE, DiscussionEntry
from annotator.documents.models import Passage
from annotator.domain_errors import Conflict, Forbidden, Invalid
from annotator.projects.access import REVIEW, may, refuse_if_archived
from annotator.projects.models import Project
from annotator.users.models import User

_passage = Passage.__table__
_COMPLETE = sa.select(sa.and_(_passage.c.annotatable, _passage.c.label_count >= NEEDED)).where(
    _passage.c.id == sa.bindparam("passage_id")
)


class NotInThread(Forbidden):
    """The user may not read or write this passage's discussion."""


class EmptyComment(Invalid):
    """A comment with no text, or too long."""


class AlreadyInState(Conflict):
    """Resolving a resolved thread, or reopening an open one."""


@dataclass(frozen=True)
class Entry:
    kind: str  # COMMENT, RESOLVE, REOPEN
    author: str  # a username ("a former account" once deleted)
    body: str
    at: datetime


@dataclass(frozen=True)
class Thread:
    passage_id: int
    entries: list[Entry]
    resolved: Entry | None  # the resolve in force, None while the thread is open

    @property
    def comments(self) -> int:
        return sum(entry.kind == COMMENT for entry in self.entries)


def is_complete(session: so.Session, passage_id: int) -> bool:
    """Whether the passage has all the labels it needs (annotator.assignment.lifecycle)."""
    return bool(session.connection().execute(_COMPLETE, {"passage_id": passage_id}).scalar())


def labelled_by(session: so.Session, passage_id: int, user: User) -> bool:
    return (
        session.scalar(
            sa.select(Annotation.id).where(Annotation.passage_id == passage_id, Annotation.user_id == user.id)
        )
        is not None
    )


def may_discuss(session: so.Session, user: User, project: Project, passage_id: int) -> bool:
    """Reviewers and admins of the project; annotators of the passage once it is complete."""
    if may(session, user, project.id, REVIEW):
        return True
    return labelled_by(session, passage_id, user) and is_complete(session, passage_id)


def refuse_unless_discussing(session: so.Session, user: User, project: Project, passage_id: int) -> None:
    if not may_discuss(session, user, project, passage_id):
        raise NotInThread("only the project's reviewers, and the annotators of a complete passage, discuss it")


def thread_of(session: so.Session, passage_id: int) -> Thread:
    """Every entry of the passage's thread, oldest first, and whether it is resolved."""
    rows = session.execute(
        sa.select(DiscussionEntry.kind, User.username, DiscussionEntry.body, DiscussionEntry.at)
        .outerjoin(User, User.id == DiscussionEntry.author_id)
        .where(DiscussionEntry.passage_id == passage_id)
        .order_by(DiscussionEntry.id)
    )
    entries = [Entry(kind, author or "a former account", body, at) for kind, author, body, at in rows]
    states = [entry for entry in entries if entry.kind != COMMENT]
    return Thread(passage_id, entries, states[-1] if states and states[-1].kind == RESOLVE else None)


def add_comment(session: so.Session, project: Project, passage_id: int, author: User, body: str) -> None:
    """Add a plain-text comment to the passage's thread (the caller checked `may_discuss`)."""
    refuse_if_archived(project)
    text = body.strip()
    if not text or len(text) > MAX_COMMENT:
        raise EmptyComment(f"a comment needs some text, at most {MAX_COMMENT} characters")
    _append(session, project, passage_id, author, COMMENT, text)


def set_resolved(session: so.Session, project: Project, passage_id: int, user: User, resolved: bool) -> None:
    """Resolve or reopen the thread, as a reviewer or admin of the project."""
    refuse_if_archived(project)
    if not may(session, user, project.id, REVIEW):
        raise NotInThread("only the project's reviewers and admins resolve or reopen a discussion")
    if (thread_of(session, passage_id).resolved is not None) == resolved:
        raise AlreadyInState("the discussion is already " + ("resolved" if resolved else "open"))
    _append(session, project, passage_id, user, RESOLVE if resolved else REOPEN, "")


def _append(session: so.Session, project: Project, passage_id: int, user: User, kind: str, body: str) -> None:
    session.add(
        DiscussionEntry(
            project_id=project.id, passage_id=passage_id, author_id=user.id, kind=kind, body=body, at=utcnow()
        )
    )
    session.flush()
