"""One source of the current time, stored as naive UTC in the database."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """A stored (naive UTC) time as JSON gives it: ISO 8601 with a Z; None stays None."""
    return None if moment is None else moment.isoformat() + "Z"
