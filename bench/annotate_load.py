"""Annotation load benchmark: N simulated annotators label a project of P passages through the
JSON API of a real `annotator serve`, on loopback.

    python bench/annotate_load.py [--database sqlite|postgresql] [--annotators 50] [--passages 20000]
                                  [--k 3] [--think 0] [--max-seconds 600] [--processes 1] [--scaling] [--kill]
                                  [--gold-every 20]
                                  [--adaptive K_MIN K_MAX THRESHOLD [--alternate ROUNDS]]

Each annotator loops GET /api/projects/ID/next, then POST /api/passages/ID/annotations, until
`next` answers 204 (the project is done for them) or the time is up. The run prints labels/s
and p50/p95/p99 latency per endpoint, beside a baseline measured in the same run with the same
load generator: a bare WSGI application on the same server (waitress) and database that, per
request, reads one passage by primary key (for `next`) or inserts one row and commits (for a
submit): what the server and the database cost before annotator does anything.

Then it checks the database: every annotatable passage has exactly min(k, N) labels (when the
run finished the project), no (passage, annotator) pair twice, and every acknowledged submit
stored with the labels sent.

--scaling: p99 of `next` with a project of 2,000 passages and of 200,000, each annotator
taking a bounded number of passages, to show no per-request cost grows with the project.
--kill: SIGKILL the server in the middle of a run, restart it, finish, and show that every
label acknowledged before the kill is there.
--processes N: `annotator serve --processes N` (N server processes on one port; the baseline
runs as many waitress processes of the bare application alike).
--think S: each annotator reads for an exponentially distributed S seconds on average before
submitting (a human pace); 0 is a saturation test.
--gold-every N: gold checks mixed in at 1 in N (annotator.quality): the last 500 passages are
imported as gold; an answer on a check is acknowledged like a label and checked in gold_answer.
--adaptive K_MIN K_MAX THRESHOLD: the project's overlap is adaptive instead of a fixed k (the
check then replays the product's rule, Overlap.one_more, on each passage's labels in the order
they were stored); with --alternate ROUNDS, ROUNDS pairs of runs, a fixed --k then the adaptive
overlap, each on a fresh project, one after the other, so that both meet the same machine.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_setup import ANNOTATOR, fresh_database, run  # noqa: E402
from load_client import Result, run_load  # noqa: E402

BENCH_DATABASE = os.environ.get("ANNOTATOR_BENCH_DATABASE", "annotator_bench")  # several runs side by side: one each
PARAGRAPHS_PER_DOCUMENT = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds an annotator reads before submitting")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--threads", type=int, default=8, help="server threads (per process)")
    parser.add_argument("--processes", type=int, default=1, help="server processes (annotator serve --processes)")
    parser.add_argument(
        "--gold-every", type=int, default=0, help="mix gold checks in at 1 in N (500 gold passages; 0: none)"
    )
    parser.add_argument("--scaling", action="store_true", help="compare next's p99 at 2,000 and 200,000 passages")
    parser.add_argument("--per-annotator", type=int, default=40, help="labels per annotator in --scaling runs")
    parser.add_argument(
        "--kill", action="store_true", help="SIGKILL the server mid-run and check nothing acknowledged is lost"
    )
    parser.add_argument(
        "--adaptive",
        nargs=3,
        type=float,
        metavar=("K_MIN", "K_MAX", "THRESHOLD"),
        help="adaptive overlap instead of the fixed --k",
    )
    parser.add_argument(
        "--alternate", type=int, default=0, metavar="ROUNDS", help="with --adaptive: fixed and adaptive runs in turn"
    )
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, database {args.database}, "
        f"{args.annotators} annotators, k = {args.k}, server {args.processes} processes of {args.threads} threads, "
        f"think {args.think} s"
    )
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if args.alternate:
            alternate(args, scratch)
        elif args.scaling:
            scaling(args, scratch)
        elif args.kill:
            kill_run(args, scratch)
        else:
            full_run(args, scratch)


# --- scenarios -----------------------------------------------------------------------------


def full_run(args, scratch: Path) -> None:
    """Label the whole project (or until the time is up), then check every label."""
    world = prepare(args, scratch, args.passages, _overlap(args) if args.adaptive else None)
    baseline = measure_baseline(args, world, scratch)
    with Server(world, args.threads, processes=args.processes) as server:
        result = run_load(server.port, world, args.max_seconds, args.think)
    report([("bare baseline (WSGI + 1 query)", baseline), ("annotator", result)])
    verify(world, result, expect_complete=not result.timed_out)


def alternate(args, scratch: Path) -> None:
    """A fixed k and the adaptive overlap in turn, each on a fresh project of the same passages
    for the same time, with the machine's load average before each run (other work shares it)."""
    results = []
    for round_ in range(args.alternate):
        for overlap in (None, _overlap(args)):
            world = prepare(args, scratch / f"{round_}-{overlap is not None}", args.passages, overlap)
            if not results:
                results.append(("bare baseline (WSGI + 1 query)", measure_baseline(args, world, scratch)))
            load = os.getloadavg()[0]
            with Server(world, args.threads, processes=args.processes) as server:
                result = run_load(server.port, world, args.max_seconds, args.think)
            name = f"fixed k={args.k}" if overlap is None else "adaptive k={}..{}, below {:g}".format(*overlap)
            results.append((f"{name} (load {load:.1f})", result))
            verify(world, result, expect_complete=not result.timed_out)
    report(results)


