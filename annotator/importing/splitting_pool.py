"""Splitting batches of documents, in worker processes when there is much to split.

Splitting is pure CPU work, so on a multi-core machine it runs in other processes while this
one reads input and writes to the database. At most two batches per worker are in flight, so
memory stays bounded whatever the size of the input."""

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from annotator.splitting import SplitPassage, split_document


@dataclass
class SplitJob:
    max_chars: int
    documents: list = field(default_factory=list)  # _Pending, filled with passages when split
    outcomes_before: list = field(default_factory=list)  # outcomes to report before this batch


def split_texts(texts: list[str], max_chars: int) -> list[list[SplitPassage]]:
    return [split_document(text, max_chars=max_chars) for text in texts]


def split_batches(jobs: Iterator[SplitJob], workers: int) -> Iterator[SplitJob]:
    """The jobs in order, each document's `passages` filled in."""
    if workers <= 1:
        for job in jobs:
            _fill(job, split_texts([d.source.text for d in job.documents], job.max_chars))
            yield job
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        in_flight: deque = deque()
        for job in jobs:
            in_flight.append((job, pool.submit(split_texts, [d.source.text for d in job.documents], job.max_chars)))
            if len(in_flight) >= 2 * workers:
                yield _finished(*in_flight.popleft())
        while in_flight:
            yield _finished(*in_flight.popleft())


def _finished(job: SplitJob, future) -> SplitJob:
    _fill(job, future.result())
    return job


def _fill(job: SplitJob, results: list[list[SplitPassage]]) -> None:
    for document, passages in zip(job.documents, results):
        document.passages = passages
