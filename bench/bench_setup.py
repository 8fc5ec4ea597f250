"""What the benchmarks share: the `annotator` command beside this Python, running it quietly,
and a fresh database of either kind for a run."""

import subprocess
import sys
from pathlib import Path

ANNOTATOR = str(Path(sys.executable).parent / "annotator")
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def run(command: list[str], env: dict, show_errors: bool = False) -> None:
    """Run a command to completion (raising if it fails), its output discarded."""
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=None if show_errors else subprocess.DEVNULL
    )


def fresh_database(kind: str, scratch: Path, name: str) -> str:
    """The URL of an empty database: a SQLite file `name`.sqlite3 in `scratch`, or the
    PostgreSQL database `name`, dropped and created again."""
    if kind == "sqlite":
        return f"sqlite:///{scratch / f'{name}.sqlite3'}"
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
