"""passage search: full-text search over passages' text; indexes for sorting a project's documents

SQLite: an FTS5 table over passage.text with the passage table as its external content (the text
is stored once), kept by triggers on insert, delete and change of text, and filled from the
passages already there. PostgreSQL: the tsvector of the text, a stored generated column (kept by
the database itself), under a GIN index. Both without stemming, so that both find the same
passages (annotator.documents.full_text says why).

Why a stored column rather than an index on the tsvector expression alone: PostgreSQL then
computes the tsvector again for every row it checks (a phrase is always checked against the row,
and a search in reading order filters rows as it walks them); at 200,000 passages that made a
phrase search take 300 ms, against 40 ms with the column (bench/search_bench.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:00:00

"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Copies of annotator.documents.full_text's names and expression: a migration stays as it was written.
FTS_TABLE = "passage_fts"
PG_INDEX = "ix_passage_text_search"
PG_COLUMN = "text_search"
PG_DOCUMENT = "to_tsvector('simple', regexp_replace(text, '[[:punct:]]', ' ', 'g'))"
DOCUMENT_SORT_KEYS = ("id", "size", "imported_at", "passage_count")


def upgrade():
    for key in DOCUMENT_SORT_KEYS:
        op.create_index(_sort_index(key), "document", ["project_id", key] + (["id"] if key != "id" else []))
    if op.get_bind().dialect.name == "sqlite":
        _create_fts5()
    else:
        op.execute(f"ALTER TABLE passage ADD COLUMN {PG_COLUMN} tsvector GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED")
        op.execute(f"CREATE INDEX {PG_INDEX} ON passage USING gin ({PG_COLUMN})")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(f"ALTER TABLE passage DROP COLUMN IF EXISTS {PG_COLUMN}")
    for key in DOCUMENT_SORT_KEYS:
        op.drop_index(_sort_index(key), table_name="document")


def _sort_index(key: str) -> str:
    return f"ix_document_project_id_{key}" + ("_id" if key != "id" else "")


def _create_fts5() -> None:
    # unicode61 without stemming; diacritics kept (as PostgreSQL's 'simple' configuration keeps them).
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "text, content='passage', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(
        f"CREATE TRIGGER {FTS_TABLE}_after_insert AFTER INSERT ON passage BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS_TABLE}_after_delete AFTER DELETE ON passage BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS_TABLE}_after_update AFTER UPDATE OF text ON passage BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
