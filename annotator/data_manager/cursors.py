"""Keyset cursors as opaque strings: the position after which the next page starts (the sort
key's values of the last row shown), so that a page costs the same far down a list as at its
start. A cursor that cannot be read counts as none (the first page), never as an error."""

import base64
import binascii
import json


def encode_cursor(kind: str, position: list) -> str:
    """The position (JSON values) of a list of `kind`, as a string for an address."""
    text = json.dumps([kind, position], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> list | None:
    """The position in a cursor of a list of `kind`; None when absent, unreadable or another kind's."""
    if not cursor or len(cursor) > 2000:
        return None
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(found, list) and len(found) == 2 and found[0] == kind and isinstance(found[1], list)):
        return None
    return found[1]
