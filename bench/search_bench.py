"""Data manager benchmark: passage search and the documents list over a project of 200,000 passages.

    python bench/search_bench.py CORPUS.csv... [--database URL] [--passages N] [--repeat R]

Builds one project of N passages (default 200,000) from real news text: the FNC-1 bodies'
paragraphs, the corpus repeated as often as needed, each copy's passages varied by a word of
their own (so no two passages are equal), inserted in bulk (through the passage table, so the
full-text index is kept by its triggers on SQLite and its GIN index on PostgreSQL). A few
passages carry a rare word. Passages get statuses in the proportions of a project well under
way (about 30% complete, 10% in progress, 5% excluded as boilerplate, the rest open).

Then times, R times each, the data manager's own functions (annotator.data_manager: what the
pages and the API call), and prints the median and 95th percentile beside two baselines measured
in the same run: a primary-key lookup of one passage, and a LIKE scan for the rare word over the
project's passages (what a search without a full-text index would do).

--database: a SQLAlchemy URL; its database is EMPTIED first (every table dropped). Default: a
fresh SQLite file in a temporary folder.
"""

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RARE = "zyzzogeton"  # in a handful of passages only
RARE_EVERY = 40_000
PASSAGES_PER_DOCUMENT_MAX = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+", type=Path)
    parser.add_argument("--database", help="SQLAlchemy URL (emptied first); default: a temporary SQLite file")
    parser.add_argument("--passages", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    csv.field_size_limit(sys.maxsize)
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'search.sqlite3'}"
        app = _app(url)
        with app.app_context():
            started = time.perf_counter()
            project_id = build(paragraphs(args.corpus), args.passages)
            print(f"built {args.passages:,} passages in {time.perf_counter() - started:.1f} s on {_describe(url)}")
            measure(project_id, args.passages, args.repeat)


def _app(url: str):
    from annotator import create_app

    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        import logging

        from flask_migrate import upgrade

        logging.disable(logging.INFO)
        upgrade(directory=str(ROOT / "annotator" / "migrations"))
        logging.disable(logging.NOTSET)
    return app


def _describe(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def paragraphs(corpus: list[Path]) -> list[str]:
    """Every paragraph of at least 40 characters of the corpus' bodies, in file order."""
    found = []
    for path in corpus:
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                found += [part.strip() for part in row["articleBody"].split("\n") if len(part.strip()) >= 40]
    return found


def build(texts: list[str], count: int) -> int:
    """A project ("Search bench", k = 2) of `count` passages; returns its id."""
    from annotator.administration.projects import create_project
    from annotator.db import insert_many
    from annotator.documents.models import FRESH, STARTED, Document, Passage
    from annotator.extensions import db

    project = create_project(db.session, "Search bench", overlap_k=2)
    db.session.commit()
    randomness = random.Random(13)
    connection = db.session.connection()
    made, number = 0, 0
    while made < count:
        size = min(randomness.randint(5, PASSAGES_PER_DOCUMENT_MAX), count - made)
        document_texts = [_varied(texts[(made + i) % len(texts)], made + i) for i in range(size)]
        raw = "\n\n".join(document_texts)
        document = Document(
            project_id=project.id,
            external_id=f"doc-{number}",
            title=document_texts[0][:80],
            sha256=f"{number:064d}",
            raw_text=raw,
            meta={},
            size=len(raw),
            passage_count=size,
        )
        db.session.add(document)
        db.session.flush()
        rows, offset = [], 0
        for index, text in enumerate(document_texts):
            roll = randomness.random()
            excluded, labels = roll < 0.05, 2 if roll < 0.35 else (1 if roll < 0.45 else 0)
            rows.append(
                {
                    "project_id": project.id,
                    "document_id": document.id,
                    "index": index,
                    "start": offset,
                    "end": offset + len(text),
                    "text": text,
                    "text_hash": hash(text) % 2**62,
                    "annotatable": not excluded,
                    "excluded_reason": "boilerplate" if excluded else None,
                    "splitter_version": "bench",
                    "label_count": 0 if excluded else labels,
                    "assigned_count": 0,
                    "queue": None if excluded or labels == 2 else (STARTED if labels else FRESH),
                    "extra_labels": 0,
                    "duplicate_of_id": None,
                }
            )
            offset += len(text) + 2
        insert_many(connection, Passage.__table__, rows)
        made, number = made + size, number + 1
        if number % 200 == 0:
            db.session.commit()
            connection = db.session.connection()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as analyse:
            analyse.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return project.id


def _varied(text: str, number: int) -> str:
    """The paragraph with a word of its own (and, every RARE_EVERY passages, the rare word)."""
    rare = f" {RARE}" if number % RARE_EVERY == 7 else ""
    return f"{text} (copy {number // 1000}{rare})"


def measure(project_id: int, passages: int, repeat: int) -> None:
    from annotator.data_manager.listing import DocumentSort, list_documents
    from annotator.data_manager.search import PassageFilters, search_passages
    from annotator.documents.models import Passage
    from annotator.extensions import db
    from annotator.projects.models import Project

    project = db.session.get(Project, project_id)
    some_id = db.session.scalar(
        sa.select(Passage.id).where(Passage.project_id == project_id).offset(passages // 2).limit(1)
    )
    second_page = search_passages(db.session, project, PassageFilters(words="said")).next_cursor
    documents_page_two = list_documents(db.session, project, DocumentSort.parse("-size")).next_cursor

    def search(cursor=None, **filters):
        return lambda: search_passages(db.session, project, PassageFilters(**filters), cursor)

    cases = {
        "baseline: passage by primary key": lambda: db.session.get(Passage, some_id, populate_existing=True),
        f"baseline: LIKE '%{RARE}%' scan": lambda: db.session.execute(
            sa.select(Passage.id)
            .where(Passage.project_id == project_id, Passage.text.like(f"%{RARE}%"))
            .order_by(Passage.document_id, Passage.index)
            .limit(51)
        ).all(),
        f"search: rare word ({RARE})": search(words=RARE),
        "search: common word (said)": search(words="said"),
        "search: two words (police said)": search(words="police said"),
        'search: phrase ("islamic state")': search(words='"islamic state"'),
        "search: prefix (terror*)": search(words="terror*"),
        "search: common word, status complete": search(words="said", status="complete"),
        "search: rare word, status open": search(words=RARE, status="open"),
        "search: common word, second page": search(second_page, words="said"),
        "filter: status excluded:boilerplate": search(status="excluded:boilerplate"),
        "filter: status in_progress": search(status="in_progress"),
        "documents: first page (import order)": lambda: list_documents(db.session, project),
        "documents: by size descending": lambda: list_documents(db.session, project, DocumentSort.parse("-size")),
        "documents: by size, second page": lambda: list_documents(
            db.session, project, DocumentSort.parse("-size"), documents_page_two
        ),
        "documents: by title": lambda: list_documents(db.session, project, DocumentSort.parse("title")),
    }
    print(f"\n{'':42} {'median ms':>10} {'p95 ms':>8} {'rows':>5}")
    for name, run in cases.items():
        times, rows = [], None
        for _ in range(repeat):
            db.session.rollback()  # each call in a transaction of its own, as a request is
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
            rows = _rows(result)
        db.session.rollback()
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:42} {statistics.median(times):10.2f} {p95:8.2f} {rows:>5}")


def _rows(result) -> int:
    for name in ("passages", "documents"):
        if hasattr(result, name):
            return len(getattr(result, name))
    return len(result) if isinstance(result, list) else 1


if __name__ == "__main__":
    main()
