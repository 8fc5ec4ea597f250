"""`"type": "evidence"`: zero or more evidence records, each a source (its URL), the quoted
passage of the source, and the evidence's relation to the claim (supports, refutes, not enough
info: the schema's `relations`); optionally a question and its answer (AVeriTeC: `"question":
true`), a note, and the alternative evidence set it belongs to (FEVER: `"sets": true`). It may
stand at passage level or inside a span field.

A URL is validated (http or https, a host, no spaces), stored as given and never fetched: the
screens show it inert and open it only on a click, in a new tab without a referrer.

Agreement: alpha on the relations each annotator cited (annotator/agreement/spans.py), and, shown
apart, how often annotators cite the same source. Gold (`settle`): the reviewer's records, else
every distinct record (same URL and quote) with how many annotators cited it and the relation
most of them gave."""

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from annotator.schema.errors import LabelError, quoted
from annotator.schema.types.base import Field, json_answer
from annotator.schema.types.options import Option, option_words, parse_options

MAX_URL = 2000
MAX_QUOTE = 5000
MAX_SHORT = 1000  # a question, an answer or a note
MOST_RECORDS = 100
MOST_SETS = 20
RECORD_KEYS = frozenset({"url", "relation", "quote", "set", "question", "answer", "note"})


@dataclass(frozen=True)
class EvidenceField(Field):
    TYPE: ClassVar[str] = "evidence"
    OWN_GOLD: ClassVar[bool] = True
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset({"relations", "question", "sets", "min", "max"})

    relations: tuple[Option, ...] = ()
    question: bool = False
    sets: bool = False
    least: int = 0
    most: int = MOST_RECORDS

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        relations, problems = parse_options(definition.get("relations"), f"{path}.relations", allow_missing=False)
        for key in ("question", "sets"):
            if key in definition and not isinstance(definition[key], bool):
                problems.append(f"{path}.{key}: must be true or false")
        least, most = definition.get("min", 0), definition.get("max", MOST_RECORDS)
        for key, value in (("min", least), ("max", most)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MOST_RECORDS:
                problems.append(f"{path}.{key}: a whole number from 0 to {MOST_RECORDS} is required")
        if not problems and least > most:
            problems.append(f"{path}.min: {least} is more than max ({most})")
        return {
            "relations": relations,
            "question": definition.get("question", False) is True,
            "sets": definition.get("sets", False) is True,
            "least": least,
            "most": most,
        }, problems

    @property
    def relation_values(self) -> list[str]:
        return [relation.value for relation in self.relations]

    def keys(self) -> set[str]:
        return {relation.key.lower() for relation in self.relations if relation.key}

    # --- one answer --------------------------------------------------------------------------

    def check(self, value: object) -> list[dict] | None:
        if value is None or value == []:
            return None
        if not isinstance(value, list):
            raise LabelError(self.name, f"{self.label}: a list of evidence records is required, got {quoted(value)}")
        records = [self._checked_record(position, record) for position, record in enumerate(value, 1)]
        if len(records) > self.most:
            raise LabelError(self.name, f"{self.label}: at most {self.most} records ({len(records)} given)")
        if len(records) < self.least:
            raise LabelError(self.name, f"{self.label}: at least {self.least} records ({len(records)} given)")
        return records

    def _checked_record(self, position: int, record: object) -> dict:
        where = f"{self.label}, record {position}"
        if not isinstance(record, dict):
            raise LabelError(self.name, f"{where}: a record is an object with a url and a relation")
        allowed = RECORD_KEYS - ({"set"} if not self.sets else set())
        allowed -= {"question", "answer"} if not self.question else set()
        unknown = sorted(set(record) - allowed)
        if unknown:
            raise LabelError(self.name, f'{where}: "{unknown[0]}" is not asked here')
        checked = {"url": self._checked_url(where, record.get("url"))}
        relation = record.get("relation")
        if relation not in self.relation_values:
            choices = ", ".join(option.label for option in self.relations)
            raise LabelError(self.name, f"{where}: the relation must be one of {choices}", self.relation_values)
        checked["relation"] = relation
        for key, most in (("quote", MAX_QUOTE), ("question", MAX_SHORT), ("answer", MAX_SHORT), ("note", MAX_SHORT)):
            text = _text(where, key, record.get(key), most, self.name)
            if text:
                checked[key] = text
        if self.sets:
            checked["set"] = _set_number(where, record.get("set", 1), self.name)
        return checked

    def _checked_url(self, where: str, url: object) -> str:
        problem = url_problem(url)
        if problem:
            raise LabelError(self.name, f"{where}: {problem}")
        return url.strip()

    def review_key(self, value: object) -> object:
        """The relations cited (which sources is shown apart: annotators rarely cite the same)."""
        return frozenset(record["relation"] for record in value) if value else None

    def missing_answer(self) -> LabelError:
        return LabelError(self.name, f"{self.label}: add at least one record")

    def answer_values(self, value: object) -> list[str]:
        return [record.get("relation") for record in value or [] if isinstance(record, dict)]

    def words(self, value: object) -> str:
        if not value:
            return ""
        return "; ".join(
            f"{option_words(self.relations, record['relation'])}: {record['url']}"
            + (f" (set {record['set']})" if "set" in record else "")
            for record in value
        )

    def answer(self, data: object) -> object:
        return json_answer(data)

    def flat(self, value: object) -> str | None:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None

    # --- gold --------------------------------------------------------------------------------

    def settle(
        self, given: list[list[dict] | None], decided: list[dict] | None, passage: object = None
    ) -> tuple[list[dict] | None, dict]:
        """The gold records: the reviewer's, else every distinct record cited, in the order
        first cited, with how many annotators cited it and the relation most of them gave (the
        passage's words change nothing here)."""
        if decided is not None:
            return decided, {"source": "adjudicated", "probability": None, "agreement": None}
        cited: dict[tuple, list[dict]] = {}
        for records in given:
            for record in _distinct(records or []):
                cited.setdefault((record["url"], record.get("quote", "")), []).append(record)
        if not cited:
            return None, {"source": None, "probability": None, "agreement": None}
        gold = [_gold_record(citations, len(given)) for citations in cited.values()]
        return gold, {"source": "cited", "probability": None, "agreement": None}


def url_problem(url: object) -> str | None:
    """What is wrong with an evidence URL (None: nothing): http or https, with a host, no
    spaces or control characters, at most MAX_URL characters."""
    if not isinstance(url, str) or not url.strip():
        return "a source URL is required"
    url = url.strip()
    if len(url) > MAX_URL:
        return f"the URL is longer than {MAX_URL} characters"
    if any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in url):
        return "the URL may not hold spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{quoted(url)} is not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"the URL must start with http:// or https://, got {quoted(url[:80])}"
    if not parts.hostname:
        return f"the URL has no host: {quoted(url[:80])}"
    return None


def _text(where: str, key: str, value: object, most: int, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LabelError(field, f"{where}: the {key} must be text")
    text = value.strip()
    if len(text) > most:
        raise LabelError(field, f"{where}: the {key} is longer than {most} characters")
    return text


def _set_number(where: str, value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MOST_SETS:
        raise LabelError(field, f"{where}: the set must be a whole number from 1 to {MOST_SETS}")
    return value


def _distinct(records: list[dict]) -> list[dict]:
    """One annotator's records, each source and quote once (their first citation of it)."""
    seen: dict[tuple, dict] = {}
    for record in records:
        seen.setdefault((record["url"], record.get("quote", "")), record)
    return list(seen.values())


def _gold_record(citations: list[dict], annotators: int) -> dict:
    relation, _ = Counter(record["relation"] for record in citations).most_common(1)[0]
    record = {**citations[0], "relation": relation}
    record["gold"] = {"cited_by": len(citations), "of": annotators}
    return record
