"""JSON that comes from files (documents, label sets, backups, label schemas): bounded in size
before it is parsed and in depth after, so that no input can exhaust memory or the recursion
of whatever handles it next (a `meta` nested 1,000 levels deep parsed, then aborted the
whole import with a traceback when it was written to the database)."""

from typing import Any

import orjson

from annotator.domain_errors import Invalid

MAX_DEPTH = 64


class JsonRefused(Invalid):
    """JSON that cannot be used; the message says why, in one line."""


def parse_json(raw: bytes | str, max_bytes: int) -> Any:
    """The value `raw` holds, if it is valid JSON of at most `max_bytes` bytes nested at most
    MAX_DEPTH levels deep; JsonRefused otherwise."""
    size = _size(raw, max_bytes)
    if size > max_bytes:
        raise JsonRefused(f"JSON of {megabytes(size)}, over the limit of {megabytes(max_bytes)}")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if error.msg == "depth limit exceeded":
            raise JsonRefused(_TOO_DEEP) from None
        raise JsonRefused(f"not valid JSON: {error}") from None
    if _may_nest_deeper(raw) and not within_depth(value):
        raise JsonRefused(_TOO_DEEP)
    return value


def _may_nest_deeper(raw: bytes | str) -> bool:
    """Whether `raw` holds more than MAX_DEPTH brackets, as anything nested deeper must (a
    count in C spares walking the value of every line of a JSON Lines file)."""
    opening = ("{", "[") if isinstance(raw, str) else (b"{", b"[")
    return raw.count(opening[0]) + raw.count(opening[1]) > MAX_DEPTH


_TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep"


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether no list or object in `value` lies more than `limit` levels deep."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            pending += [(child, depth + 1) for child in children if isinstance(child, (dict, list))]
    return True


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _size(raw: bytes | str, max_bytes: int) -> int:
    """The size in bytes (a str's UTF-8 length is computed only when it could be over)."""
    if isinstance(raw, str) and len(raw) * 4 <= max_bytes:
        return len(raw)
    return len(raw.encode()) if isinstance(raw, str) else len(raw)
