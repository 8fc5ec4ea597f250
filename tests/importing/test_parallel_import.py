"""Splitting in worker processes gives exactly what splitting in-process gives."""

import json

import sqlalchemy as sa

from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.importing import service
from annotator.importing.readers import ReadOptions
from annotator.importing.service import ImportSettings, import_paths


def _import(make_project, name, path, workers, monkeypatch):
    monkeypatch.setattr(service, "BATCH_DOCUMENTS", 7)  # many small batches, in flight at once
    project = make_project(name)
    settings = ImportSettings(read=ReadOptions(1 << 20), workers=workers)
    outcomes = [(o.status, o.external_id, o.passages) for o in import_paths(db.session, project, [path], settings)]
    db.session.commit()
    rows = db.session.execute(
        sa.select(Passage.index, Passage.text, Passage.excluded_reason, Passage.duplicate_of_id.is_not(None))
        .where(Passage.project_id == project.id)
        .order_by(Passage.id)
    ).all()
    return outcomes, [tuple(row) for row in rows]


def test_worker_processes_give_the_same_passages_in_the_same_order(make_project, write_file, monkeypatch):
    shared = "The same reposted paragraph appears in several documents of this file, word for word."
    lines = [
        json.dumps(
            {
                "id": f"doc{n}",
                "text": f"Opening line of document {n}.\n\n"
                f"{shared if n % 3 == 0 else f'Unique paragraph {n} with a hyphen-'}\n"
                f"{'' if n % 3 == 0 else 'ated word and a bil-'}\n\nlions figure {n}.",
            }
        )
        for n in range(60)
    ]
    path = write_file("many.jsonl", "\n".join(lines) + "\n")
    in_process = _import(make_project, "one", path, 1, monkeypatch)
    with_workers = _import(make_project, "two", path, 2, monkeypatch)
    assert with_workers == in_process
    outcomes, rows = in_process
    assert [status for status, _, _ in outcomes] == ["imported"] * 60
    assert sum(1 for _, _, reason, _ in rows if reason == "duplicate") == 19  # all but the first copy
