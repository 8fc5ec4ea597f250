"""Splitting batches of documents, in worker processes when there is much to split.

Splitting is pure CPU work, so on a multi-core machine it runs in other processes while this
one reads input and writes to the database. At most two batches per worker are in flight, so
memory stays bounded whatever the size of the input."""

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from annotator.importing.worker_processes import worker_context
from annotator.splitting import SplitPassage, document_units, split_units
from annotator.splitting.titles import document_title

WORKER_NICENESS = 10


@dataclass
class SplitJob:
    max_chars: int
    documents: list = field(default_factory=list)  # _Pending, filled with passages (and a title) when split
    outcomes_before: list = field(default_factory=list)  # outcomes to report before this batch


def split_texts(texts: list[tuple[str, bool]], max_chars: int) -> list[tuple[list[SplitPassage], str]]:
    """Each (text, untitled) as its passages and, for an untitled text, the title its text gives."""
    return [_split_text(text, untitled, max_chars) for text, untitled in texts]


def _split_text(text: str, untitled: bool, max_chars: int) -> tuple[list[SplitPassage], str]:
    """Passages and title are made from one reading of the text into paragraphs."""
    units = document_units(text)
    return split_units(text, units, max_chars=max_chars), document_title(text, units) if untitled else ""


def split_batches(jobs: Iterator[SplitJob], workers: int) -> Iterator[SplitJob]:
    """The jobs in order, each document's `passages` filled in. Until the worker pool has
    started, this process splits batches itself; results are always handed on in input
    order, so that "first occurrence" of repeated text does not depend on timing."""
    if workers <= 1:
        for job in jobs:
            _split_here(job)
            yield job
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(), initializer=_lower_priority) as pool:
        started = pool.submit(_ready)
        in_flight: deque = deque()
        for job in jobs:
            if started.done():
                in_flight.append((job, pool.submit(split_texts, _texts(job), job.max_chars)))
            else:
                in_flight.append((_split_here(job), None))
            while in_flight and (in_flight[0][1] is None or len(in_flight) >= 2 * workers):
                yield _finished(*in_flight.popleft())
        while in_flight:
            yield _finished(*in_flight.popleft())


def _ready() -> bool:
    return True


def _lower_priority() -> None:
    """Splitting is background work: a server beside the import answers first."""
    os.nice(WORKER_NICENESS)


def _texts(job: SplitJob) -> list[tuple[str, bool]]:
    return [(document.source.text, not document.source.title) for document in job.documents]


def _split_here(job: SplitJob) -> SplitJob:
    _fill(job, split_texts(_texts(job), job.max_chars))
    return job


def _finished(job: SplitJob, future) -> SplitJob:
    if future is not None:
        _fill(job, future.result())
    return job


def _fill(job: SplitJob, results: list[tuple[list[SplitPassage], str]]) -> None:
    for document, (passages, title) in zip(job.documents, results, strict=True):
        document.passages, document.derived_title = passages, title
