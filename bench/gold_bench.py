"""Gold checks benchmark: simulated annotators of known skill (as the agreement benchmark has:
each field right with a known chance, else another option at random) and spammers (every field
at random) answer gold passages of the default schema mixed in at 1 in 20; the pausing rule and
the accuracy interval are the app's own (annotator.quality.scoring, scored through the schema).

- how many gold passages a spammer answers before the rule pauses them (the issue asks: within
  10), and how often annotators of known skill are paused (false pauses);
- how often the 95% Wilson interval of an annotator's accuracy covers their simulated skill;
- end to end through the app's services on a real database: a spammer and a skilled annotator
  work a project with gold mixed in at 1 in 20 until the spammer is paused.

    python bench/gold_bench.py [--database sqlite|postgresql] [--trials 10000] [--url EMPTY_DATABASE_URL]
"""

import argparse
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_setup import fresh_database  # noqa: E402

from annotator.quality.scoring import score_answer, should_pause, wilson_interval  # noqa: E402
from annotator.schema.defaults import default_definition  # noqa: E402
from annotator.schema.model import Schema  # noqa: E402

GOLD_EVERY = 20
PAUSE_BELOW, PAUSE_AFTER = 0.6, 5  # the settings the figures are for
SKILLS = (0.9, 0.8, 0.65)
SCHEMA = Schema.parse(default_definition())
OPTIONS = {field["name"]: [o["value"] for o in field["options"]] for field in default_definition()["fields"]}
NO_CLAIM_SHARE = 0.3  # gold passages without a claim: only claim_type is asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--url", help="an empty database to use instead of creating one (PostgreSQL)")
    args = parser.parse_args()
    rng = random.Random(15)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.trials:,} simulated annotators per kind")
    print(f"rule: paused below {PAUSE_BELOW:.0%} of fields right, after {PAUSE_AFTER} gold passages; gold 1 in 20")
    pausing(rng, args.trials)
    coverage(rng, args.trials)
    with tempfile.TemporaryDirectory() as scratch:
        end_to_end(args.url or fresh_database(args.database, Path(scratch), "annotator_gold_bench"), rng)


# --- simulated answers -----------------------------------------------------------------------


def gold_answer(rng: random.Random) -> dict:
    if rng.random() < NO_CLAIM_SHARE:
        return {"claim_type": "no_claim"}
    return {name: rng.choice([v for v in values if v != "no_claim"]) for name, values in OPTIONS.items()}


def answer_of(rng: random.Random, gold: dict, skill: float | None) -> dict:
    """A skilled annotator's answer (each field right with chance `skill`, else another option),
    or a spammer's (skill None: every field at random, as the schema asks it)."""
    claim = _field(rng, "claim_type", gold["claim_type"], skill)
    if claim == "no_claim":
        return {"claim_type": claim}
    return {"claim_type": claim, **{n: _field(rng, n, gold.get(n), skill) for n in ("stance", "verifiability")}}


def _field(rng, name: str, right, skill: float | None):
    if skill is not None and right is not None and rng.random() < skill:
        return right
    return rng.choice([value for value in OPTIONS[name] if skill is None or value != right])


def scores_of(gold: dict, answer: dict) -> dict[str, bool]:
    return score_answer(gold, answer, [field.name for field in SCHEMA.asked(gold)])


# --- the pausing rule ------------------------------------------------------------------------


def gold_until_paused(
    rng: random.Random, skill: float | None, limit: int, threshold: float = PAUSE_BELOW
) -> int | None:
    """How many gold passages the annotator answers before the rule pauses them (None: not within `limit`)."""
    answers = correct = scored = 0
    while answers < limit:
        gold = gold_answer(rng)
        scores = scores_of(gold, answer_of(rng, gold, skill))
        answers, correct, scored = answers + 1, correct + sum(scores.values()), scored + len(scores)
        if should_pause(answers, correct, scored, threshold, PAUSE_AFTER):
            return answers
    return None


def pausing(rng: random.Random, trials: int) -> None:
    for threshold in (0.6, 0.5, 0.4):
        print(f"threshold {threshold:.0%}:")
        pausing_at(rng, trials, threshold)


def pausing_at(rng: random.Random, trials: int, threshold: float) -> None:
    spammers = [gold_until_paused(rng, None, 100, threshold) for _ in range(trials)]
    within = sum(1 for n in spammers if n is not None and n <= 10)
    paused = sorted(n for n in spammers if n is not None)
    print(
        f"  spammer: paused within 10 gold passages in {within / trials:.2%} of {trials:,}; "
        f"median {paused[len(paused) // 2]}, 99th percentile {paused[int(len(paused) * 0.99)]}, "
        f"most {paused[-1]} gold passages (= about {paused[-1] * GOLD_EVERY} passages at 1 in {GOLD_EVERY})"
    )
    for skill in SKILLS:
        falsely = sum(gold_until_paused(rng, skill, 50, threshold) is not None for _ in range(trials))
        print(f"  annotator of skill {skill}: paused within 50 gold passages in {falsely / trials:.2%}")