def _overlap(args) -> tuple[int, int, float]:
    k_min, k_max, threshold = args.adaptive
    return int(k_min), int(k_max), threshold


def scaling(args, scratch: Path) -> None:
    """The same bounded work against a small and a large project."""
    results = []
    for passages in (2_000, 200_000):
        world = prepare(args, scratch / str(passages), passages)
        with Server(world, args.threads, processes=args.processes) as server:
            result = run_load(server.port, world, args.max_seconds, args.think, per_annotator=args.per_annotator)
        verify(world, result, expect_complete=False)
        results.append((f"annotator, P = {passages:,}", result))
    report(results)
    small, large = (r.percentile("next", 99) for _, r in results)
    print(
        f"\np99 of next: {small:.1f} ms at P = 2,000, {large:.1f} ms at P = 200,000: {large / small:.2f}x "
        "(target at most 1.5x)"
    )


def kill_run(args, scratch: Path) -> None:
    """SIGKILL the server while annotators submit, restart it, and finish the run."""
    world = prepare(args, scratch, args.passages)
    server = Server(world, args.threads, processes=args.processes).start()
    killer = threading.Thread(target=_kill_and_restart, args=(server,), daemon=True)
    killer.start()
    result = run_load(server.port, world, args.max_seconds, args.think, tolerate_errors=True)
    killer.join()
    server.stop()
    print(
        f"\nserver killed with SIGKILL after {server.killed_after:.1f} s, restarted in {server.restart_seconds:.1f} s; "
        f"{result.errors} requests failed while it was down (not acknowledged, retried)"
    )
    report([("annotator (killed once)", result)])
    verify(world, result, expect_complete=not result.timed_out, acknowledged_before=server.killed_at)


def _kill_and_restart(server: "Server") -> None:
    time.sleep(8)
    server.kill_and_restart()


# --- the world: a database with a project, documents, annotators and their tokens -----------


@dataclass
class World:
    url: str
    env: dict
    project_id: int
    tokens: dict  # username -> token
    passages: int
    k: int
    annotators: int
    overlap: tuple[int, int, float] | None = None  # adaptive: k-min, k-max, threshold (k is then k-max)


def prepare(args, scratch: Path, passages: int, overlap: tuple[int, int, float] | None = None) -> World:
    scratch.mkdir(parents=True, exist_ok=True)
    url = fresh_database(args.database, scratch, BENCH_DATABASE)
    env = {**os.environ, "ANNOTATOR_DATABASE_URL": url, "ANNOTATOR_SECRET_KEY": "bench"}
    run([ANNOTATOR, "init-db"], env, show_errors=True)
    overlap_options = (
        ["--overlap", str(args.k)]
        if overlap is None
        else ["--k-min", str(overlap[0]), "--k-max", str(overlap[1]), "--agreement-threshold", str(overlap[2])]
    )
    run(
        [ANNOTATOR, "create-project", "Load", "--target", "Cities should build bike lanes", *overlap_options],
        env,
        show_errors=True,
    )
    started = time.perf_counter()
    run([ANNOTATOR, "import-docs", "Load", str(_documents(scratch, passages))], env, show_errors=True)
    print(f"prepared {passages:,} passages in {time.perf_counter() - started:.1f} s")
    if getattr(args, "gold_every", 0):
        _gold(args, scratch, passages, env)
    project_id, tokens = _annotators(env, args.annotators)
    k = args.k if overlap is None else overlap[1]
    return World(url, env, project_id, tokens, passages, k, args.annotators, overlap)


