"""A long writer (an import, batch after batch) gives SQLite's other writers a turn: once it has
held the write lock for a while without a break, not after every short batch."""

import time

import pytest
import sqlalchemy as sa

from annotator import write_lock
from annotator.extensions import db
from annotator.projects.models import Project


class _Clock:
    """write_lock's view of time: moved by hand; its pauses recorded instead of slept."""

    def __init__(self):
        # after every real use of the lock (its past held time lapsed), and a whole number, so
        # that steps of 1/16 s add up exactly (0.05 s steps did not always reach 0.2 s)
        self.now = float(int(time.monotonic()) + 1000)
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(app, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers share no lock: no pause")
    fake = _Clock()
    monkeypatch.setattr(write_lock, "time", fake)
    return fake


def _batch(project_id: int, clock: _Clock, holding: float, then_idle: float = 0.0) -> None:
    """One batch as an import writes it: a write, `holding` seconds with the lock, a commit,
    `then_idle` seconds of reading and splitting the next batch, and the importer's turn."""
    db.session.execute(sa.update(Project).where(Project.id == project_id).values(annotatable_passages=0))
    clock.now += holding
    db.session.commit()
    clock.now += then_idle
    write_lock.give_other_writers_a_turn(db.session)


def test_short_batches_pause_once_the_lock_was_held_long_enough(make_project, clock):
    project = make_project()
    step = 1 / 16  # seconds a short batch holds the lock (exact in binary)
    assert 3 * step < write_lock.TURN_AFTER_SECONDS <= 4 * step
    for _ in range(3):
        _batch(project.id, clock, holding=step)
    assert clock.pauses == []  # 0.19 s held: short batches go on without pausing
    _batch(project.id, clock, holding=step)
    assert clock.pauses == [write_lock.OTHERS_TURN_SECONDS]  # 0.25 s held: the others' turn
    for _ in range(3):
        _batch(project.id, clock, holding=step)
    assert clock.pauses == [write_lock.OTHERS_TURN_SECONDS]  # counted again from the pause


def test_a_long_batch_pauses_after_itself(make_project, clock):
    project = make_project()
    _batch(project.id, clock, holding=0.3)
    assert clock.pauses == [write_lock.OTHERS_TURN_SECONDS]


def test_time_spent_between_batches_was_the_others_turn(make_project, clock):
    """Splitting a batch for longer than the busy handler's longest sleep leaves the lock free
    long enough for every waiting writer: no pause needed on top."""
    project = make_project()
    for _ in range(6):
        _batch(project.id, clock, holding=0.05, then_idle=1.5 * write_lock.OTHERS_TURN_SECONDS)
    assert clock.pauses == []
