"""Query-string filters (paging, the passage marked, the field a queue is filtered on), read in
one place: a value that is not what the filter takes counts as not given, never as an error.
Forms, also GET ones, are form classes (forms.py)."""

from flask import request

from annotator.data_manager.search import PassageFilters
from annotator.web.ids import id_arg

MAX_SEARCH_CHARS = 500  # of the words searched for: more is cut off


def id_in_query(name: str) -> int | None:
    """The id given as `name=` (a number no row can have counts as not given)."""
    return request.args.get(name, type=id_arg)


def text_in_query(name: str) -> str | None:
    """The text given as `name=`, None when not given or empty."""
    return request.args.get(name) or None


def passage_filters() -> PassageFilters:
    """The passage search's filters from the query string (q, status, document_id, annotator,
    field, value); unknown values are the search's to refuse, an id no row can have counts as none."""
    return PassageFilters(
        words=(request.args.get("q") or "")[:MAX_SEARCH_CHARS],
        status=text_in_query("status"),
        document_id=id_in_query("document_id"),
        annotator=text_in_query("annotator"),
        field=text_in_query("field"),
        value=text_in_query("value"),
    )


def limit_in_query(default: int, most: int) -> int:
    """How many rows a page of a listing holds (`limit=`, from 1 to `most`; else `default`)."""
    limit = request.args.get("limit", type=int)
    return limit if limit is not None and 1 <= limit <= most else default
