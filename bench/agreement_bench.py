"""Agreement benchmark: 100,000 passages x 3 annotators x 3 fields (about 900,000 labels)
imported through `annotator import-annotations`, then

- the time from the database to every figure of the dashboard (load + compute), beside a bare
  baseline in the same run: a plain driver cursor reading the same label sets and decoding
  their JSON, doing nothing else;
- the pure alpha computation against the `krippendorff` package on the same matrix (time and
  values, nominal and ordinal), and the bootstrap interval's time.

    python bench/agreement_bench.py [--database sqlite|postgresql] [--passages 100000] [--repeat 5]
"""

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_setup import ANNOTATOR, fresh_database, run  # noqa: E402  (export_bench uses them from here too)

from annotator.schema.defaults import default_definition  # noqa: E402

BENCH_DATABASE = "annotator_agreement_bench"
PARAGRAPHS = 10
# The default schema's options, in its order (the benchmark labels the default schema).
CLAIMS, STANCES, CHECKS = ([option["value"] for option in field["options"]] for field in default_definition()["fields"])
ANNOTATORS = {"ann_a": 0.9, "ann_b": 0.8, "ann_c": 0.65}  # chance of giving the true value


def main() -> None:
    args = arguments(__doc__, passages=100_000, repeat=5)
    print(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, database {args.database}, {args.passages:,} passages"
    )
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        url, env = prepare(args, scratch)
        from_database(url, env, args.repeat)
        pure_alpha(url, env, args.repeat)


def arguments(description: str, passages: int, repeat: int) -> argparse.Namespace:
    """The options every benchmark built on this project takes: database, size, repeats."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--passages", type=int, default=passages)
    parser.add_argument("--repeat", type=int, default=repeat, help="runs of each measurement; the fastest counts")
    return parser.parse_args()


def prepare(args, scratch: Path) -> tuple[str, dict]:
    url = fresh_database(args.database, scratch, BENCH_DATABASE)
    env = {**os.environ, "ANNOTATOR_DATABASE_URL": url, "ANNOTATOR_SECRET_KEY": "bench"}
    run([ANNOTATOR, "init-db"], env)
    run([ANNOTATOR, "create-project", "Agreement", "--overlap", "3"], env)
    started = time.perf_counter()
    run([ANNOTATOR, "import-docs", "Agreement", str(_documents(scratch, args.passages))], env)
    print(f"imported {args.passages:,} passages in {time.perf_counter() - started:.1f} s")
    labels, values = _label_lines(scratch, args.passages)
    started = time.perf_counter()
    run([ANNOTATOR, "import-annotations", "Agreement", str(labels), "--create-users"], env)
    seconds = time.perf_counter() - started
    print(
        f"import-annotations: {3 * args.passages:,} label sets ({values:,} labels) in {seconds:.1f} s, "
        f"{3 * args.passages / seconds:,.0f} label sets/s"
    )
    return url, env


def _documents(scratch: Path, passages: int) -> Path:
    path = scratch / "documents.jsonl"
    with path.open("w") as out:
        for document in range(passages // PARAGRAPHS):
            text = "\n\n".join(
                f"Report {document}, item {p}: the council says it spent {document * 13 + p} thousand "
                f"pounds on district {p}, and plans {p + 3} more schemes."
                for p in range(PARAGRAPHS)
            )
            out.write(json.dumps({"id": f"d{document}", "text": text}) + "\n")
    return path


def _label_lines(scratch: Path, passages: int) -> tuple[Path, int]:
    """Three simulated annotators of different skill label every passage (90% claims)."""
    rng = random.Random(2026)
    path, values = scratch / "labels.jsonl", 0
    with path.open("w") as out:
        for document in range(passages // PARAGRAPHS):
            for index in range(PARAGRAPHS):
                truth = simulated_truth(rng)
                for annotator, skill in ANNOTATORS.items():
                    labels = simulated_labels(rng, truth, skill)
                    values += len(labels)
                    out.write(
                        json.dumps(
                            {"document_id": f"d{document}", "index": index, "annotator": annotator, "labels": labels}
                        )
                        + "\n"
                    )
    return path, values


def simulated_truth(rng: random.Random) -> tuple[str, str, str]:
    """A passage's true claim type, stance and verifiability (90% claims)."""
    return (rng.choice(CLAIMS[1:]) if rng.random() < 0.9 else "no_claim", rng.choice(STANCES), rng.choice(CHECKS))


def simulated_labels(rng: random.Random, truth: tuple[str, str, str], skill: float) -> dict:
    """An annotator's label set: each value true with chance `skill`, else drawn at random from
    the field's options (the true one among them); stance and verifiability only for a claim."""
    claim, stance, check = (
        value if rng.random() < skill else rng.choice(pool)
        for value, pool in zip(truth, (CLAIMS, STANCES, CHECKS), strict=True)
    )
    if claim == "no_claim":
        return {"claim_type": claim}
    return {"claim_type": claim, "stance": stance, "verifiability": check}


