"""What the domain refuses, and why, in one family: every refusal of a service is a DomainError
whose `meaning` says what kind it is. The edges answer it once each, by its meaning alone: the
web as a status (404, 403, 409, 400) in a page or JSON (annotator.web.errors), the command line
as one line and exit status 1 (annotator.cli). Services raise them and know nothing of either."""

from enum import Enum
from typing import ClassVar


class Meaning(Enum):
    NOT_FOUND = "not found"  # what was asked for does not exist (or is not there for this caller)
    FORBIDDEN = "forbidden"  # it exists, and this caller may not do that with it
    CONFLICT = "conflict"  # right in itself, but not in the state things are in now
    INVALID = "invalid"  # the input itself cannot be used


class DomainError(Exception):
    """A refusal, in words its reader understands (the message)."""

    meaning: ClassVar[Meaning] = Meaning.INVALID

    def lines(self) -> list[str]:
        """The refusal as a terminal shows it: one line, or one per problem."""
        return [str(self)]


class NotFound(DomainError):
    meaning = Meaning.NOT_FOUND


class Forbidden(DomainError):
    meaning = Meaning.FORBIDDEN


class Conflict(DomainError):
    meaning = Meaning.CONFLICT


class Invalid(DomainError, ValueError):
    """Bad input (also a ValueError, as the refusals of input have always been)."""

    meaning = Meaning.INVALID
