"""`"type": "span"`: the annotator marks the exact words of each claim in the passage, and answers
the span's own sub-fields for each (its claim type, stance, verdict, evidence...). A passage that
makes two claims, one for the target and one against, can then be labelled truthfully.

A span is stored in the document's raw coordinates, as passages are, snapped outward to whole
words (annotator/splitting/words.py), with the words' text beside the offsets:
`{"start": 120, "end": 164, "text": "...", "labels": {...}}`; a field's answer is its spans in
order of position. Sub-fields are a schema of their own (`"fields"`), checked as the top level
is, `show_if` among siblings included; spans do not nest.

Agreement on spans is unitizing alpha and span F1 (annotator/agreement/spans.py), not a measured
field. Gold is settled here (`settle`): the spans a strict majority of the passage's annotators
marked with overlap, over the characters a majority marked, each sub-field by majority among
the annotators who marked it."""

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from annotator.schema.errors import LabelError, quoted
from annotator.schema.types.base import Field, json_answer
from annotator.schema.types.options import key_problems

if TYPE_CHECKING:
    from annotator.schema.model import Schema
    from annotator.splitting.words import PassageWords

SPAN_KEYS = frozenset({"start", "end", "text", "labels"})
MOST_SPANS = 200  # a schema's "max" may not exceed it


