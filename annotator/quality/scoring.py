"""Scoring answers against gold, the accuracy interval, and the rules that act on them (pause,
onboarding pass). Pure: plain values in, plain values out."""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

Z_95 = 1.959964  # two-sided 95%


def score_answer(gold: dict, answer: dict, fields: Iterable[str]) -> dict[str, bool]:
    """Per scored field, whether the answer equals the gold answer. A field is scored when the
    gold answer has a value for it; the order of a multiple choice does not matter."""
    return {name: _normal(answer.get(name)) == _normal(gold[name]) for name in fields if gold.get(name) is not None}


def _normal(value) -> str:
    if isinstance(value, list):
        return json.dumps(sorted(value, key=lambda item: json.dumps(item, sort_keys=True)), sort_keys=True)
    return json.dumps(value, sort_keys=True)


@dataclass(frozen=True)
class Accuracy:
    """Right answers out of scored ones, with the Wilson score interval (95%)."""

    correct: int
    scored: int

    @property
    def share(self) -> float | None:
        return self.correct / self.scored if self.scored else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.correct, self.scored) if self.scored else None

    def as_dict(self) -> dict:
        low, high = self.interval or (None, None)
        return {"correct": self.correct, "scored": self.scored, "accuracy": self.share, "low": low, "high": high}


def wilson_interval(correct: int, scored: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: unlike the normal approximation it stays
    inside [0, 1] and keeps its coverage for the few answers an annotator gives on gold."""
    if scored <= 0:
        raise ValueError("no answers scored")
    share = correct / scored
    denominator = 1 + z * z / scored
    centre = (share + z * z / (2 * scored)) / denominator
    half = z * math.sqrt(share * (1 - share) / scored + z * z / (4 * scored * scored)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def accuracy_per_field(score_sets: Iterable[dict[str, bool]]) -> dict[str, Accuracy]:
    """Accuracy of each field over many scored answers, fields in the order first seen."""
    counts: dict[str, list[int]] = {}
    for scores in score_sets:
        for name, right in scores.items():
            tally = counts.setdefault(name, [0, 0])
            tally[0] += bool(right)
            tally[1] += 1
    return {name: Accuracy(correct, scored) for name, (correct, scored) in counts.items()}


def should_pause(gold_answers: int, correct: int, scored: int, threshold: float | None, minimum: int) -> bool:
    """The pausing rule: after at least `minimum` gold answers, a share of right fields below
    the threshold pauses the annotator (no threshold: never)."""
    return threshold is not None and gold_answers >= minimum and scored > 0 and correct / scored < threshold


def passes(correct: int, scored: int, pass_mark: float) -> bool:
    """Whether an onboarding attempt reaches the pass mark (nothing scored passes nothing)."""
    return scored > 0 and correct / scored >= pass_mark
