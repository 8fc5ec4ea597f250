"""Ids in addresses: whole numbers a database row can have. Ids are `Integer` columns, signed
32 bits on PostgreSQL (SQLite's hold 64): a larger number names no row on either database, so it
is answered 404 (or, in a query string, taken as not given) rather than sent in a query the
database refuses to run (SQLite from 2^63, PostgreSQL from 2^31)."""

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route. Above MAX_ID: 404 at once (a converter that merely declined
    would let another route with the same shape answer 405 for the method)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound("There is nothing with this number here.")
        return number


def id_arg(value: str) -> int:
    """For `request.args.get(name, type=id_arg)`: a number out of range counts as not given."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value} is not an id")
    return number