@dataclass(frozen=True)
class SpanField(Field):
    TYPE: ClassVar[str] = "span"
    OWN_KEYS: ClassVar[frozenset[str]] = frozenset({"fields", "min", "max", "key"})
    NEEDS_PASSAGE: ClassVar[bool] = True
    OWN_GOLD: ClassVar[bool] = True

    sub_schema: "Schema | None" = None
    least: int = 0
    most: int = MOST_SPANS
    key: str | None = None  # starts marking a span on the annotate screen

    @classmethod
    def _parse_own(cls, definition: dict, path: str) -> tuple[dict[str, Any], list[str]]:
        from annotator.schema.model import Schema, SchemaError

        problems: list[str] = []
        least, most = definition.get("min", 0), definition.get("max", MOST_SPANS)
        for key, value in (("min", least), ("max", most)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MOST_SPANS:
                problems.append(f"{path}.{key}: a whole number from 0 to {MOST_SPANS} is required")
        if not problems and least > most:
            problems.append(f"{path}.min: {least} is more than max ({most})")
        if definition.get("key") is not None:
            problems += key_problems(definition["key"], f"{path}.key", set())
        sub_schema = None
        sub_fields = definition.get("fields", [])
        if not isinstance(sub_fields, list):
            problems.append(f"{path}.fields: a list of fields is required")
        elif any(isinstance(sub, dict) and sub.get("type") == cls.TYPE for sub in sub_fields):
            problems.append(f"{path}.fields: a span field cannot hold another span field")
        elif sub_fields:
            try:
                sub_schema = Schema.parse({"fields": sub_fields})
            except SchemaError as error:
                problems += [f"{path}.{problem}" for problem in error.problems]
        return {"sub_schema": sub_schema, "least": least, "most": most, "key": definition.get("key")}, problems

    @property
    def sub_fields(self) -> tuple[Field, ...]:
        return self.sub_schema.fields if self.sub_schema is not None else ()

    def keys(self) -> set[str]:
        own = {self.key.lower()} if self.key else set()
        return own | (self.sub_schema.keys() if self.sub_schema is not None else set())

    # --- one answer --------------------------------------------------------------------------

    def check(self, value: object) -> list[dict] | None:
        if value is None or value == []:
            return None
        raise LabelError(self.name, f"{self.label}: spans can only be checked against their passage")

    def check_in(self, value: object, passage: "PassageWords | None") -> list[dict] | None:
        if value is None or value == []:
            return None
        if passage is None:
            return self.check(value)
        if not isinstance(value, list):
            raise LabelError(self.name, f"{self.label}: a list of spans is required, got {quoted(value)}")
        spans = sorted(
            (self._checked_span(one, passage) for one in value), key=lambda span: (span["start"], span["end"])
        )
        extents = [(span["start"], span["end"]) for span in spans]
        repeated = next((extent for extent, count in Counter(extents).items() if count > 1), None)
        if repeated is not None:
            raise LabelError(self.name, f"{self.label}: two spans cover the same words ({repeated[0]}-{repeated[1]})")
        if len(spans) > self.most:
            raise LabelError(self.name, f"{self.label}: mark at most {self.most} spans ({len(spans)} given)")
        if len(spans) < self.least:
            raise LabelError(self.name, f"{self.label}: mark at least {self.least} spans ({len(spans)} given)")
        return spans

    def _checked_span(self, span: object, passage: "PassageWords") -> dict:
        if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int):
            raise LabelError(
                self.name, f'{self.label}: a span is {{"start": N, "end": N, "labels": {{...}}}}, got {quoted(span)}'
            )
        unknown = sorted(set(span) - SPAN_KEYS)
        if unknown:
            raise LabelError(self.name, f'{self.label}: a span has no "{unknown[0]}"')
        start, end = span["start"], span["end"]
        if isinstance(start, bool) or isinstance(end, bool) or not passage.start <= start < end <= passage.end:
            raise LabelError(
                self.name,
                f"{self.label}: the span {start}-{end} is not inside the passage ({passage.start}-{passage.end})",
            )
        snapped = passage.snapped(start, end)
        if snapped is None:
            raise LabelError(self.name, f"{self.label}: the span {start}-{end} covers no word of the passage")
        labels = span.get("labels", {})
        if labels is None:
            labels = {}
        checked = self._checked_sub_labels(labels, passage)
        return {"start": snapped[0], "end": snapped[1], "text": snapped[2], "labels": checked}

    def _checked_sub_labels(self, labels: object, passage: "PassageWords") -> dict:
        if self.sub_schema is None:
            if labels:
                raise LabelError(self.name, f"{self.label}: its spans have no fields to answer")
            return {}
        try:
            return self.sub_schema.check_labels(labels, passage)
        except LabelError as error:
            raise LabelError(f"{self.name}.{error.field}", f"{self.label}: {error.message}", error.allowed) from None

    def review_key(self, value: object) -> object:
        """The spans' extents with their sub-answers as agreement compares them (a rewritten
        claim's text is not compared, an evidence field by the relations it cites)."""
        if not value:
            return None
        return tuple((span["start"], span["end"], self._sub_key(span.get("labels") or {})) for span in value)

    def _sub_key(self, labels: dict) -> tuple:
        if self.sub_schema is None:
            return ()
        keys = []
        for field in self.sub_schema.fields:  # a text's review_key is None: texts are not compared
            answer = labels.get(field.name)
            key = field.review_key(answer) if field.OWN_GOLD else answer
            keys.append((field.name, tuple(key) if isinstance(key, list) else key))
        return tuple(keys)

    def missing_answer(self) -> LabelError:
        return LabelError(self.name, f"{self.label}: mark at least one span")

    def words(self, value: object) -> str:
        if not value:
            return ""
        return "; ".join(self._span_words(span) for span in value)

    def _span_words(self, span: dict) -> str:
        answers = self.sub_schema.in_words(span.get("labels") or {}) if self.sub_schema is not None else []
        said = ", ".join(f"{label}: {words}" for label, words in answers)
        return f"“{span.get('text', '')}”" + (f" ({said})" if said else "")

    def answer(self, data: object) -> object:
        """The spans the annotate screen keeps as JSON in a hidden input (set by its script)."""
        return json_answer(data)

    def flat(self, value: object) -> str | None:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None

    # --- gold --------------------------------------------------------------------------------

    def settle(
        self, given: list[list[dict] | None], decided: list[dict] | None, passage: "PassageWords | None" = None
    ) -> tuple[list[dict] | None, dict]:
        """The gold spans: the reviewer's, else those a strict majority of the annotators
        marked (see the module's docstring)."""
        if decided is not None:
            return decided, {"source": "adjudicated", "probability": None, "agreement": None}
        annotators = len(given)
        marked = [(annotator, span) for annotator, spans in enumerate(given) for span in spans or []]
        spans = [
            self._gold_span(run, marked, annotators, passage)
            for run in majority_runs([(a, s["start"], s["end"]) for a, s in marked], annotators)
        ]
        if not spans:
            return None, {"source": None, "probability": None, "agreement": None}
        sources = {span["gold"]["source"] for span in spans}
        weakest = next(source for source in ("single", "majority", "unanimous") if source in sources)
        return spans, {"source": weakest, "probability": None, "agreement": None}

    def _gold_span(
        self, run: tuple[int, int], marked: list[tuple[int, dict]], annotators: int, passage: "PassageWords | None"
    ) -> dict:
        start, end = run
        closest: dict[int, dict] = {}  # per annotator, their span overlapping the run the most
        for annotator, span in marked:
            overlap = min(end, span["end"]) - max(start, span["start"])
            if overlap > 0 and (annotator not in closest or overlap > _overlap(closest[annotator], start, end)):
                closest[annotator] = span
        chosen = list(closest.values())
        text = _run_text(start, end, chosen, passage)
        if text is None:  # without the passage, the span nearest the run stands for it
            nearest = max(chosen, key=lambda span: _jaccard(span, start, end))
            start, end, text = nearest["start"], nearest["end"], nearest.get("text", "")
        source = "single" if annotators == 1 else "unanimous" if len(chosen) == annotators else "majority"
        return {
            "start": start,
            "end": end,
            "text": text,
            "labels": self._sub_gold([span.get("labels") or {} for span in chosen]),
            "gold": {"source": source, "annotators": len(chosen), "of": annotators},
        }

    def _sub_gold(self, label_sets: list[dict]) -> dict:
        """Each sub-field's answer among the annotators who marked the span: the reviewer's rules
        for a text or evidence field, else the answer more than half of them gave."""
        if self.sub_schema is None:
            return {}
        gold = {}
        for field in self.sub_schema.fields:
            values = [labels.get(field.name) for labels in label_sets]
            if field.OWN_GOLD:
                value, _ = field.settle(values, None)
            else:
                value = majority_value(values, len(label_sets))
            if value is not None:
                gold[field.name] = value
        return gold


