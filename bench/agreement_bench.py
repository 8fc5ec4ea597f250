"""Agreement benchmark: 100,000 passages x 3 annotators x 3 fields (about 900,000 labels) and a
span field (each annotator marks the passage's claims, about 1.5 spans, each with a stance)
imported through `annotator import-annotations`, then

- the time from the database to every figure of the dashboard (load + compute), beside a bare
  baseline in the same run: a plain driver cursor reading the same label sets and decoding
  their JSON, doing nothing else;
- the pure alpha computation against the `krippendorff` package on the same matrix (time and
  values, nominal and ordinal), and the bootstrap interval's time;
- the span field's figures alone (alpha-u on the extents and per stance, with their bootstrap
  intervals, span F1, stance alpha over matched spans) on the spans as loaded.

    python bench/agreement_bench.py [--database sqlite|postgresql] [--passages 100000] [--repeat 5]
"""

import argparse
import json
import os
import random
import re
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

# The PostgreSQL database the benchmark drops and creates; a name of one's own when several
# people measure on one server.
BENCH_DATABASE = os.environ.get("ANNOTATOR_BENCH_DATABASE", "annotator_agreement_bench")
PARAGRAPHS = 10
# The default schema's options, in its order (the benchmark labels the default schema).
CLAIMS, STANCES, CHECKS = ([option["value"] for option in field["options"]] for field in default_definition()["fields"])
ANNOTATORS = {"ann_a": 0.9, "ann_b": 0.8, "ann_c": 0.65}  # chance of giving the true value
SPAN_STANCES = ("favor", "against", "none")
SPAN_FIELD = {
    "name": "claims",
    "type": "span",
    "label": "Claims",
    "required": False,
    "fields": [
        {
            "name": "stance",
            "label": "Stance",
            "level": "nominal",
            "options": [{"value": value, "label": value.capitalize()} for value in SPAN_STANCES],
        }
    ],
}
# The claims of a passage (see _documents), as ranges of its words: "the council says it spent N
# thousand pounds on district P," and "plans M more schemes."
CLAIM_WORDS = ((4, 14), (16, 19))


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
    schema = scratch / "schema.json"
    schema.write_text(json.dumps({"fields": [*default_definition()["fields"], SPAN_FIELD]}))
    run([ANNOTATOR, "create-project", "Agreement", "--overlap", "3", "--schema", str(schema)], env)
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
            out.write(json.dumps({"id": f"d{document}", "text": "\n\n".join(_paragraphs(document))}) + "\n")
    return path


def _paragraphs(document: int) -> list[str]:
    return [
        f"Report {document}, item {p}: the council says it spent {document * 13 + p} thousand "
        f"pounds on district {p}, and plans {p + 3} more schemes."
        for p in range(PARAGRAPHS)
    ]


def _word_offsets(document: int) -> list[list[tuple[int, int]]]:
    """Per paragraph of the document, the raw offsets of its words."""
    offsets, start = [], 0
    for paragraph in _paragraphs(document):
        offsets.append([(start + word.start(), start + word.end()) for word in re.finditer(r"\S+", paragraph)])
        start += len(paragraph) + 2
    return offsets


def _marked_claims(rng: random.Random, words: list[tuple[int, int]], stances: list[str], skill: float) -> list[dict]:
    """The claims an annotator of this skill marks: each true claim found with probability
    `skill`, its first and last word each off by one word with probability 1 - skill, its stance
    the true one with probability `skill` (else a random one)."""
    spans = []
    for (first, last), stance in zip(CLAIM_WORDS, stances, strict=True):
        if rng.random() >= skill:
            continue
        if rng.random() >= skill:
            first = min(max(first + rng.choice((-1, 1)), 0), last)
        if rng.random() >= skill:
            last = min(max(last + rng.choice((-1, 1)), first), len(words) - 1)
        given = stance if rng.random() < skill else rng.choice(SPAN_STANCES)
        spans.append({"start": words[first][0], "end": words[last][1], "labels": {"stance": given}})
    return spans


