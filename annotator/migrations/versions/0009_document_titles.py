"""document titles: titles derived from a document's first line, derived again from its first real line

Documents imported before this revision were titled by their first non-blank line, which in a
web dump is a menu entry or "• slide1.jpg". A title is derived again where the stored data shows
it was derived: the document was read from a .txt, .md, .text or .csv file (readers never take a
title from those) and its title is exactly what the old rule gave. JSON Lines and HTML documents
keep their titles: theirs may be the file's own ("title", <title>), and one that happens to equal
the first line cannot be told from a derived one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:40:00

"""

from pathlib import PurePath

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UNTITLED_SUFFIXES = (".txt", ".md", ".text", ".csv")
BATCH = 500

_document = sa.table(
    "document",
    sa.column("id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("title", sa.Text),
    sa.column("source", sa.Text),
    sa.column("meta", sa.JSON),
    sa.column("raw_text", sa.Text),
)
_SET_TITLE = (
    _document.update().where(_document.c.id == sa.bindparam("document_id")).values(title=sa.bindparam("new_title"))
)


def upgrade():
    # The splitter (and NumPy, through blingfire) only when this revision runs: Alembic imports
    # every revision to know their order, for `annotator init-db` on an up-to-date database too.
    from annotator.splitting import titles

    connection = op.get_bind()
    last_id = 0
    head_chars = titles.HEADS[-1] + 1  # one character more than titles read: they see where a longer text goes on
    while rows := connection.execute(_candidates(last_id, head_chars)).all():
        changes = [
            {"document_id": row.id, "new_title": title}
            for row in rows
            if (title := _new_title(row, titles.document_title)) is not None
        ]
        if changes:
            connection.execute(_SET_TITLE, changes)
        last_id = rows[-1].id


def downgrade():
    """The old titles are not brought back: they were the bug."""


def _candidates(after_id: int, head_chars: int):
    from_untitled_files = sa.or_(
        *(sa.func.lower(_document.c.source).like(f"%{suffix}") for suffix in UNTITLED_SUFFIXES)
    )
    return (
        sa.select(
            _document.c.id,
            _document.c.external_id,
            _document.c.title,
            _document.c.source,
            _document.c.meta,
            sa.func.substr(_document.c.raw_text, 1, head_chars).label("head"),
        )
        .where(_document.c.id > after_id, from_untitled_files)
        .order_by(_document.c.id)
        .limit(BATCH)
    )


def _new_title(row, document_title) -> str | None:
    """The title derived again (by the splitter's `document_title`), or None to keep the stored one."""
    derived = PurePath(row.source).suffix.lower() in UNTITLED_SUFFIXES and (row.meta or {}).get("format") != "html"
    if not derived or row.title != _old_first_line(row.head):
        return None
    title = document_title(row.head) or row.external_id
    return title if title != row.title else None


def _old_first_line(text: str) -> str:
    """The title the importer gave an untitled document before this revision."""
    head = text[:2000].lstrip()
    return " ".join(head.splitlines()[0].split())[:200] if head else ""
