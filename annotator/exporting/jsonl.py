"""JSON Lines, as every export writes them: orjson, stored (naive UTC) times with a Z."""

from collections.abc import Iterable, Iterator

import orjson

_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def jsonl_lines(records: Iterable[dict]) -> Iterator[bytes]:
    """One JSON object per line (stored times are naive UTC: written with a Z)."""
    dumps = orjson.dumps
    for record in records:
        yield dumps(record, option=_JSON_OPTIONS) + b"\n"
