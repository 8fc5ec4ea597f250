"""The form of a label set agreement reads, stored beside it on its row:

- `agreement_labels`: the label set with its span fields' answers moved under the key `#spans`
  (no field's name: names start with a letter) and each span reduced to its own answers. The
  offsets and words of spans make almost every label set distinct; without them a project holds
  few distinct texts again, each decoded once however many label sets share it.
- `span_offsets`: the spans' start and end offsets as numbers ("120,164,180,200"), in the order
  of `#spans`: its fields in turn, each field's spans in theirs.

Agreement on 300,000 label sets with spans then reads a few distinct texts and one list of
numbers instead of decoding 300,000 JSON texts. Both come from the label set alone, without its
schema: a span field's answer is a non-empty list of objects with whole-number `start` and `end`.
Every path that writes a label set (recording, import, restore; migration 0018 for those stored
before) stores them with it, through `agreement_form`."""

SPANS = "#spans"


def agreement_form(labels: dict) -> dict:
    """The columns stored beside a label set: {"agreement_labels": ..., "span_offsets": ...}."""
    spans = {name: value for name, value in labels.items() if is_spans(value)}
    rest = {name: value for name, value in labels.items() if name not in spans}
    if spans:
        rest[SPANS] = {name: [span.get("labels") or {} for span in value] for name, value in spans.items()}
    offsets = (offset for value in spans.values() for span in value for offset in (span["start"], span["end"]))
    return {"agreement_labels": rest, "span_offsets": ",".join(map(str, offsets))}


def is_spans(value: object) -> bool:
    """Whether an answer is a span field's spans."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(span, dict) and type(span.get("start")) is type(span.get("end")) is int for span in value)
    )
