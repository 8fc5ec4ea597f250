"""Dawid-Skene convergence benchmark: simulated projects of realistic sizes (3 annotators who
label every passage, a few hundred to 10,000 passages, 3 to 9 categories, accuracies from
near chance to careful, errors spread unevenly; or, with --annotators N, each passage labelled
by 3 of N annotators, so that few passages share a response pattern), each fitted

- as before: plain EM stopped after 100 steps;
- plain EM run until no posterior moves by 1e-8 from one step to the next;
- SQUAREM to the same tolerance (the default now);

against the converged fit (plain EM until no posterior moves by 1e-13): steps, time (the
fastest of --repeat runs), gold labels that differ from the converged fit's, and the largest
difference of a posterior from it.

    python bench/dawid_skene_bench.py [--fits 12] [--seed 2026] [--repeat 3] [--accuracies 0.5 0.95]
                                      [--annotators 3] [--units N]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.agreement.dawid_skene import dawid_skene  # noqa: E402
from annotator.agreement.gold import aggregate  # noqa: E402
from annotator.agreement.ratings import Ratings  # noqa: E402

SIZES = (300, 1000, 3000, 10000)
FITS = {
    "before: 100 steps": dict(max_iterations=100, tolerance=1e-6, accelerated=False),
    "plain EM to 1e-8": dict(max_iterations=1_000_000, tolerance=1e-8, accelerated=False),
    "SQUAREM to 1e-8": dict(),
}
CONVERGED = dict(max_iterations=1_000_000, tolerance=1e-13, accelerated=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fits", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--accuracies",
        type=float,
        nargs=2,
        default=(0.5, 0.95),
        metavar=("LOW", "HIGH"),
        help="each annotator's accuracy is drawn between these",
    )
    parser.add_argument("--annotators", type=int, default=3, help="3 of them label each passage")
    parser.add_argument("--units", type=int, help="passages per project (default: drawn from 300 to 10,000)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    totals = {name: [] for name in FITS}
    print(f"{'units':>6} {'K':>2} {'accuracies (mean)':17} " + " | ".join(f"{name:^36}" for name in FITS))
    print(f"{'':27}" + " | ".join(f"{'steps':>6} {'ms':>7} {'conv':>4} {'gold':>5} {'max diff':>9}" for _ in FITS))
    for _ in range(args.fits):
        ratings, accuracies = simulated_project(rng, *args.accuracies, args.annotators, args.units)
        reference = dawid_skene(ratings, **CONVERGED)
        row = []
        for name, options in FITS.items():
            seconds, result = fastest(args.repeat, lambda: dawid_skene(ratings, **options))  # noqa: B023 (timed at once, in this iteration)
            differing = int((gold(ratings, result) != gold(ratings, reference)).sum())
            difference = float(np.nanmax(np.abs(result.posteriors - reference.posteriors)))
            totals[name].append((result.iterations, seconds, result.converged, differing))
            row.append(
                f"{result.iterations:6} {1000 * seconds:7.1f} {'yes' if result.converged else 'no':>4} "
                f"{differing:5} {difference:9.1e}"
            )
        shown = " ".join(f"{a:.2f}" for a in accuracies) if len(accuracies) <= 3 else f"{accuracies.mean():.2f}"
        print(f"{ratings.n_units:6} {ratings.n_categories:2} {shown:17} " + " | ".join(row))
    print()
    for name, fits in totals.items():
        steps, seconds, converged, differing = zip(*fits, strict=True)
        print(
            f"{name:20} unconverged {sum(not c for c in converged):2} of {len(fits)}, steps median "
            f"{int(np.median(steps)):5} "
            f"max {max(steps):5}, ms median {1000 * np.median(seconds):6.1f} max {1000 * max(seconds):6.1f}, "
            f"fits with other gold {sum(d > 0 for d in differing)}, most gold labels differing {max(differing)}"
        )


def simulated_project(rng, low: float, high: float, annotators: int, units: int | None) -> tuple[Ratings, np.ndarray]:
    """Three annotators (of `annotators`, drawn per passage) label every unit; each gives the
    true category with their accuracy, else one of the others, drawn unevenly."""
    units, categories = units or int(rng.choice(SIZES)), int(rng.integers(3, 10))
    accuracies = rng.uniform(low, high, annotators)
    truth = rng.choice(categories, units, p=rng.dirichlet(np.full(categories, 2.0)))
    confusions = np.array(
        [
            [
                np.insert(rng.dirichlet(np.full(categories - 1, 3.0)) * (1 - accuracy), true, accuracy)
                for true in range(categories)
            ]
            for accuracy in accuracies
        ]
    )
    coder = np.argsort(rng.random((units, annotators)), axis=1)[:, :3].ravel()
    unit = np.repeat(np.arange(units), 3)
    cumulative = confusions[coder, truth[unit]].cumsum(axis=1)
    value = np.minimum((rng.random(len(unit))[:, None] > cumulative).sum(axis=1), categories - 1)
    return Ratings(unit, coder, value, units, annotators, categories), accuracies


def gold(ratings: Ratings, result) -> np.ndarray:
    return aggregate(ratings, estimate=result).label


def fastest(repeat: int, work):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


if __name__ == "__main__":
    main()