def majority_runs(spans: list[tuple[int, int, int]], annotators: int) -> list[tuple[int, int]]:
    """The stretches (start, end) that more than half of `annotators` marked, from
    (annotator, start, end) spans; an annotator's overlapping spans count once."""
    if not spans or annotators == 0:
        return []
    events: list[tuple[int, int, int]] = []
    for annotator, start, end in spans:
        events += [(start, 1, annotator), (end, -1, annotator)]
    events.sort(key=lambda event: (event[0], event[1]))
    depth: Counter = Counter()
    runs: list[tuple[int, int]] = []
    run_start = None
    for position, change, annotator in events:
        depth[annotator] += change
        covering = sum(1 for count in depth.values() if count > 0)
        if covering * 2 > annotators and run_start is None:
            run_start = position
        elif covering * 2 <= annotators and run_start is not None:
            if position > run_start:
                runs.append((run_start, position))
            run_start = None
    return _joined(runs)


def _joined(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in runs:
        if joined and joined[-1][1] == start:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def majority_value(values: list, voters: int):
    """The value more than half of `voters` gave (None if none did); for a list (a multi
    field), the options more than half chose."""
    given = [value for value in values if value is not None]
    if given and all(isinstance(value, list) for value in given):
        counts = Counter(option for value in given for option in value)
        chosen = [option for option in dict.fromkeys(o for v in given for o in v) if counts[option] * 2 > voters]
        return chosen or None
    hashable = [value for value in given if isinstance(value, str | int | float | bool)]
    if not hashable:
        return None
    value, count = Counter(hashable).most_common(1)[0]
    return value if count * 2 > voters else None


def _overlap(span: dict, start: int, end: int) -> int:
    return min(end, span["end"]) - max(start, span["start"])


def _jaccard(span: dict, start: int, end: int) -> float:
    union = max(end, span["end"]) - min(start, span["start"])
    return _overlap(span, start, end) / union if union else 0.0


def _run_text(start: int, end: int, spans: list[dict], passage: "PassageWords | None") -> str | None:
    for span in spans:
        if span["start"] == start and span["end"] == end:
            return span.get("text", "")
    if passage is not None:
        snapped = passage.snapped(start, end)
        return snapped[2] if snapped else None
    return None
