"""The label path in process, fixed k against adaptive overlap (and, with --gold-every N, against
adaptive overlap with gold checks mixed in at 1 in N through the path the screens and the API
take, annotator.quality.serving): annotators take turns asking for
their next passage and labelling it (random labels of the load benchmark: two annotators agree
one time in four, so the adaptive rule is asked often), through the assignment services, one
transaction per label, no HTTP. Per label: CPU milliseconds of this process (with SQLite that
includes the database's work; with PostgreSQL only the Python side) and wall milliseconds. The
variants run in turn, ROUNDS times, each on a fresh project, so both meet the same machine.

    python bench/label_path_bench.py [--database sqlite|postgresql] [--labels 3000] [--rounds 3]
                                     [--k 3] [--adaptive 2 4 0.3] [--passages 2000] [--annotators 50]
                                     [--gold-every 20]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotate_load import prepare  # noqa: E402
from load_client import LABEL_CHOICES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--labels", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--adaptive", nargs=3, type=float, default=(2, 4, 0.3), metavar=("K_MIN", "K_MAX", "BELOW"))
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--gold-every", type=int, default=0, help="a third variant: adaptive with gold at 1 in N")
    args = parser.parse_args()
    adaptive = (int(args.adaptive[0]), int(args.adaptive[1]), args.adaptive[2])
    print(f"{os.cpu_count()} cores, database {args.database}, {args.labels:,} labels per run, load {_load()}")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        variants = [(None, 0), (adaptive, 0)] + ([(adaptive, args.gold_every)] if args.gold_every else [])
        for round_ in range(args.rounds):
            for overlap, gold_every in variants:
                world = prepare(
                    argparse.Namespace(**{**vars(args), "gold_every": gold_every}),
                    Path(scratch) / f"{round_}-{overlap is not None}-{gold_every}",
                    args.passages,
                    overlap,
                )
                load = _load()
                cpu, wall, completed, extra = label_path(world, args.labels, through_quality=bool(gold_every))
                name = f"fixed k={args.k}" if overlap is None else "adaptive k={}..{}, below {:g}".format(*overlap)
                name += f", gold 1 in {gold_every}" if gold_every else ""
                rows.append((name, load, cpu, wall, completed, extra))
    print(f"\n{'variant':42} {'load':>5} {'CPU ms/label':>12} {'wall ms/label':>13} {'complete':>8} {'given more':>10}")
    for name, load, cpu, wall, completed, extra in rows:
        print(f"{name:42} {load:5.1f} {cpu:12.2f} {wall:13.2f} {completed:8,} {extra:10,}")
    for name in dict.fromkeys(row[0] for row in rows):
        cpus = [row[2] for row in rows if row[0] == name]
        print(f"{name:42} median CPU ms/label {statistics.median(cpus):.2f}")


def label_path(world, labels: int, through_quality: bool = False) -> tuple[float, float, int, int]:
    """Label `labels` passages, annotators in turn; returns CPU and wall ms per label, the
    passages complete and those given more annotators than k-min. `through_quality`: through
    annotator.quality.serving (gold checks mixed in, answers on them counted as labels here)."""
    os.environ.update({key: world.env[key] for key in ("ANNOTATOR_DATABASE_URL", "ANNOTATOR_SECRET_KEY")})
    import sqlalchemy as sa

    from annotator import create_app
    from annotator.annotations.recording import Submission
    from annotator.assignment.progress import project_progress
    from annotator.assignment.service import next_passage, submit_labels
    from annotator.clock import utcnow
    from annotator.documents.models import Passage
    from annotator.extensions import db
    from annotator.projects.models import Project
    from annotator.quality.serving import next_for_annotator, submit_answer
    from annotator.users.models import User

    def next_one(project, user, now):
        if through_quality:
            return next_for_annotator(db.session, project, user, now, HOLD)
        return next_passage(db.session, project, user, now)

    def submit(project, passage, user, submission, now):
        if through_quality:
            return submit_answer(db.session, project, passage, user, submission, now)
        return submit_labels(db.session, project, passage, user, submission, now)

    app = create_app()
    rng = random.Random(2026)
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        users = list(db.session.scalars(sa.select(User).where(User.username.in_(world.tokens))))
        done, turn = 0, 0
        cpu, wall = time.process_time(), time.perf_counter()
        while done < labels:
            user = users[turn % len(users)]
            turn += 1
            passage = next_one(project, user, utcnow())
            if passage is not None:
                submit(project, passage, user, Submission(rng.choice(LABEL_CHOICES)), utcnow())
                done += 1
            db.session.commit()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        completed = project_progress(db.session, project).complete
        extra = db.session.scalar(sa.select(sa.func.count()).where(Passage.extra_labels > 0))
        db.session.remove()
        db.engine.dispose()
    return 1000 * cpu / labels, 1000 * wall / labels, completed, extra


HOLD = timedelta(minutes=30)


def _load() -> float:
    return os.getloadavg()[0]


if __name__ == "__main__":
    main()
