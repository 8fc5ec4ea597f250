"""Whole-document view (key D) benchmark: the answer for a passage in the middle of a document
of 42,000 passages beside the same answer for a document of 100 passages (the baseline), in
the same run: time per request (best of N through the application's test client, signed in as
an annotator) and bytes sent. The view sends a window around the passage, so neither may grow
with the document.

    python bench/document_view_bench.py [--database sqlite|postgresql] [--passages 42000] [--repeat 20]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agreement_bench import arguments  # noqa: E402
from bench_setup import ANNOTATOR, fresh_database, run  # noqa: E402

BENCH_DATABASE = "annotator_document_view_bench"
PASSWORD = "a long bench password 7"


def main() -> None:
    args = arguments(__doc__, passages=42_000, repeat=20)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        url = fresh_database(args.database, scratch, BENCH_DATABASE)
        env = {**os.environ, "ANNOTATOR_DATABASE_URL": url, "ANNOTATOR_SECRET_KEY": "bench"}
        for name, passages in (("short", 100), ("long", args.passages)):
            path = scratch / f"{name}.txt"
            path.write_text(
                "\n\n".join(
                    f"Paragraph {n} of the {name} document says that the council spent {n} pounds."
                    for n in range(passages)
                )
            )
            if name == "short":
                run([ANNOTATOR, "init-db"], env)
                run([ANNOTATOR, "create-project", "Bench"], env)
                _create_user(env)
                run([ANNOTATOR, "add-member", "Bench", "ada", "--role", "annotator"], env)
            run([ANNOTATOR, "import-docs", "Bench", str(path)], env)
        measure(url, args.repeat, args.database, args.passages)


def _create_user(env: dict) -> None:
    import subprocess

    subprocess.run(
        [ANNOTATOR, "create-user", "ada", "--role", "annotator", "--password-stdin"],
        env=env,
        check=True,
        input=PASSWORD + "\n",
        text=True,
        stdout=subprocess.DEVNULL,
    )


def measure(url: str, repeat: int, database: str, passages: int) -> None:
    import re

    import sqlalchemy as sa

    from annotator import create_app
    from annotator.documents.models import Document, Passage
    from annotator.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/auth/login", data={"csrf_token": token, "username": "ada", "password": PASSWORD})
        print(f"{os.cpu_count()} cores, database {database}; best of {repeat} requests")
        results = {}
        for external_id in ("short", "long"):
            document = db.session.scalar(sa.select(Document).where(Document.external_id == external_id))
            count = db.session.scalar(sa.select(sa.func.count()).where(Passage.document_id == document.id))
            middle = db.session.scalar(
                sa.select(Passage.id).where(Passage.document_id == document.id, Passage.index == count // 2)
            )
            db.session.rollback()
            url_path = f"/projects/{document.project_id}/documents/{document.id}?passage={middle}"
            best, size = float("inf"), 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url_path)
                body = response.get_data()
                best = min(best, time.perf_counter() - started)
                size = len(body)
            results[external_id] = (count, best, size)
            print(f"  {external_id:5} document: {count:>7,} passages  {best * 1000:7.2f} ms  {size:>9,} bytes")
        (short_n, short_t, short_b), (long_n, long_t, long_b) = results["short"], results["long"]
        print(
            f"  the {long_n:,}-passage document costs {long_t / short_t:.2f}x the time and "
            f"{long_b / short_b:.2f}x the bytes "
            f"of the {short_n}-passage one"
        )


if __name__ == "__main__":
    main()
