from tests.review.conftest import labelled, reviewer  # noqa: F401  (the project with three annotators' labels, a reviewer's client)
