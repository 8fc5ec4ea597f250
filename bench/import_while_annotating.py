"""Imports never stop annotation: 20 annotators label through the API of a real `annotator
serve` while 20 MB of documents go in, once through `annotator import-docs` (another process)
and once as a browser upload (a background job of the server itself).

    python bench/import_while_annotating.py [--database sqlite|postgresql] [--annotators 20]
                                            [--megabytes 20] [--think 1] [--baseline-seconds 30]

The input is generated, alike on every run: English news-like documents in JSON Lines and two
long Chinese text files (4.6 and 2.4 MB, the upload of issue 11), the rest English, 20 MB in
all. Three phases against the same server and project, each printing labels, errors and
p50/p95/p99 of `next` and submit:

  baseline      the annotators alone, for --baseline-seconds
  import-docs   the annotators while `annotator import-docs` loads the input into another project
  upload        the annotators while the same input, uploaded in one request by an admin, is
                imported by the server's background job (into a third project)

Then, in this process, the same input is imported once more through the importer with a clock
on each batch's writes and commit (SQLite: how long the write lock is held, which is how long
an annotator's submit may wait for it), and the database is checked: every acknowledged label
stored as sent, no (passage, annotator) pair twice, no passage over k.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annotate_load import Server, prepare, report, verify  # noqa: E402
from bench_setup import ANNOTATOR  # noqa: E402
from load_client import run_load  # noqa: E402

ADMIN_PASSWORD = "tangerine harbour violin"
CHINESE_MEGABYTES = (4.6, 2.4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--passages", type=int, default=20_000, help="passages of the project being annotated")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds an annotator reads before submitting")
    parser.add_argument("--baseline-seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, database {args.database}, {args.annotators} "
        f"annotators, think {args.think} s, {args.megabytes:g} MB imported"
    )
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        world = prepare(args, scratch, args.passages)
        files = write_input(scratch / "input", args.megabytes)
        for project in ("From the command line", "From the browser"):
            subprocess.run([ANNOTATOR, "create-project", project], env=world.env, check=True, capture_output=True)
        subprocess.run(
            [ANNOTATOR, "create-user", "chief", "--role", "admin", "--password-stdin"],
            env=world.env,
            check=True,
            capture_output=True,
            input=ADMIN_PASSWORD + "\n",
            text=True,
        )
        results = []
        with Server(world, args.threads) as server:
            results.append(
                ("annotators alone (baseline)", run_load(server.port, world, args.baseline_seconds, args.think))
            )
            results.append(while_running(server, world, args, lambda: import_docs(world, files)))
            results.append(while_running(server, world, args, lambda: upload(server.port, world, files)))
        report(results)
        verify(world, merged([result for _, result in results]), expect_complete=False)
        write_lock_hold(world, files)


def while_running(server, world, args, importing) -> tuple[str, object]:
    """The annotators' figures while `importing()` runs (it returns a description of itself)."""
    stop, described = threading.Event(), {}

    def run_import() -> None:
        try:
            described["label"] = importing()
        finally:
            stop.set()

    thread = threading.Thread(target=run_import)
    thread.start()
    result = run_load(server.port, world, 3600, args.think, stop=stop)
    thread.join()
    return described["label"], result


def import_docs(world, files: list[Path]) -> str:
    started = time.perf_counter()
    subprocess.run(
        [ANNOTATOR, "import-docs", "From the command line", *map(str, files)],
        env=world.env,
        check=True,
        capture_output=True,
    )
    return f"during import-docs ({time.perf_counter() - started:.0f} s)"


