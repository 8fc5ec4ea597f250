"""Adaptive overlap benchmark: simulated annotators of known skill (the agreement benchmark's:
the true value with chance 0.9, 0.8 or 0.65, else one at random; two annotators of each skill)
label 20,000 passages of the default claims schema, and the gold labels the training export
would give (Dawid-Skene fitted on the whole project, majority where it agrees: fit_gold) are
compared with the simulated truth, for

- a fixed k (2, 3, 4);
- adaptive overlap, k from 2 to 4, at several thresholds: after each label that completes a
  passage, the product's own rule (Overlap.one_more over the passage's agreement as the review
  queue measures it: label_set_agreements, lowest over the fields) decides "one more annotator".

Each passage draws its annotators (in order) and their label sets once; every variant reads the
first n of them, so the variants differ only in how many labels they ask for. No database, no
HTTP: the domain functions the lifecycle calls.

    python bench/adaptive_overlap_bench.py [--passages 20000] [--seed 2026] [--thresholds 0.3 0.6 1.0]
"""

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agreement_bench import ANNOTATORS, simulated_labels, simulated_truth  # noqa: E402

from annotator.agreement.figures import fit_gold  # noqa: E402
from annotator.agreement.table import NONE, LabelTable  # noqa: E402
from annotator.assignment.overlap import Overlap  # noqa: E402
from annotator.assignment.passage_agreement import label_set_agreements, lowest_agreement  # noqa: E402
from annotator.schema import Schema  # noqa: E402
from annotator.schema.defaults import default_definition  # noqa: E402

AGREEMENT_BENCH_SKILLS = [skill for skill in ANNOTATORS.values() for _ in range(2)]  # six annotators
K_MIN, K_MAX, FIXED_REFERENCE = 2, 4, 3
FIELDS = ("claim_type", "stance", "verifiability")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--thresholds", type=float, nargs="+", default=(0.3, 1.0))
    parser.add_argument(
        "--skills", type=float, nargs="+", default=AGREEMENT_BENCH_SKILLS, help="one per annotator (at least 4)"
    )
    args = parser.parse_args()
    schema = Schema.parse(default_definition())
    skills = args.skills
    truths, crowds = simulated_project(random.Random(args.seed), args.passages, skills)
    print(f"{args.passages:,} passages, annotators' skills {', '.join(f'{s:g}' for s in skills)}")
    print(
        f"{'variant':34} {'labels':>8} {'per passage':>11} {'vs k=3':>7}  "
        + "  ".join(f"{f:>13}" for f in FIELDS)
        + f"  {'all fields':>10}"
    )
    reference = None
    variants = [(f"fixed k={k}", [k] * len(crowds)) for k in (2, 3, 4)]
    for k_max in (K_MAX, K_MAX - 1):
        for threshold in args.thresholds:
            overlap = Overlap(K_MIN, k_max, threshold)
            variants.append(
                (f"adaptive k={K_MIN}..{k_max}, below {threshold:g}", adaptive_counts(schema, overlap, crowds))
            )
    for name, counts in variants:
        accuracy = gold_accuracy(schema, truths, crowds, counts, len(skills))
        labels = sum(counts)
        if name == f"fixed k={FIXED_REFERENCE}":
            reference = labels
        saving = f"{100 * (labels / reference - 1):+.0f}%" if reference else ""
        print(
            f"{name:34} {labels:8,} {labels / len(counts):11.2f} {saving:>7}  "
            + "  ".join(f"{accuracy[field]:13.4f}" for field in FIELDS)
            + f"  {accuracy['all']:10.4f}"
        )
    print("accuracy: share of passages whose gold equals the simulated truth (stance and verifiability: of the claims)")
    print("vs k=3: labels fewer (-) or more (+) than a fixed k = 3")


def simulated_project(
    rng: random.Random, passages: int, skills: list[float]
) -> tuple[list[tuple], list[list[tuple[int, dict]]]]:
    """Per passage its truth, and K_MAX distinct annotators in the order they would come, each
    with the label set they would give."""
    truths, crowds = [], []
    for _ in range(passages):
        truth = simulated_truth(rng)
        annotators = rng.sample(range(len(skills)), K_MAX)
        truths.append(truth)
        crowds.append([(coder, simulated_labels(rng, truth, skills[coder])) for coder in annotators])
    return truths, crowds


def adaptive_counts(schema: Schema, overlap: Overlap, crowds) -> list[int]:
    """How many labels each passage gets: k-min, then one more while the product's rule asks."""
    counts = []
    for crowd in crowds:
        labels = overlap.k_min
        while overlap.one_more(labels, lowest_agreement(label_set_agreements(schema, [s for _, s in crowd[:labels]]))):
            labels += 1
        counts.append(labels)
    return counts


def gold_accuracy(schema: Schema, truths, crowds, counts: list[int], coders: int) -> dict[str, float]:
    """The training export's gold (fit_gold) of the first `counts[u]` label sets of every
    passage, against the truth: per field, and every field right at once."""
    fields = schema.measured_fields
    rows = [(unit, coder, labels) for unit, crowd in enumerate(crowds) for coder, labels in crowd[: counts[unit]]]
    table = LabelTable(
        fields=fields,
        unit=np.array([unit for unit, _, _ in rows]),
        coder=np.array([coder for _, coder, _ in rows]),
        values={field.name: np.array([_category(field, labels) for _, _, labels in rows]) for field in fields},
        week=np.zeros(len(rows), dtype=np.int64),
        weeks=["2026-W49"],
        seconds=np.full(len(rows), np.nan),
        unit_ids=np.arange(len(crowds)),
        coder_ids=list(range(coders)),
        coder_names=[f"a{coder}" for coder in range(coders)],
        adjudicated={field.name: np.full(len(crowds), NONE) for field in fields},
    )
    _, golds = fit_gold(table)
    by_name = {field.name: field for field in fields}
    correct = {}
    for name in FIELDS:
        field = by_name[name]
        true = np.array([_category(field, _as_labels(truth)) for truth in truths])
        asked = true != NONE
        correct[name] = (golds[name].label == true) | ~asked
        correct[name + " asked"] = asked
    accuracy = {name: float(correct[name][correct[name + " asked"]].mean()) for name in FIELDS}
    accuracy["all"] = float(np.logical_and.reduce([correct[name] for name in FIELDS]).mean())
    return accuracy


def _category(field, labels: dict) -> int:
    category = field.category_of(labels)
    return NONE if category is None else category


def _as_labels(truth: tuple[str, str, str]) -> dict:
    claim, stance, check = truth
    return {"claim_type": claim} if claim == "no_claim" else dict(zip(FIELDS, truth, strict=True))


if __name__ == "__main__":
    main()
