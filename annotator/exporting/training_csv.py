"""The `training` export as CSV (RFC 4180): one column per field for the final label, its
source, probability and agreement, a span or evidence field's gold as JSON in one cell (its
`flat` form, provenance included), the annotators' label sets as one JSON cell, and every cell
safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

from annotator.schema import Schema


def csv_lines(rows: Iterable[dict], schema: Schema) -> Iterator[bytes]:
    """Training records flattened: one column per field for the label (in the field's `flat`
    form), its source, probability and agreement; the individual label sets as one JSON
    column. Lines end in CRLF (RFC 4180), so that a cell holding a line break of either kind is
    quoted and the row stays one row; every cell goes through `spreadsheet_safe`."""
    writer_buffer = io.StringIO()
    writer = csv.writer(writer_buffer, lineterminator="\r\n")
    header = None
    for record in rows:
        if header is None:
            header = _csv_header(record)
            writer.writerow(map(spreadsheet_safe, header))
        writer.writerow(map(spreadsheet_safe, _csv_row(record, header, schema)))
        yield writer_buffer.getvalue().encode("utf-8")
        writer_buffer.seek(0)
        writer_buffer.truncate()
    if header is None:  # no rows: still a header
        yield b"passage_id,document_id,index,start,end,text\r\n"


# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection), with the full-width
# forms that some spreadsheets take for the same characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CONTROL_STARTS = ("\t", "\r")


def spreadsheet_safe(cell):
    """The cell as a spreadsheet shows it as text, never runs it: a text that begins, after any
    leading whitespace, with = + - or @, or that begins with a tab or carriage return, gets a
    single quote in front (OWASP's advice). Numbers, including negative ones, stay numbers; the
    JSON Lines exports keep every text exactly as it is."""
    if isinstance(cell, str) and (cell.startswith(CONTROL_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)):
        return "'" + cell
    return cell


def _csv_header(record: dict) -> list[str]:
    columns = ["passage_id", "document_id", "index", "start", "end", "text"]
    columns += [key for key in ("split",) if key in record]
    columns += ["context_before", "context_after"] if "context" in record else []
    columns += ["annotators", "agreement", "adjudicated"]
    for field in record["labels"]:
        columns += [field, f"{field}_source", f"{field}_probability", f"{field}_agreement"]
    return columns + ["annotations"]


def _csv_row(record: dict, header: list[str], schema: Schema) -> list:
    flat = {
        key: record[key]
        for key in (
            "passage_id",
            "document_id",
            "index",
            "start",
            "end",
            "text",
            "annotators",
            "agreement",
            "adjudicated",
        )
    }
    flat.update({key: record[key] for key in ("split",) if key in record})
    if "context" in record:
        flat["context_before"], flat["context_after"] = record["context"]["before"], record["context"]["after"]
    for field, label in record["labels"].items():
        gold = record["gold"][field]
        flat.update(
            {
                field: schema.field(field).flat(label),
                f"{field}_source": gold["source"],
                f"{field}_probability": gold["probability"],
                f"{field}_agreement": gold["agreement"],
            }
        )
    flat["annotations"] = orjson.dumps(record["annotations"]).decode()
    return ["" if flat.get(column) is None else flat[column] for column in header]
