"""How many annotators a passage gets: the project's overlap, fixed or adaptive. Pure.

A fixed project gives every passage k annotators. An adaptive one starts every passage with
k (k-min) and, each time the passage has all the labels it needed so far, looks at how far its
annotators agree (the lowest agreement over its fields, as the review queue keeps it): below the
project's threshold, the passage goes back to the pool for one more annotator, until it has
k-max; otherwise, or at k-max, it is complete and goes to review when its annotators disagree.
The passage lifecycle (assignment.lifecycle) asks `one_more` at that moment, and the adaptive
overlap benchmark (bench/adaptive_overlap_bench.py) asks the very same function."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Overlap:
    """`k_min` annotators per passage, up to `k_max` while their agreement is below `below`
    (None: never, and then k_max == k_min)."""

    k_min: int
    k_max: int
    below: float | None = None

    @classmethod
    def of(cls, project) -> "Overlap":
        return cls(project.overlap_k, project.overlap_k_max, project.extra_annotator_below)

    @property
    def adaptive(self) -> bool:
        return self.below is not None and self.k_max > self.k_min

    def one_more(self, labels: int, agreement: float) -> bool:
        """Whether a passage that has the `labels` it needed so far, whose annotators agree
        `agreement` (0 to 1, lowest over the fields), gets one more annotator."""
        return self.below is not None and labels < self.k_max and agreement < self.below
