from tests.review.conftest import labelled, loner, reviewer  # noqa: F401  (the project with three annotators' labels, one more who shares no passage, a reviewer's client)
