"""Short-passage import benchmark: many already-split passages against a bare insert, same run.

    python bench/import_short_bench.py [--documents 10000] [--repeat 3] [--database-url URL]

The input is a JSON Lines file of `--documents` lines, {"id": ..., "text": ...}, each text a
passage of about 300 characters (sentences of words drawn from a fixed list with a fixed seed,
so every run imports the same file); annotator keeps a text under its passage limit as one
passage, so each document is imported as one passage, as a pre-split corpus is. Three figures:

- **bare baseline**: `json.loads` of each line and `sqlite3` executemany into two tables
  (documents, passages), each with a unique index, in one transaction (WAL, synchronous=FULL,
  as annotator's SQLite connections);
- **in process**: annotator's import service (`import_batches`, committed after each batch as
  the command does) into a fresh migrated database, start-up excluded, splitting in this
  process (1w) and in `--workers` processes (the command's default for an input over 2 MB);
  SQLite by default, or the database `--database-url` names (PostgreSQL: it is emptied and
  migrated again);
- **command**: `annotator import-docs` as a subprocess on a fresh SQLite database made by
  `annotator init-db` and `annotator create-project`, start-up included;
- **already split**: the in-process and command runs again with the already-split option
  (`ImportSettings(already_split=True)`, `import-docs --already-split`): each document taken
  whole as its passage, nothing split, no worker processes.

Each run is the fastest of `--repeat`; a timing on a shared machine only ever errs slow.
"""

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_setup import ANNOTATOR, empty_import_project, run  # noqa: E402

WORDS = (
    "the minister said on tuesday that the government would raise taxes on fuel by ten percent "
    "next year while unemployment fell to its lowest level since records began according to "
    "figures published by the national statistics office which also reported that inflation "
    "rose faster than wages in most regions of the country during the last quarter"
).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument("--database-url", help="database for the in-process figure (default: a fresh SQLite file)")
    parser.add_argument(
        "--workers", type=int, default=min(os.cpu_count() or 1, 4), help="splitting processes, as the command's default"
    )
    parser.add_argument("--no-command", action="store_true", help="skip the subprocess run of import-docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "passages.jsonl"
        write_passages(source, args.documents)
        size = source.stat().st_size
        print(
            f"{args.documents:,} passages, {size / 1e6:.2f} MB of JSON Lines; {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
        )
        results = {"bare baseline": best_of(args.repeat, lambda: bare_baseline(source, Path(scratch)))}
        kind = "SQLite" if not args.database_url else args.database_url.split(":")[0].split("+")[0]
        for workers in sorted({1, args.workers}):
            results[f"in process, {kind}, {workers}w"] = best_of(
                args.repeat, lambda workers=workers: in_process(source, Path(scratch), args.database_url, workers)
            )
        results[f"in process, {kind}, whole"] = best_of(
            args.repeat, lambda: in_process(source, Path(scratch), args.database_url, 1, already_split=True)
        )
        if not args.no_command:
            results["command (SQLite)"] = best_of(args.repeat, lambda: command(source, Path(scratch)))
            results["command, --already-split"] = best_of(
                args.repeat, lambda: command(source, Path(scratch), already_split=True)
            )
    baseline = results["bare baseline"]
    print(f"\n{'':26} {'seconds':>8} {'passages/s':>11} {'x baseline':>11} {'CPU s':>7} {'x baseline':>11}")
    for label, (seconds, cpu) in results.items():
        print(
            f"{label:26} {seconds:8.3f} {args.documents / seconds:11.0f} {seconds / baseline[0]:10.1f}x "
            f"{cpu:7.3f} {cpu / baseline[1]:10.1f}x"
        )
    print("CPU: of the measured process and the children it waited for (in process, 2w: its own only)")
    print("whole, --already-split: each document taken whole as its one passage, nothing split")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def write_passages(path: Path, count: int) -> None:
    """`count` lines of {"id", "text"}, each text about 300 characters of sentences."""
    chooser = random.Random(16)
    with open(path, "w", encoding="utf-8") as stream:
        for number in range(count):
            sentences = []
            while sum(len(sentence) + 1 for sentence in sentences) < 280:
                words = chooser.choices(WORDS, k=chooser.randint(8, 18))
                sentences.append(" ".join(words).capitalize() + ".")
            text = f"Claim {number}: " + " ".join(sentences)
            stream.write(json.dumps({"id": f"p{number}", "text": text}) + "\n")


def best_of(repeat: int, measure) -> tuple[float, float]:
    """The fastest run's (wall seconds, CPU seconds)."""
    return min(measure() for _ in range(repeat))


def bare_baseline(source: Path, scratch: Path) -> tuple[float, float]:
    """json and sqlite3: two tables with a unique index each, one transaction."""
    database = Path(tempfile.mkdtemp(dir=scratch)) / "bare.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, external_id TEXT, raw_text TEXT)")
    connection.execute("CREATE UNIQUE INDEX documents_external_id ON documents (external_id)")
    connection.execute("CREATE TABLE passages (id INTEGER PRIMARY KEY, document_id INTEGER, text TEXT)")
    connection.execute("CREATE UNIQUE INDEX passages_document ON passages (document_id)")
    started, cpu = time.perf_counter(), time.process_time()
    with open(source, encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    connection.executemany(
        "INSERT INTO documents VALUES (?, ?, ?)",
        [(number, record["id"], record["text"]) for number, record in enumerate(records)],
    )
    connection.executemany(
        "INSERT INTO passages (document_id, text) VALUES (?, ?)",
        [(number, record["text"]) for number, record in enumerate(records)],
    )
    connection.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return seconds, cpu


def in_process(
    source: Path, scratch: Path, database_url: str | None, workers: int, already_split: bool = False
) -> tuple[float, float]:
    """annotator's import service in a fresh child process, timed from the first document read
    to the last commit (the app, migrations and the project made before the clock starts)."""
    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp(dir=scratch)) / 'annotator.sqlite3'}"
    child = subprocess.run(
        [sys.executable, __file__, "--child", url, str(source), str(workers), "whole" if already_split else "split"],
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(child.stderr)
    seconds, cpu = child.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(cpu)


def _child(url: str, source: Path, workers: int, already_split: bool) -> None:
    from annotator.extensions import db
    from annotator.importing.readers import ReadOptions
    from annotator.importing.service import ImportSettings, import_batches

    with empty_import_project(url) as project:
        settings = ImportSettings(read=ReadOptions(20 * 1024 * 1024), workers=workers, already_split=already_split)
        imported = 0
        started, cpu = time.perf_counter(), time.process_time()
        for batch in import_batches(db.session, project, [source], settings):
            db.session.commit()
            imported += sum(outcome.status == "imported" for outcome in batch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if imported == 0:
        raise SystemExit("nothing imported")
    print(seconds, cpu)


def command(source: Path, scratch: Path, already_split: bool = False) -> tuple[float, float]:
    """`annotator import-docs` on a fresh SQLite database, start-up included."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(dir=scratch)) / 'command.sqlite3'}"
    env = {**os.environ, "ANNOTATOR_DATABASE_URL": url, "ANNOTATOR_SECRET_KEY": "bench"}
    run([ANNOTATOR, "init-db"], env)
    run([ANNOTATOR, "create-project", "Bench"], env)
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    option = ["--already-split"] if already_split else []
    run([ANNOTATOR, "import-docs", "Bench", str(source), *option], env, show_errors=True)
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "whole")
    else:
        main()
