"""Export benchmark: a project with about 1,000,000 labels (imported through
`annotator import-annotations`), exported as `training` and `audit` by `annotator export` in a
child process each: lines/s and the child's peak RSS, beside a bare baseline in the same run
(a child with a plain driver cursor over the same rows, `json.dumps` per line, nothing else).

    python bench/export_bench.py [--database sqlite|postgresql] [--passages 120000] [--repeat 3]

`training` is measured twice: cold (no agreement figures kept, so the export fits Dawid-Skene
itself) and warm (the dashboard's figures kept, as after anyone looked at them)."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import agreement_bench as setup  # noqa: E402  (the same project and simulated annotators)

ANNOTATOR = setup.ANNOTATOR

# Runs a Python program and reports its peak RSS on exit: VmHWM, which starts afresh at exec
# (getrusage's maxrss would also count the forked copy of this benchmark's own process).
MEASURED = r"""
import atexit, runpy, sys


def report():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                sys.stderr.write("PEAK_RSS_KB " + line.split()[1] + "\n")


atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

BASELINE = r"""
import json, sys
url, kind, project_id, output = sys.argv[1:5]
queries = {
    "training": "SELECT p.id, d.external_id, p.\"index\", p.start, p.\"end\", p.text, a.user_id, a.labels, a.unsure "
                "FROM passage p JOIN document d ON d.id = p.document_id LEFT JOIN annotation a ON a.passage_id = p.id "
                "WHERE p.project_id = {0} ORDER BY p.document_id, p.\"index\", a.user_id",
    "audit": "SELECT e.id, e.kind, e.passage_id, e.user_id, e.actor_id, e.before, e.after, e.schema_version, "
             "e.guidelines_version, e.client_time, e.server_time, e.origin FROM annotation_event e "
             "WHERE e.project_id = {0} ORDER BY e.server_time, e.id",
}
if url.startswith("sqlite"):
    import sqlite3
    connection = sqlite3.connect(url.split("///", 1)[1])
    cursor = connection.execute(queries[kind].format(int(project_id)))
else:
    import psycopg
    connection = psycopg.connect(url.replace("+psycopg", ""))
    cursor = connection.cursor(name="bare")
    cursor.itersize = 5000
    cursor.execute(queries[kind].format(int(project_id)))
names = [column[0] for column in cursor.description]
count = 0
with open(output, "w") as out:
    for row in cursor:
        out.write(json.dumps(dict(zip(names, row)), default=str) + "\n")
        count += 1
print(count)
"""


def main() -> None:
    args = setup.arguments(__doc__, passages=120_000, repeat=3)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, database {args.database}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        url, env = setup.prepare(args, scratch)
        project_id = _project_id(url, env)
        (scratch / "bare.py").write_text(BASELINE)
        (scratch / "measured.py").write_text(MEASURED)
        results = []
        for kind in ("training", "audit"):
            results.append(
                (
                    f"bare baseline: {kind} rows",
                    best(
                        args.repeat,
                        lambda: _child(
                            [str(scratch / "bare.py"), url, kind, str(project_id), str(scratch / "bare.jsonl")],  # noqa: B023 (timed at once, in this iteration)
                            env,
                            scratch / "bare.jsonl",
                            scratch,
                        ),
                    ),
                )
            )
            if kind == "training":
                results.append(("annotator: training, cold (fits Dawid-Skene)", _export(args, env, scratch, kind)))
                setup.run([ANNOTATOR, "agreement", "Agreement", "--json"], env)  # as after a look at the dashboard
                results.append(("annotator: training, warm (figures kept)", _export(args, env, scratch, kind)))
            else:
                results.append(("annotator: audit", _export(args, env, scratch, kind)))
    report(results)


def _project_id(url: str, env: dict) -> int:
    app = setup._app(url, env)
    from annotator.administration.projects import find_project
    from annotator.extensions import db

    with app.app_context():
        return find_project(db.session, "Agreement").id


def _export(args, env: dict, scratch: Path, kind: str) -> dict:
    output = scratch / f"{kind}.jsonl"
    return best(
        args.repeat if kind != "training" else 1,
        lambda: _child([ANNOTATOR, "export", "Agreement", "--kind", kind, "-o", str(output)], env, output, scratch),
    )


def _child(command: list[str], env: dict, output: Path, scratch: Path) -> dict:
    """Run a Python program in a child; its wall time, its own peak RSS and the lines it wrote."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, str(scratch / "measured.py"), *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed: {finished.stderr.decode()[-2000:]}")
    peak = [int(line.split()[1]) for line in finished.stderr.decode().splitlines() if line.startswith("PEAK_RSS_KB")]
    with output.open("rb") as lines:
        count = sum(1 for _ in lines)
    return {"seconds": seconds, "lines": count, "peak_rss_mb": peak[-1] / 1024}


def best(repeat: int, measure) -> dict:
    return min((measure() for _ in range(max(repeat, 1))), key=lambda result: result["seconds"])


def report(results: list[tuple[str, dict]]) -> None:
    print()
    print(f"{'':48} {'lines':>9} {'seconds':>8} {'lines/s':>9} {'peak RSS MB':>12}")
    baseline = None
    for label, result in results:
        rate = result["lines"] / result["seconds"]
        note = ""
        if label.startswith("bare"):
            baseline = result
        elif baseline is not None:
            note = f"   {result['seconds'] / baseline['seconds']:.2f}x the baseline's time"
        print(
            f"{label:48} {result['lines']:9,d} {result['seconds']:8.2f} {rate:9,.0f} "
            f"{result['peak_rss_mb']:12.0f}{note}"
        )


if __name__ == "__main__":
    main()
