"""Full-text search over passages' text: what a user typed, made into search terms, and the SQL
that finds the passages holding them, on SQLite (an FTS5 table) and PostgreSQL (a stored
generated tsvector column of the passage table under a GIN index). Migration 0014 builds both;
the models know nothing of them.

Both databases are asked the same question so that they find the same passages: words are
split at spaces, punctuation and symbols (SQLite's unicode61 tokenizer; on PostgreSQL the
text's punctuation is made spaces first, so that "3.5" or "example.com" are words there too),
folded to lower case, diacritics kept, and never stemmed: PostgreSQL's 'english' stemmer
(Snowball) and SQLite's porter are different algorithms, and 'english' also drops stop words
that porter keeps, so stemming would make the two answer differently. A trailing `*` asks for
a prefix instead ("claim*" finds claims, claimed), the same on both.

Every word must occur (AND); text in double quotes must occur as a phrase. Nothing a user types
reaches the database as query syntax: it is cut into terms of letters and digits first."""

import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from annotator.documents.models import Passage

FTS_TABLE = "passage_fts"  # SQLite: FTS5 over passage.text (external content), kept by triggers
PG_COLUMN = "text_search"  # PostgreSQL: passage.text_search, generated from the text, stored
PG_INDEX = "ix_passage_text_search"  # PostgreSQL: GIN over PG_COLUMN
PG_CONFIG = "simple"

MAX_TERMS = 16  # more words than anyone searches for: the rest are dropped
MAX_TERM_CHARS = 64


@dataclass(frozen=True)
class Term:
    """A word, a prefix (`prefix`: "claim*") or a phrase (several words in order)."""

    words: tuple[str, ...]
    prefix: bool = False


def search_terms(typed: str | None) -> list[Term]:
    """The terms in what a user typed: quoted runs become phrases, the rest single words; a
    word directly followed by `*` a prefix. Empty when there is nothing to search for."""
    terms: list[Term] = []
    for number, part in enumerate((typed or "").split('"')):
        inside_quotes = number % 2 == 1
        if inside_quotes:
            words = tuple(word for word, _ in _words(part))
            if words:
                terms.append(Term(words))
        else:
            terms.extend(Term((word,), prefix) for word, prefix in _words(part))
    return terms[:MAX_TERMS]


def _words(text: str) -> list[tuple[str, bool]]:
    """(word, followed by '*') for every run of letters, digits and marks, lower-cased."""
    found, current = [], []
    for character in text + " ":
        if _is_word_character(character):
            current.append(character)
            continue
        if current:
            found.append(("".join(current).lower()[:MAX_TERM_CHARS], character == "*"))
            current = []
    return found


def _is_word_character(character: str) -> bool:
    """As SQLite's unicode61 tokenizer decides: letters, digits, marks and private-use
    characters are parts of words; spaces, punctuation, symbols and controls are not."""
    return unicodedata.category(character)[0] in "LNM" or unicodedata.category(character) == "Co"


def fts5_query(terms: list[Term]) -> str:
    """The terms as an FTS5 MATCH expression (every term quoted, so no word is an operator)."""
    return " AND ".join(f'"{" ".join(term.words)}"' + (" *" if term.prefix else "") for term in terms)


def tsquery(terms: list[Term]) -> str:
    """The terms as PostgreSQL to_tsquery input (each word quoted: only letters and digits)."""
    return " & ".join(
        "(" + " <-> ".join(f"'{word}'" for word in term.words) + (":*" if term.prefix else "") + ")" for term in terms
    )


def holding_every_term(dialect: str, terms: list[Term]) -> sa.ColumnElement[bool]:
    """The SQL condition, on a row of the passage table, that its text holds every term."""
    if dialect == "sqlite":
        matching = sa.select(sa.column("rowid")).select_from(sa.table(FTS_TABLE))
        return Passage.__table__.c.id.in_(
            matching.where(sa.text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=fts5_query(terms)))
        )
    condition = f"passage.{PG_COLUMN} @@ to_tsquery('{PG_CONFIG}', :ts_query)"
    return sa.text(condition).bindparams(ts_query=tsquery(terms))


def is_search_index(name: str | None) -> bool:
    """Whether a table, column or index is part of the full-text index (migration-made, outside
    the models: the schema comparison leaves it alone)."""
    return bool(name) and (name in (PG_INDEX, PG_COLUMN, FTS_TABLE) or name.startswith(FTS_TABLE + "_"))
