"""The field types of a label schema, by the name a definition gives in `"type"` (choice when
it gives none). A new type is one module here, one template fragment
(templates/fields/_TYPE.html) and one line below."""

from annotator.schema.types.base import Field
from annotator.schema.types.choice import ChoiceField
from annotator.schema.types.evidence import EvidenceField
from annotator.schema.types.multi import MultiField
from annotator.schema.types.span import SpanField
from annotator.schema.types.text import TextField

FIELD_TYPES: dict[str, type[Field]] = {
    ChoiceField.TYPE: ChoiceField,
    MultiField.TYPE: MultiField,
    TextField.TYPE: TextField,
    SpanField.TYPE: SpanField,
    EvidenceField.TYPE: EvidenceField,
}
DEFAULT_TYPE = ChoiceField.TYPE
