"""A label set's values as numbers the database works out: the index of the value among the
field's options. Reading 300,000 label sets as small integers costs a fraction of decoding
their JSON in Python."""

import sqlalchemy as sa

NONE = -1  # no value for the field
UNKNOWN = -2  # a value that is not one of the options (an older schema version's)


def option_code(labels: sa.ColumnElement, name: str, options: tuple[str, ...]):
    """SQL: the index of `labels[name]` among `options`; NONE when absent, UNKNOWN otherwise."""
    # One extraction per row: an absent value becomes "" (never an option: the schema requires
    # non-empty values), so a single CASE tells all three apart.
    extracted = sa.func.coalesce(labels[name].as_string(), "")
    return sa.case({value: index for index, value in enumerate(options)} | {"": NONE}, value=extracted, else_=UNKNOWN)
