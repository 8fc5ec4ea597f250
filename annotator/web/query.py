"""Query-string filters (paging, the passage marked, the field a queue is filtered on), read in
one place: a value that is not what the filter takes counts as not given, never as an error.
Forms, also GET ones, are form classes (forms.py)."""

from flask import request

from annotator.web.ids import id_arg


def id_in_query(name: str) -> int | None:
    """The id given as `name=` (a number no row can have counts as not given)."""
    return request.args.get(name, type=id_arg)


def text_in_query(name: str) -> str | None:
    """The text given as `name=`, None when not given or empty."""
    return request.args.get(name) or None
