"""What goes wrong with a label schema, and with a label set measured against one."""

from annotator.domain_errors import Invalid


class SchemaError(Invalid):
    """A schema that cannot be used; `problems` lists every problem found, path first."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return ["the label schema is refused:", *self.problems]


class LabelError(Invalid):
    """A label set that does not fit the schema. The message speaks the annotator's terms: the
    field by its label, what it allows by the options' labels. `field` and `allowed` keep the
    field's name and values, for scripts (the API's 422 body, import-annotations)."""

    def __init__(self, field: str, message: str, allowed: list[str] | None = None):
        super().__init__(message)
        self.field, self.message, self.allowed = field, message, allowed or []

    def as_dict(self) -> dict:
        return {"field": self.field, "error": self.message, "allowed": self.allowed}


def quoted(value: object) -> str:
    """A value as a message shows it: text in quotes, anything else as JSON."""
    import json

    return f'"{value}"' if isinstance(value, str) else json.dumps(value)
