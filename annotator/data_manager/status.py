"""Where a passage stands, in the words of the data manager: excluded (and why), open, in
progress, complete, disputed, adjudicated. The definitions are the assignment's and the review
queue's (annotator.assignment.lifecycle, annotator.review.queue), read from the counters they keep:

- **excluded**: not annotatable, for its `excluded_reason`;
- **open**: annotatable, with no labels and nobody holding it;
- **in progress**: annotatable, labelled or held, with fewer labels than it needs (the
  project's k, plus one for each time its annotators disagreed and the adaptive overlap asked for more);
- **complete**: annotatable, with the labels it needs;
- **disputed**: complete, its annotators disagree and no reviewer has decided it (it is in the
  review queue);
- **adjudicated**: a reviewer decided its labels.
"""

from collections.abc import Iterable

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import Adjudication
from annotator.assignment.lifecycle import NEEDED
from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.documents.models import EXCLUDED_REASONS, Passage
from annotator.domain_errors import Invalid

EXCLUDED, OPEN, IN_PROGRESS, COMPLETE, DISPUTED, ADJUDICATED = (
    "excluded",
    "open",
    "in_progress",
    "complete",
    "disputed",
    "adjudicated",
)
# What the status filter takes: each status, and "excluded:REASON" for one reason of exclusion.
STATUS_FILTERS = (OPEN, IN_PROGRESS, COMPLETE, DISPUTED, ADJUDICATED, EXCLUDED) + tuple(
    f"{EXCLUDED}:{reason}" for reason in EXCLUDED_REASONS
)

_passage = Passage.__table__
_DISPUTED = sa.exists().where(
    PassageAgreement.passage_id == _passage.c.id,
    PassageAgreement.field == ANY_FIELD,
    PassageAgreement.awaiting_review == 1,
)
_ADJUDICATED = sa.exists().where(Adjudication.passage_id == _passage.c.id)
_COMPLETE = sa.and_(_passage.c.annotatable, _passage.c.label_count >= NEEDED)
_TOUCHED = sa.or_(_passage.c.label_count > 0, _passage.c.assigned_count > 0)


class UnknownStatus(Invalid):
    """A status filter that is none of STATUS_FILTERS."""


def status_condition(status: str) -> sa.ColumnElement[bool]:
    """The SQL condition, on a row of the passage table, that the passage has this status
    (one of STATUS_FILTERS)."""
    if status == EXCLUDED:
        return sa.not_(_passage.c.annotatable)
    if status.startswith(EXCLUDED + ":") and status in STATUS_FILTERS:
        return _passage.c.excluded_reason == status.partition(":")[2]
    conditions = {
        OPEN: sa.and_(_passage.c.annotatable, sa.not_(_TOUCHED)),
        IN_PROGRESS: sa.and_(_passage.c.annotatable, _TOUCHED, _passage.c.label_count < NEEDED),
        COMPLETE: _COMPLETE,
        DISPUTED: _DISPUTED,
        ADJUDICATED: _ADJUDICATED,
    }
    if status not in conditions:
        raise UnknownStatus(f"status must be one of {', '.join(STATUS_FILTERS)}; got {status!r}")
    return conditions[status]


def passage_status(passage, needed: int, disputed: bool, adjudicated: bool) -> str:
    """The one status a passage is shown with (the most telling of those it has): a passage
    needing `needed` labels (k plus its extra labels), in the review queue or not, decided or not."""
    if not passage.annotatable:
        return EXCLUDED
    if adjudicated:
        return ADJUDICATED
    if disputed:
        return DISPUTED
    if passage.label_count >= needed:
        return COMPLETE
    return IN_PROGRESS if passage.label_count or passage.assigned_count else OPEN


def reviewed_marks(session: so.Session, passage_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """Of these passages: those awaiting review (disputed), and those a reviewer decided."""
    ids = list(passage_ids)
    if not ids:
        return set(), set()
    disputed = session.scalars(
        sa.select(PassageAgreement.passage_id).where(
            PassageAgreement.passage_id.in_(ids),
            PassageAgreement.field == ANY_FIELD,
            PassageAgreement.awaiting_review == 1,
        )
    )
    adjudicated = session.scalars(sa.select(Adjudication.passage_id).where(Adjudication.passage_id.in_(ids)))
    return set(disputed), set(adjudicated)