# --- the interval's coverage -----------------------------------------------------------------


def coverage(rng: random.Random, trials: int) -> None:
    """Per field claim_type (always asked, so its true accuracy is the skill exactly): how often
    the Wilson interval after n gold answers holds the skill."""
    for skill in SKILLS:
        cells = []
        for n in (10, 20, 50, 200):
            held = 0
            for _ in range(trials):
                right = sum(_field(rng, "claim_type", "opinion", skill) == "opinion" for _ in range(n))
                low, high = wilson_interval(right, n)
                held += low <= skill <= high
            cells.append(f"n={n}: {held / trials:.1%}")
        print(f"interval covers skill {skill} (claim_type): " + ", ".join(cells))


# --- end to end through the services -----------------------------------------------------------


def end_to_end(url: str, rng: random.Random) -> None:
    from annotator import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(Path(app.root_path) / "migrations"))
        project, users = _project_with_gold(rng)
        _work_until_the_spammer_is_paused(project, users, rng)


def _project_with_gold(rng):
    from annotator.administration.projects import add_member, create_project
    from annotator.extensions import db
    from annotator.importing.readers import ReadOptions
    from annotator.importing.service import ImportSettings, import_paths
    from annotator.quality.gold import add_imported_gold
    from annotator.quality.settings import QualitySettings, set_quality_settings
    from annotator.users.services import create_user

    project = create_project(db.session, "Gold bench", overlap_k=2)
    folder = Path(tempfile.mkdtemp())
    for document in range(20):
        text = "\n\n".join(f"Document {document} paragraph {p} says a thing about bikes." for p in range(25))
        (folder / f"d{document:03d}.txt").write_text(text + "\n")
    list(import_paths(db.session, project, sorted(folder.iterdir()), ImportSettings(read=ReadOptions(1 << 24))))
    settings = QualitySettings(gold_every=GOLD_EVERY, pause_below=PAUSE_BELOW, pause_after_gold=PAUSE_AFTER)
    set_quality_settings(db.session, project, settings)
    from annotator.documents.models import Passage

    passages = db.session.query(Passage).filter_by(project_id=project.id).order_by(Passage.id.desc()).limit(40).all()
    for passage in passages:  # gold at the end of reading order, so none is also handed out as real work
        add_imported_gold(db.session, project, passage.id, gold_answer(rng))
    users = {}
    for name, skill in (("spammer", None), ("skilled", 0.9)):
        users[name] = (create_user(db.session, name, None, "annotator"), skill)
        add_member(db.session, project, name, "annotator")
    db.session.commit()
    return project, users


def _work_until_the_spammer_is_paused(project, users, rng) -> None:
    from annotator.annotations.recording import Submission
    from annotator.documents.models import Passage
    from annotator.extensions import db
    from annotator.quality.gold import gold_of
    from annotator.quality.serving import next_for_annotator, submit_answer
    from annotator.quality.standing import Paused, find_standing

    now, hold = datetime(2026, 12, 6, 9), timedelta(minutes=30)
    handed = {name: [0, 0] for name in users}  # passages, of which gold
    paused_spammer = False
    while not paused_spammer and handed["spammer"][0] < 400:
        for name, (user, skill) in users.items():
            try:
                row = next_for_annotator(db.session, project, user, now, hold)
            except Paused:
                paused_spammer = True
                db.session.rollback()
                continue
            gold = gold_of(db.session, row.id)
            truth = gold.labels if gold else gold_answer(rng)
            passage = db.session.get(Passage, row.id)
            submit_answer(db.session, project, passage, user, Submission(answer_of(rng, truth, skill)), now)
            db.session.commit()
            handed[name][0] += 1
            handed[name][1] += gold is not None
    spammer = find_standing(db.session, project.id, users["spammer"][0].id)
    skilled = find_standing(db.session, project.id, users["skilled"][0].id)
    print(
        f"end to end ({db.engine.dialect.name}): spammer paused after {handed['spammer'][0]} passages of which "
        f"{handed['spammer'][1]} gold; skilled annotator (0.9) at the same point: {handed['skilled'][0]} passages, "
        f"{handed['skilled'][1]} gold, paused: {skilled.paused_at is not None}; spammer paused: "
        f"{spammer.paused_at is not None}"
    )


if __name__ == "__main__":
    main()
