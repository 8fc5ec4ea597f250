from tests.review.conftest import labelled  # noqa: F401  (the project with three annotators' labels)
