"""The label schema: what annotators answer for each passage, as typed objects.

`Schema.parse(definition)` / `Schema.load(text)` check a definition and name every problem;
`schema_of(session, project)` gives a project's current schema, parsed once per version. Field
types live in `annotator.schema.types`."""

from annotator.schema.defaults import default_definition
from annotator.schema.errors import LabelError, SchemaError
from annotator.schema.model import Schema
from annotator.schema.types.base import RESERVED_KEYS

__all__ = ["LabelError", "RESERVED_KEYS", "Schema", "SchemaError", "default_definition"]