def _gold(args, scratch: Path, passages: int, env: dict) -> None:
    """Gold checks at 1 in `gold_every`: the last 500 passages' known answers (no claim)."""
    path = scratch / "gold.jsonl"
    documents = passages // PARAGRAPHS_PER_DOCUMENT
    with path.open("w") as out:
        for number in range(500):
            document, index = documents - 1 - number // PARAGRAPHS_PER_DOCUMENT, number % PARAGRAPHS_PER_DOCUMENT
            out.write(json.dumps({"document_id": f"d{document}", "index": index, "labels": {"claim_type": "no_claim"}}))
            out.write("\n")
    run([ANNOTATOR, "edit-project", "Load", "--gold-every", str(args.gold_every)], env, show_errors=True)
    run([ANNOTATOR, "import-annotations", "Load", str(path), "--gold"], env, show_errors=True)


def _documents(scratch: Path, passages: int) -> Path:
    """JSON Lines documents of ten distinct, ordinary paragraphs each."""
    path = scratch / "documents.jsonl"
    with path.open("w") as out:
        for document in range(passages // PARAGRAPHS_PER_DOCUMENT):
            paragraphs = [
                f"Report {document}, section {p}: the council says it spent {document * 31 + p * 7} thousand "
                f"pounds on cycle lanes in district {p}, and it expects {p + 2} more next year."
                for p in range(PARAGRAPHS_PER_DOCUMENT)
            ]
            out.write(json.dumps({"id": f"d{document}", "text": "\n\n".join(paragraphs)}) + "\n")
    return path


def _annotators(env: dict, count: int) -> tuple[int, dict]:
    """Create the annotators, their memberships and tokens through the services (scrypt
    hashing through the CLI one at a time would take longer than the run)."""
    os.environ.update({key: env[key] for key in ("ANNOTATOR_DATABASE_URL", "ANNOTATOR_SECRET_KEY")})
    from annotator import create_app
    from annotator.administration.projects import add_member, find_project
    from annotator.extensions import db
    from annotator.users.services import create_user
    from annotator.users.tokens import create_token

    app = create_app()
    tokens = {}
    with app.app_context():
        project = find_project(db.session, "Load")
        for number in range(count):
            user = create_user(db.session, f"annotator{number:03d}", "a long enough password", "annotator")
            add_member(db.session, project, user.username, "annotator")
            tokens[user.username] = create_token(db.session, user, "load")[1]
        db.session.commit()
        project_id = project.id
        db.engine.dispose()
    return project_id, tokens


# --- the server ----------------------------------------------------------------------------


class Server:
    """`annotator serve` in a child process on a free loopback port."""

    def __init__(self, world: World, threads: int, command: list[str] | None = None, processes: int = 1):
        self.world, self.threads, self.port = world, threads, _free_port()
        self.command = command or [
            ANNOTATOR,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--threads",
            str(threads),
            "--processes",
            str(processes),
        ]
        self.process = None
        self.killed_at = self.killed_after = self.restart_seconds = None

    def start(self) -> "Server":
        log = open(
            Path(tempfile.gettempdir()) / f"annotate_load_server_{self.port}.log", "ab"
        )  # never a pipe: a full one blocks the server
        # A session of its own: SIGKILL reaches every server process, as a machine losing power would.
        self.process = subprocess.Popen(
            self.command, env=self.world.env, stdout=log, stderr=log, start_new_session=True
        )
        _wait_for_port(self.port)
        self.started_at = time.perf_counter()
        return self

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def kill_and_restart(self) -> None:
        self.killed_at = time.time()
        self.killed_after = time.perf_counter() - self.started_at
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        restarting = time.perf_counter()
        self.start()
        self.restart_seconds = time.perf_counter() - restarting

    __enter__ = start

    def __exit__(self, *exc) -> None:
        self.stop()


class BareServers(Server):
    """The bare application in as many waitress processes as annotator runs, one port each
    (a bare application has no pre-forking of its own); clients are spread over them."""

    def __init__(self, world: World, threads: int, command: list[str], processes: int):
        super().__init__(world, threads, command)
        self.count, self.servers = processes, []

    def start(self) -> "BareServers":
        if self.count == 1:
            return super().start()
        for _ in range(self.count):
            port = _free_port()
            command = [
                part if not part.startswith("--listen=") else f"--listen=127.0.0.1:{port}" for part in self.command
            ]
            server = Server(self.world, self.threads, command)
            server.port = port
            self.servers.append(server.start())
        self.port = [server.port for server in self.servers]
        return self

    def stop(self) -> None:
        if self.count == 1:
            return super().stop()
        for server in self.servers:
            server.stop()

    __enter__ = start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port}")


