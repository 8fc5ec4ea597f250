"""`"type": "text"`: a free answer of at most `max_length` characters (the claim rewritten as one
checkable sentence, say). No agreement figure: two texts are never compared. Gold is the
reviewer's text where a reviewer decided, else the annotators' text where they all wrote the
same; every annotator's text is exported."""

from dataclasses import dataclass
from typing import Any, ClassVar

from annotator.schema.errors import LabelError, quoted
from annotator.schema.types.base import Field
from annotator.schema.types.options import key_problems

MAX_LENGTH = 5000  # a label set's text field at most; a schema may ask for less
DEFAULT_LENGTH = 500


@dataclass(frozen=True)
class TextField(Field):
    TYPE: ClassVar[str] = "text"
    OWN_GOLD: ClassVar[bool] = True
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset({"max_length", "key", "placeholder"})

    max_length: int = DEFAULT_LENGTH
    key: str | None = None  # focuses the text box
    placeholder: str = ""

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        problems = []
        length = definition.get("max_length", DEFAULT_LENGTH)
        if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= MAX_LENGTH:
            problems.append(f"{path}.max_length: a whole number from 1 to {MAX_LENGTH} is required")
        key = definition.get("key")
        if key is not None:
            problems += key_problems(key, f"{path}.key", set())
        placeholder = definition.get("placeholder", "")
        if not isinstance(placeholder, str):
            problems.append(f"{path}.placeholder: must be text")
        return {"max_length": length, "key": key, "placeholder": placeholder}, problems

    def keys(self) -> set[str]:
        return {self.key.lower()} if self.key else set()

    def check(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise LabelError(self.name, f"{self.label}: a text is required, got {quoted(value)}")
        text = value.strip()
        if len(text) > self.max_length:
            raise LabelError(self.name, f"{self.label}: at most {self.max_length} characters ({len(text)} given)")
        return text or None

    def missing_answer(self) -> LabelError:
        return LabelError(self.name, f"{self.label}: write an answer")

    def settle(self, given: list[str | None], decided: str | None, passage: object = None) -> tuple[str | None, dict]:
        """The gold text: the reviewer's, else the one text every annotator wrote (the passage's
        words, which a span field's gold needs, change nothing here)."""
        if decided is not None:
            return decided, {"source": "adjudicated", "probability": None, "agreement": None}
        texts = [text for text in given if text is not None]
        if len(texts) >= 1 and len(set(texts)) == 1:
            return texts[0], {
                "source": "unanimous" if len(texts) > 1 else "single",
                "probability": None,
                "agreement": None,
            }
        return None, {"source": None, "probability": None, "agreement": None}
