"""What a request carries, checked once for every page and the API, before any view reads it.

- Text with a NUL character is refused (400, saying which field): PostgreSQL cannot store
  it or even compare with it (a username with a NUL made the login a 500), while SQLite
  stored it. Forms, query strings, JSON bodies and path parts all pass through here.
- JSON bodies are parsed within bounds: Flask's parser overflowed Python's stack on a body
  nested a few thousand levels deep, a 500 instead of a refusal.
"""

from typing import Any

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider

from annotator.json_input import JsonRefused, parse_json
from annotator.untrusted_text import NUL_REFUSED, has_nul, printable


def init_app(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.before_request(refuse_nul_characters)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading through the application's bounded parser: too deep or too large
    is a ValueError, which Flask answers with 400 (or None for `get_json(silent=True)`)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return parse_json(s, _max_bytes())
        except JsonRefused as error:
            raise ValueError(str(error)) from None


def _max_bytes() -> int:
    return current_app.config.get("MAX_CONTENT_LENGTH") or 64 * 1024 * 1024


def refuse_nul_characters() -> None:
    field = _field_with_nul()
    if field is not None:
        abort(400, description=f"{field} {NUL_REFUSED}: remove it and send again.")


def _field_with_nul() -> str | None:
    """The name of the first field that holds a NUL, or None."""
    for source in (request.view_args or {}, request.args, request.form):
        for key, value in source.items(multi=True) if hasattr(source, "getlist") else source.items():
            if has_nul(key) or has_nul(value):
                return f'"{printable(key)}"'
    if request.is_json and has_nul(request.get_json(silent=True)):
        return "the JSON body"
    return None


def json_object_body() -> dict:
    """The request's JSON body when it is an object, else {} (a view then says what is missing)."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}
