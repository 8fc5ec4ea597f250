"""The export kinds, by name: what the command line and the download buttons offer, and how
each turns into lines (JSON Lines; CSV for `training` too)."""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
import sqlalchemy.orm as so

from annotator.domain_errors import Forbidden, NotFound
from annotator.exporting.annotations import annotation_records
from annotator.exporting.audit import audit_records
from annotator.exporting.backup import backup_records
from annotator.exporting.jsonl import jsonl_lines
from annotator.exporting.passages import passage_records
from annotator.exporting.training import training_records
from annotator.exporting.training_options import TrainingOptions
from annotator.projects.models import Project

KINDS = ("passages", "annotations", "training", "audit", "backup")
ADMIN_ONLY = {"backup"}  # it holds every document's raw text and the project's accounts


class NoSuchExport(NotFound):
    """No export kind by that name."""


class AdminsOnly(Forbidden):
    """An export kind only admins may take."""


def check_kind(kind: str, by_admin: bool) -> None:
    """Refuse an export kind that does not exist, or that the taker may not have."""
    if kind not in KINDS:
        raise NoSuchExport(f"export kind {kind!r} not found: one of {', '.join(KINDS)}")
    if kind in ADMIN_ONLY and not by_admin:
        raise AdminsOnly(f"only admins may take the {kind} export")


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    csv: bool = False  # training only
    training: TrainingOptions = TrainingOptions()


def export_lines(session: so.Session, project: Project, request: ExportRequest) -> Iterator[bytes]:
    """The export's lines as bytes, streamed."""
    if request.csv:
        if request.kind != "training":
            raise ValueError("only the training export is also offered as CSV")
        return csv_lines(training_records(session, project, request.training), request.training)
    return jsonl_lines(records(session, project, request))


def records(session: so.Session, project: Project, request: ExportRequest) -> Iterator[dict]:
    if request.kind == "passages":
        return passage_records(session, project.id)
    if request.kind == "annotations":
        return annotation_records(session, project)
    if request.kind == "training":
        return training_records(session, project, request.training)
    if request.kind == "audit":
        return audit_records(session, project)
    if request.kind == "backup":
        return backup_records(session, project)
    raise ValueError(f"no export kind {request.kind!r}: one of {', '.join(KINDS)}")


MAX_NAME_CHARACTERS = 80  # of the project's name in a file name: far below any file system's limit


def file_name(project: Project, request: ExportRequest, ascii_only: bool = False) -> str:
    """The export's file name: the project's name (its letters and digits in any script, every
    other character a hyphen: no separator, quote or control character), the kind and the
    extension. With `ascii_only`, the name's letters without their accents, and only ASCII ones
    (a name in another script gives "project")."""
    name = unicodedata.normalize("NFKD" if ascii_only else "NFC", project.name)
    if ascii_only:
        name = name.encode("ascii", "ignore").decode("ascii")
    safe = "".join(character if character.isalnum() or character in "-_" else "-" for character in name)
    safe = safe[:MAX_NAME_CHARACTERS].strip("-")
    return f"{safe or 'project'}-{request.kind}.{'csv' if request.csv else 'jsonl'}"


def csv_lines(rows: Iterable[dict], options: TrainingOptions) -> Iterator[bytes]:
    """Training records flattened: one column per field for the label, its source, probability
    and agreement; the individual label sets as one JSON column. Lines end in CRLF (RFC 4180),
    so that a cell holding a line break of either kind is quoted and the row stays one row;
    every cell goes through `spreadsheet_safe`."""
    writer_buffer = io.StringIO()
    writer = csv.writer(writer_buffer, lineterminator="\r\n")
    header = None
    for record in rows:
        if header is None:
            header = _csv_header(record)
            writer.writerow(map(spreadsheet_safe, header))
        writer.writerow(map(spreadsheet_safe, _csv_row(record, header)))
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


def _csv_row(record: dict, header: list[str]) -> list:
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
                field: _cell(label),
                f"{field}_source": gold["source"],
                f"{field}_probability": gold["probability"],
                f"{field}_agreement": gold["agreement"],
            }
        )
    flat["annotations"] = orjson.dumps(record["annotations"]).decode()
    return ["" if flat.get(column) is None else flat[column] for column in header]


def _cell(answer):
    """A field's answer in one cell: several options joined by "|" (as MultiField.flat has it)."""
    return "|".join(answer) if isinstance(answer, list) else answer
