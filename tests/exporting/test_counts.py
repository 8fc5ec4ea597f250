"""The line counts the exports page shows before a download: each one equal to the lines the
export then writes, whatever the options."""

import itertools

import pytest

from annotator.exporting.counts import line_counts
from annotator.exporting.training_options import TrainingOptions
from annotator.exporting.training_selection import training_line_count
from annotator.extensions import db
from tests.exporting.test_exports import KINDS, export


def test_each_kinds_count_is_its_number_of_lines(runner, mixed):
    counts = line_counts(db.session, mixed)
    db.session.rollback()
    for kind in KINDS:
        if kind != "training":
            assert counts[kind] == len(export(runner, "--kind", kind)), kind


# The lowest agreement (0, 1/3 and 1 occur) and the fields it is taken over; without a minimum
# the fields change no count.
AGREEMENT_CHOICES = [(None, None)] + list(
    itertools.product((0.0, 0.3, 1 / 3, 0.5, 1.0), (None, ("claim_type",), ("stance",), ("stance", "verifiability")))
)


def test_the_training_count_is_the_number_of_lines_for_every_choice(runner, mixed):
    seen = set()
    for all_passages, adjudicated_only, (minimum, fields) in itertools.product(
        (False, True), (False, True), AGREEMENT_CHOICES
    ):
        options = TrainingOptions(
            all_passages=all_passages, adjudicated_only=adjudicated_only, min_agreement=minimum, fields=fields
        )
        counted = training_line_count(db.session, mixed, options)
        db.session.rollback()
        arguments = [
            "--kind",
            "training",
            *(["--all-passages"] if all_passages else []),
            *(["--adjudicated-only"] if adjudicated_only else []),
            *(["--min-agreement", repr(minimum)] if minimum is not None else []),
            *(["--fields", ",".join(fields)] if fields else []),
        ]
        assert counted == len(export(runner, *arguments)), options
        seen.add(counted)
    assert seen == {0, 1, 2, 4, 6, 8, 12}  # the choices do change the count


def test_unlabelled_passages_count_only_when_asked_for(mixed):
    # six labelled by three annotators; of six more, one decided by a reviewer alone, one labelled once
    assert training_line_count(db.session, mixed, TrainingOptions()) == 8
    assert training_line_count(db.session, mixed, TrainingOptions(all_passages=True)) == 12


def test_counting_refuses_a_field_the_schema_does_not_have(mixed):
    with pytest.raises(ValueError, match="no field 'mood' in the schema"):
        training_line_count(db.session, mixed, TrainingOptions(fields=("mood",)))