def upload(port: int, world, files: list[Path]) -> str:
    """Sign in as the admin, upload every file in one request, follow the job's page to its end."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    base = f"http://127.0.0.1:{port}"
    token = _csrf(opener, f"{base}/auth/login")
    opener.open(
        f"{base}/auth/login",
        urllib.parse.urlencode({"csrf_token": token, "username": "chief", "password": ADMIN_PASSWORD}).encode(),
    ).read()
    project_id = _project_id(world, "From the browser")
    form = f"{base}/admin/projects/{project_id}/documents"
    body, content_type = _multipart({"csrf_token": _csrf(opener, form), "format": "auto"}, files)
    started = time.perf_counter()
    answer = opener.open(urllib.request.Request(form, data=body, headers={"Content-Type": content_type}))
    answered = time.perf_counter() - started
    job_page = answer.geturl()
    answer.read()
    while "every 1s" in (page := opener.open(job_page).read().decode()):
        time.sleep(1)
    summary = re.search(r'role="status">([^<]*)</p>', page)
    print(
        f"upload: answered in {answered:.2f} s (a redirect to {job_page.removeprefix(base)}), job done after "
        f"{time.perf_counter() - started:.0f} s: {summary.group(1) if summary else page[-300:]}"
    )
    return f"during an upload's job ({time.perf_counter() - started:.0f} s)"


def _csrf(opener, url: str) -> str:
    page = opener.open(url).read().decode()
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _project_id(world, name: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(world.url)
    with engine.connect() as connection:
        project_id = connection.execute(sa.text("SELECT id FROM project WHERE name = :name"), {"name": name}).scalar()
    engine.dispose()
    return project_id


def _multipart(fields: dict, files: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for path in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + path.read_bytes()
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def merged(results):
    from load_client import Result

    whole = Result()
    for result in results:
        whole.acknowledged += result.acknowledged
    return whole


# --- the input ---------------------------------------------------------------------------


def write_input(folder: Path, megabytes: float) -> list[Path]:
    """Two Chinese text files (one document each) and English JSON Lines for the rest."""
    folder.mkdir()
    rng = random.Random(11)
    files = []
    for number, size in enumerate(CHINESE_MEGABYTES, 1):
        path = folder / f"chinese-{number}.txt"
        path.write_text(_chinese(rng, int(size * 1e6 * min(1, megabytes / 20))), encoding="utf-8")
        files.append(path)
    rest = int(megabytes * 1e6) - sum(path.stat().st_size for path in files)
    path = folder / "news.jsonl"
    with path.open("w") as out:
        written, document = 0, 0
        while written < rest:
            line = (
                json.dumps({"id": f"news-{document}", "title": f"Report {document}", "text": _english(rng, document)})
                + "\n"
            )
            out.write(line)
            written, document = written + len(line), document + 1
    return files + [path]


COMMON_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
    "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
    "必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信"
    "马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
    "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存"
    "候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)


def _chinese(rng: random.Random, size: int) -> str:
    """Paragraphs of 2-6 sentences of common characters, sentences ending in 。, each paragraph
    numbered so that none repeats."""
    paragraphs, written, number = [], 0, 0
    while written < size:
        sentences = [
            "".join(rng.choice(COMMON_HANZI) for _ in range(rng.randint(12, 40))) + "。"
            for _ in range(rng.randint(2, 6))
        ]
        paragraph = f"第{number}段：" + "".join(sentences)
        paragraphs.append(paragraph)
        written += len(paragraph.encode()) + 2
        number += 1
    return "\n\n".join(paragraphs)


WORDS = (
    "council budget cycle lanes district report spending transport committee residents survey increase "
    "decrease harbour ferry station school hospital road bridge tax levy grant agency minister plan"
).split()


def _english(rng: random.Random, document: int) -> str:
    paragraphs = []
    for paragraph in range(rng.randint(3, 12)):
        sentences = [
            f"In report {document}, section {paragraph}, the "
            + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
            + f" rose by {rng.randint(1, 99)} percent."
            for _ in range(rng.randint(2, 5))
        ]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


# --- how long one batch holds the write lock ---------------------------------------------------


def write_lock_hold(world, files: list[Path]) -> None:
    """Import the input again, in this process, into a fourth project, timing each batch from
    its first write to its commit: the time the write lock (SQLite) is held."""
    os.environ.update({key: world.env[key] for key in ("ANNOTATOR_DATABASE_URL", "ANNOTATOR_SECRET_KEY")})
    from annotator import create_app
    from annotator.administration.projects import create_project
    from annotator.extensions import db
    from annotator.importing import service
    from annotator.importing.readers import ReadOptions

    app = create_app()
    holds, writing = [], {}
    store = service._store_batch

    def timed_store(*arguments):
        writing["since"] = time.perf_counter()
        return store(*arguments)

    service._store_batch = timed_store
    with app.app_context():
        project = create_project(db.session, "Timed")
        db.session.commit()
        settings = service.ImportSettings(read=ReadOptions(20 * 1024 * 1024))
        for _ in service.import_batches(db.session, project, files, settings):
            db.session.commit()
            holds.append((time.perf_counter() - writing.pop("since")) * 1000)
        db.engine.dispose()
    holds.sort()
    p99 = holds[max(0, int(0.99 * len(holds)) - 1)]
    print(
        f"\nwrite lock per batch (first write to commit), {len(holds)} batches: median "
        f"{holds[len(holds) // 2]:.0f} ms, "
        f"p99 {p99:.0f} ms, longest {holds[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
