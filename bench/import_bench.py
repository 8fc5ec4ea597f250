"""Import benchmark: annotator's import against a bare baseline, measured in the same run.

    python bench/import_bench.py CORPUS... [--copies K] [--workers N]

Each measurement runs in a fresh child process with a fresh SQLite database, so that peak RSS
is that of the import alone. The baseline reads the same files, splits on blank lines and
inserts the documents and the same number of passage rows with sqlite3's executemany (same
pragmas: WAL, synchronous=FULL). annotator's side is the real import service: decoding,
splitting (paragraphs, hyphenation, sentence packing, boilerplate, repeats), duplicate lookup
across documents and the inserts. `--copies K` imports K distinct copies of the corpus (each
document's id and first line changed) to show that memory does not grow with corpus size.
`--database-url postgresql+psycopg://...` runs annotator's side on PostgreSQL (that database is
emptied and migrated for each run); the baseline stays sqlite3.
"""

import argparse
import csv
import json
import multiprocessing
import os
import re
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_setup import empty_import_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="+", type=Path)
    parser.add_argument("--text-column", default="articleBody")
    parser.add_argument("--id-column", default="Body ID")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument(
        "--database-url", help="annotator's database (PostgreSQL: emptied and migrated for each run); default SQLite"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        files = make_copies(args.corpus, args.copies, Path(scratch), args.id_column, args.text_column)
        size = sum(path.stat().st_size for path in files)
        print(
            f"corpus: {len(files)} files, {size / 1e6:.1f} MB ({args.copies} cop{'y' if args.copies == 1 else 'ies'}), "
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
        )
        baseline = best_of(args.repeat, "baseline", files, args, scratch)
        ours = {
            workers: best_of(args.repeat, "annotator", files, args, scratch, workers)
            for workers in sorted({1, args.workers})
        }
    print()
    print(f"{'':28} {'seconds':>8} {'MB/s':>7} {'passages/s':>11} {'passages':>9} {'peak RSS MB':>12} {'CPU s':>6}")
    report("bare baseline", baseline, size)
    for workers, result in ours.items():
        report(f"annotator, {workers} worker{'s' if workers > 1 else ''}", result, size)
        print(
            f"{'':28} {result['seconds'] / baseline['seconds']:.2f}x the baseline's time, "
            f"{result['cpu'] / baseline['cpu']:.2f}x its CPU time"
        )


def report(label: str, result: dict, size: int) -> None:
    print(
        f"{label:28} {result['seconds']:8.2f} {size / 1e6 / result['seconds']:7.2f} "
        f"{result['passages'] / result['seconds']:11.0f} {result['passages']:9d} {result['peak_rss_mb']:12.0f} "
        f"{result['cpu']:6.2f}"
    )


def make_copies(corpus: list[Path], copies: int, scratch: Path, id_column: str, text_column: str) -> list[Path]:
    if copies == 1:
        return corpus
    files = []
    for copy in range(copies):
        for path in corpus:
            target = scratch / f"copy{copy}-{path.name}"
            if path.suffix == ".csv":
                _copy_csv(path, target, copy, id_column, text_column)
            else:
                target.write_text(f"Copy {copy}.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
            files.append(target)
    return files


def _copy_csv(source: Path, target: Path, copy: int, id_column: str, text_column: str) -> None:
    csv.field_size_limit(1 << 30)
    with (
        open(source, encoding="utf-8", newline="") as infile,
        open(target, "w", encoding="utf-8", newline="") as outfile,
    ):
        reader = csv.DictReader(infile)
        writer = csv.DictWriter(outfile, reader.fieldnames)
        writer.writeheader()
        for row in reader:
            row[id_column] = f"{row[id_column]}-{copy}"
            row[text_column] = f"Copy {copy}.\n\n{row[text_column]}"
            writer.writerow(row)


def best_of(repeat: int, *arguments) -> dict:
    """The fastest of `repeat` runs (timings on a shared machine only ever err slow); peak
    RSS is the largest seen."""
    runs = [measure(*arguments) for _ in range(repeat)]
    fastest = min(runs, key=lambda run: run["seconds"])
    return {**fastest, "peak_rss_mb": max(run["peak_rss_mb"] for run in runs), "cpu": min(run["cpu"] for run in runs)}


def measure(kind: str, files: list[Path], args, scratch: str, workers: int = 1) -> dict:
    """Run one measurement in a fresh process; return its figures."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    database = Path(tempfile.mkdtemp(dir=scratch)) / "bench.sqlite3"
    target = run_baseline if kind == "baseline" else run_annotator
    if kind != "baseline" and args.database_url:
        database = args.database_url
    process = context.Process(
        target=_child, args=(target, queue, files, args.text_column, args.id_column, database, workers)
    )
    process.start()
    result = queue.get()
    process.join()
    return result


def _child(target, queue, *arguments) -> None:
    result = target(*arguments)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["peak_rss_mb"] = max(own, workers)
    queue.put(result)


def run_baseline(files, text_column, id_column, database, workers) -> dict:
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE document (id INTEGER PRIMARY KEY, external_id TEXT, raw_text TEXT)")
    connection.execute(
        'CREATE TABLE passage (id INTEGER PRIMARY KEY, document_id INTEGER, "index" INTEGER, start INTEGER, '
        '"end" INTEGER, text TEXT)'
    )
    passages = 0
    started, cpu = time.perf_counter(), _cpu()
    for number, (external_id, text) in enumerate(_documents(files, text_column, id_column)):
        connection.execute("INSERT INTO document VALUES (?, ?, ?)", (number, external_id, text))
        rows = [
            (number, index, 0, 0, piece)
            for index, piece in enumerate(p for p in re.split(r"\n\s*\n", text) if p.strip())
        ]
        connection.executemany(
            'INSERT INTO passage (document_id, "index", start, "end", text) VALUES (?, ?, ?, ?, ?)', rows
        )
        passages += len(rows)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return {"seconds": seconds, "passages": passages, "cpu": _cpu() - cpu}


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (splitting workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _documents(files, text_column, id_column):
    for path in files:
        if path.suffix == ".csv":
            csv.field_size_limit(1 << 30)
            with open(path, encoding="utf-8", newline="") as stream:
                for row in csv.DictReader(stream):
                    yield row[id_column], row[text_column]
        elif path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as stream:
                for line in stream:
                    record = json.loads(line)
                    yield str(record["id"]), record["text"]
        else:
            yield path.stem, path.read_text(encoding="utf-8")


def run_annotator(files, text_column, id_column, database, workers) -> dict:
    from annotator.extensions import db
    from annotator.importing.readers import ReadOptions
    from annotator.importing.service import ImportSettings, import_paths

    url = database if isinstance(database, str) else f"sqlite:///{database}"
    with empty_import_project(url) as project:
        settings = ImportSettings(read=ReadOptions(20 * 1024 * 1024, text_column, id_column), workers=workers)
        passages = rejected = 0
        started, cpu = time.perf_counter(), _cpu()
        for count, outcome in enumerate(import_paths(db.session, project, files, settings), start=1):
            passages += outcome.passages
            rejected += outcome.status == "rejected"
            if count % 500 == 0:
                db.session.commit()
        db.session.commit()
        seconds = time.perf_counter() - started
        cpu = _cpu() - cpu
    if rejected:
        print(f"warning: {rejected} documents rejected", file=sys.stderr)
    return {"seconds": seconds, "passages": passages, "cpu": cpu}


if __name__ == "__main__":
    main()