def _label_lines(scratch: Path, passages: int) -> tuple[Path, int]:
    """Three simulated annotators of different skill label every passage (90% claims) and mark
    its two claims (spans drawn from a generator of their own, so the other labels are those of
    the benchmark before it had a span field)."""
    rng, span_rng = random.Random(2026), random.Random(14)
    path, values = scratch / "labels.jsonl", 0
    with path.open("w") as out:
        for document in range(passages // PARAGRAPHS):
            words = _word_offsets(document)
            for index in range(PARAGRAPHS):
                stances = [span_rng.choice(SPAN_STANCES) for _ in CLAIM_WORDS]
                truth = simulated_truth(rng)
                for annotator, skill in ANNOTATORS.items():
                    labels = simulated_labels(rng, truth, skill)
                    values += len(labels)
                    claims = _marked_claims(span_rng, words[index], stances, skill)
                    if claims:
                        labels["claims"] = claims
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
    from annotator.project_agreement.record_fields import record_fields
    from annotator.project_agreement.snapshot import agreement_figures
    from annotator.projects.schema_store import schema_of

    app = _app(url, env)
    with app.app_context():
        project = find_project(db.session, "Agreement")
        schema = schema_of(db.session, project)
        fields, records = schema.measured_fields, record_fields(schema)
        bare = best(repeat, lambda: _bare_read(url, project.id))
        load = best(repeat, lambda: load_label_table(db.session, project, fields, records))
        table = load_label_table(db.session, project, fields, records)
        compute = best(repeat, lambda: compute_figures(table))
        span_figures = best(repeat, lambda: _span_figures(table))
        total = best(repeat, lambda: agreement_figures(db.session, project, refresh=True))
        db.session.commit()
        cached = best(repeat, lambda: agreement_figures(db.session, project))
        figures = agreement_figures(db.session, project).figures
    print()
    print(f"{'database to figures':44} {'seconds':>8}")
    print(f"{'bare baseline: driver cursor + json.loads':44} {bare:8.3f}")
    print(f"{'annotator: load the label table':44} {load:8.3f}")
    print(f"{'annotator: compute every figure':44} {compute:8.3f}")
    print(f"{'  of which the span field':44} {span_figures:8.3f}")
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
    spans = figures["spans"]["claims"]
    stance = spans["sub_fields"]["stance"]
    print(
        f"  span field: alpha-u {spans['alpha_u']['alpha']:.4f}  [{spans['alpha_u']['interval'][0]:.4f}, "
        f"{spans['alpha_u']['interval'][1]:.4f}]  over {spans['annotated_passages']:,} passages, "
        f"{spans['spans']:,} spans; span F1 exact {spans['f1']['exact']:.4f}, overlap {spans['f1']['overlap']:.4f}"
    )
    print(
        f"  stance inside spans: alpha over matched spans {stance['alpha']:.4f} ({stance['units']:,} units); alpha-u "
        f"{stance['alpha_u']['alpha']:.4f} ("
        + ", ".join(f"{value} {one['alpha']:.4f}" for value, one in stance["alpha_u"]["labels"].items())
        + ")"
    )
    print(
        "  estimated accuracy (Dawid-Skene, claim type): "
        + ", ".join(
            f"{a['username']} {a['fields']['claim_type']['estimated_accuracy']:.3f}" for a in figures["annotators"]
        )
    )


def _span_figures(table) -> None:
    """The span field's figures alone, as compute_figures computes them."""
    from annotator.agreement.spans import span_field_figures

    for field, answers in table.spans.values():
        span_field_figures(answers, field)


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
    from annotator.project_agreement.record_fields import record_fields
    from annotator.projects.schema_store import schema_of

    app = _app(url, env)
    with app.app_context():
        project = find_project(db.session, "Agreement")
        schema = schema_of(db.session, project)
        fields = {field.name: field for field in schema.measured_fields}
        table = load_label_table(db.session, project, list(fields.values()), record_fields(schema))
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
    pure_alpha_u(table, repeat)


def pure_alpha_u(table, repeat: int) -> None:
    """Alpha-u on the span field's spans labelled by their stance: overall and per stance, with
    the bootstrap intervals of each (1,000 resamples), from the arrays as loaded."""
    from annotator.agreement.spans import unitizations_of
    from annotator.agreement.unitizing import unitizing_alpha_with_intervals

    field, answers = table.spans["claims"]
    spans = unitizations_of(answers, field.sub_fields[0])
    seconds = best(repeat, lambda: unitizing_alpha_with_intervals(spans, resamples=1000, seed=0))
    print(
        f"{'alpha-u by stance, ' + format(len(spans.span_start), ',') + ' spans':34} {seconds:11.4f}"
        "   (overall and per stance, each with its bootstrap interval)"
    )


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    main()
