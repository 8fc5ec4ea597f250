"""annotator: annotate claims in text, with several annotators, agreement and JSONL export.

The application factory lives in `annotator.app`; it is imported lazily so that the pure
core (`annotator.splitting`) loads without Flask, as worker processes need it.
"""


def __getattr__(name: str):
    if name == "create_app":
        from annotator.app import create_app

        return create_app
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