# --- the baseline --------------------------------------------------------------------------

BASELINE_APP = r"""
import json, os, random, sqlite3, threading
URL = os.environ["BASELINE_DATABASE"]
local = threading.local()

def connection():
    if not hasattr(local, "db"):
        if URL.startswith("sqlite"):
            local.db = sqlite3.connect(URL.split("///", 1)[1], timeout=30, check_same_thread=False)
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000"):
                local.db.execute("PRAGMA " + pragma)
        else:
            import psycopg
            local.db = psycopg.connect(URL.replace("+psycopg", ""))
    return local.db

def application(environ, start_response):
    db = connection()
    if environ["REQUEST_METHOD"] == "GET":
        passage_id = random.randint(1, int(os.environ["BASELINE_PASSAGES"]))
        row = db.execute("SELECT id, text FROM passage WHERE id = %s" % passage_id).fetchone()
        db.commit()
        body = json.dumps({"passage_id": row[0], "text": row[1]}).encode()
    else:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        db.execute("INSERT INTO baseline_label (labels) VALUES ('{}')")
        db.commit()
        body = b"{}"
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
"""


def measure_baseline(args, world: World, scratch: Path) -> Result:
    """The same load against the bare application; its labels are thrown away."""
    import sqlalchemy as sa

    engine = sa.create_engine(world.url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE baseline_label (id INTEGER PRIMARY KEY, labels TEXT)"
                if engine.dialect.name == "sqlite"
                else "CREATE TABLE baseline_label (id SERIAL PRIMARY KEY, labels TEXT)"
            )
        )
        passages = connection.execute(sa.text("SELECT max(id) FROM passage")).scalar()
    (scratch / "baseline_app.py").write_text(BASELINE_APP)
    world_env = {
        **world.env,
        "BASELINE_DATABASE": world.url,
        "BASELINE_PASSAGES": str(passages),
        "PYTHONPATH": str(scratch),
    }
    baseline_world = World(
        world.url, world_env, world.project_id, world.tokens, world.passages, world.k, world.annotators
    )
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        f"--threads={args.threads}",
        "baseline_app:application",
    ]
    server = BareServers(baseline_world, args.threads, command, args.processes)
    server.port = port
    labels_needed = world.passages * min(world.k, world.annotators)
    per_annotator = max(1, min(labels_needed // world.annotators, 200))
    with server:
        result = run_load(
            server.port, baseline_world, min(args.max_seconds, 60), args.think, per_annotator=per_annotator
        )
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE baseline_label"))
    engine.dispose()
    return result


# --- report and checks ---------------------------------------------------------------------


def report(results: list[tuple[str, Result]]) -> None:
    print()
    print(
        f"{'':42} {'labels':>8} {'labels/s':>9} {'errors':>7}   {'next p50/p95/p99 ms':>22}   "
        f"{'submit p50/p95/p99 ms':>22}"
    )
    for label, result in results:
        columns = []
        for endpoint in ("next", "submit"):
            columns.append("/".join(f"{result.percentile(endpoint, q):.1f}" for q in (50, 95, 99)))
        rate = result.labels / result.seconds if result.seconds else 0
        print(f"{label:42} {result.labels:8d} {rate:9.1f} {result.errors:7d}   {columns[0]:>22}   {columns[1]:>22}")
        for sample in result.error_samples:
            print(f"{'':42} error: {sample}")


def verify(world: World, result: Result, expect_complete: bool, acknowledged_before: float | None = None) -> None:
    """Every acknowledged label stored as sent; no pair twice; every passage with min(k, N)
    labels when the run finished the project."""
    import sqlalchemy as sa

    engine = sa.create_engine(world.url)
    with engine.connect() as connection:
        stored = {
            (user, passage): json.loads(labels) if isinstance(labels, str) else labels
            for user, passage, labels in connection.execute(
                sa.text(
                    "SELECT u.username, a.passage_id, a.labels FROM annotation a JOIN user_account u ON u.id "
                    "= a.user_id"
                )
            )
        }
        gold_answers = connection.execute(  # answers on gold checks (annotator.quality), never labels
            sa.text(
                "SELECT u.username, g.passage_id, a.labels FROM gold_answer a JOIN gold_passage g ON g.id = "
                "a.gold_passage_id JOIN user_account u ON u.id = a.user_id"
            )
        )
        stored.update(
            {
                (user, passage): json.loads(labels) if isinstance(labels, str) else labels
                for user, passage, labels in gold_answers
            }
        )
        pairs = connection.execute(
            sa.text("SELECT count(*), count(DISTINCT passage_id || '-' || user_id) FROM annotation")
        ).one()
        per_passage = dict(
            connection.execute(
                sa.text(
                    "SELECT p.id, count(a.id) FROM passage p LEFT JOIN annotation a ON a.passage_id = p.id "
                    "WHERE p.annotatable GROUP BY p.id"
                )
            ).all()
        )
        wanted = _labels_wanted(connection, world, per_passage)
    engine.dispose()
    lost = [
        (user, passage) for user, passage, labels, _ in result.acknowledged if stored.get((user, passage)) != labels
    ]
    over = [count for count in per_passage.values() if count > world.k]
    print(
        f"\nchecks: {len(result.acknowledged):,} acknowledged labels, {len(lost)} missing or different in "
        "the database; "
        f"{pairs[0] - pairs[1]} (passage, annotator) pairs twice; {len(over)} passages over k"
    )
    if acknowledged_before is not None:
        before = [a for a in result.acknowledged if a[3] < acknowledged_before]
        missing = [a for a in before if stored.get((a[0], a[1])) != a[2]]
        print(f"        {len(before):,} labels acknowledged before the kill: {len(missing)} missing after the restart")
    if expect_complete:
        wrong = {passage: count for passage, count in per_passage.items() if count != wanted[passage]}
        print(
            f"        {len(per_passage):,} annotatable passages, {len(wrong)} without exactly the labels they need "
            f"({'min(k, N)' if world.overlap is None else 'the adaptive rule replayed'}: "
            f"{sum(wanted.values()):,} labels)"
        )
    elif world.overlap is not None:
        overfilled = [passage for passage, count in per_passage.items() if count > wanted[passage]]
        print(f"        {len(overfilled)} passages with more labels than the adaptive rule replayed gives them")
    else:
        print("        (the run stopped before the project was done: passages were not all expected complete)")


def _labels_wanted(connection, world: World, per_passage: dict) -> dict[int, int]:
    """Per passage the labels it needs: min(k, N), or, for an adaptive overlap, what the
    product's rule gives it, replayed on its labels in the order they were stored (a passage
    with fewer labels than k-min, or whose rule asks for more than it has, wants more)."""
    if world.overlap is None:
        return dict.fromkeys(per_passage, min(world.k, world.annotators))
    import sqlalchemy as sa

    from annotator.assignment.overlap import Overlap
    from annotator.assignment.passage_agreement import label_set_agreements, lowest_agreement
    from annotator.schema import Schema

    definition = connection.execute(
        sa.text("SELECT definition FROM project_schema ORDER BY version DESC LIMIT 1")
    ).scalar()
    schema = Schema.parse(json.loads(definition) if isinstance(definition, str) else definition)
    label_sets: dict[int, list[dict]] = {passage: [] for passage in per_passage}
    for passage, labels in connection.execute(sa.text("SELECT passage_id, labels FROM annotation ORDER BY id")):
        label_sets[passage].append(json.loads(labels) if isinstance(labels, str) else labels)
    overlap = Overlap(*world.overlap)
    wanted = {}
    for passage, sets in label_sets.items():
        labels = overlap.k_min
        while len(sets) >= labels and overlap.one_more(
            labels, lowest_agreement(label_set_agreements(schema, sets[:labels]))
        ):
            labels += 1
        wanted[passage] = labels
    return wanted


if __name__ == "__main__":
    main()