def _app(url: str, env: dict):
    os.environ.update({key: env[key] for key in ("ANNOTATOR_DATABASE_URL", "ANNOTATOR_SECRET_KEY")})
    from annotator import create_app

    return create_app()


def from_database(url: str, env: dict, repeat: int) -> None:
    """Database to every figure, against a bare read of the same rows."""
    from annotator.administration.projects import find_project
    from annotator.agreement.figures import compute_figures
    from annotator.extensions import db
    from annotator.project_agreement.label_table import load_label_table
    from annotator.project_agreement.snapshot import agreement_figures
    from annotator.projects.schema_store import schema_of

    app = _app(url, env)
    with app.app_context():
        project = find_project(db.session, "Agreement")
        fields = schema_of(db.session, project).measured_fields
        bare = best(repeat, lambda: _bare_read(url, project.id))
        load = best(repeat, lambda: load_label_table(db.session, project, fields))
        table = load_label_table(db.session, project, fields)
        compute = best(repeat, lambda: compute_figures(table))
        total = best(repeat, lambda: agreement_figures(db.session, project, refresh=True))
        db.session.commit()
        cached = best(repeat, lambda: agreement_figures(db.session, project))
        figures = agreement_figures(db.session, project).figures
    print()
    print(f"{'database to figures':44} {'seconds':>8}")
    print(f"{'bare baseline: driver cursor + json.loads':44} {bare:8.3f}")
    print(f"{'annotator: load the label table':44} {load:8.3f}")
    print(f"{'annotator: compute every figure':44} {compute:8.3f}")
    print(
        f"{'annotator: database to all figures, stored':44} {total:8.3f}   ({total / bare:.1f}x the bare "
        "read; target under 2 s)"
    )
    print(f"{'annotator: again, nothing changed (cached)':44} {cached:8.3f}")
    print()
    for name, field in figures["fields"].items():
        print(
            f"  {name:22} alpha {field['alpha']:.4f}  [{field['alpha_ci'][0]:.4f}, {field['alpha_ci'][1]:.4f}]  "
            f"units {field['units']:,}  pairable values {field['pairable_values']:,}"
        )
    print(
        "  estimated accuracy (Dawid-Skene, claim type): "
        + ", ".join(
            f"{a['username']} {a['fields']['claim_type']['estimated_accuracy']:.3f}" for a in figures["annotators"]
        )
    )


def _bare_read(url: str, project_id: int) -> int:
    """What reading the label sets costs with nothing on top."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("///", 1)[1])
        rows = connection.execute(
            "SELECT passage_id, user_id, labels FROM annotation WHERE project_id = ?", (project_id,)
        )
        count = sum(1 for _ in ((p, u, json.loads(labels)) for p, u, labels in rows))
        connection.close()
        return count
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        rows = connection.execute(
            "SELECT passage_id, user_id, labels::text FROM annotation WHERE project_id = %s", (project_id,)
        )
        return sum(1 for _ in ((p, u, json.loads(labels)) for p, u, labels in rows))


def pure_alpha(url: str, env: dict, repeat: int) -> None:
    """annotator's alpha against the krippendorff package on the same reliability matrix."""
    import krippendorff

    from annotator.administration.projects import find_project
    from annotator.agreement.ratings import Ratings
    from annotator.agreement.reliability import alpha_confidence_interval, krippendorff_alpha
    from annotator.extensions import db
    from annotator.project_agreement.label_table import load_label_table
    from annotator.projects.schema_store import schema_of

    app = _app(url, env)
    with app.app_context():
        project = find_project(db.session, "Agreement")
        fields = {field.name: field for field in schema_of(db.session, project).measured_fields}
        table = load_label_table(db.session, project, list(fields.values()))
    print()
    print(
        f"{'pure alpha, ' + format(table.n_units, ',') + ' units':34} {'annotator s':>11} "
        f"{'krippendorff s':>15} {'ratio':>6} {'|difference|':>13}"
    )
    for name, level in (("claim_type", "nominal"), ("verifiability", "ordinal")):
        ratings = table.ratings(fields[name])
        matrix = np.full((ratings.n_coders, ratings.n_units), np.nan)
        matrix[ratings.coder, ratings.unit] = ratings.value
        ours_seconds = best(
            repeat,
            lambda: krippendorff_alpha(Ratings.from_matrix(matrix, ratings.n_categories), level),  # noqa: B023 (timed at once, in this iteration)
        )
        theirs_seconds = best(repeat, lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))  # noqa: B023 (timed at once, in this iteration)
        ours = krippendorff_alpha(Ratings.from_matrix(matrix, ratings.n_categories), level)
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
        print(
            f"{name + ' (' + level + ')':34} {ours_seconds:11.4f} {theirs_seconds:15.4f} "
            f"{ours_seconds / theirs_seconds:5.2f}x {abs(ours - theirs):13.1e}"
        )
        interval = best(repeat, lambda: alpha_confidence_interval(ratings, level, resamples=1000, seed=0))  # noqa: B023 (timed at once, in this iteration)
        print(f"{'  bootstrap interval, 1,000 resamples':34} {interval:11.4f}")


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    main()
