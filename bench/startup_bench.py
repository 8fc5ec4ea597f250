"""Start-up (issue 16): how long the command line takes before it does anything, beside the time
Python takes to import Flask, SQLAlchemy and the extensions annotator uses (annotator/extensions.py,
and click), measured in the same run; and the server's start to its first answer and first label.

    PYTHONPATH=$PWD .venv/bin/python bench/startup_bench.py [--runs 7] [--database sqlite|postgresql]
        [--before DIR]

Each run starts a fresh interpreter: the bare imports; `annotator --help`; `annotator import-docs
--help`; a light command (`annotator edit-project` with nothing to change, on a database with a
project and 200 passages: it reads the project and says nothing changed); and `annotator serve`,
timed from its start to its first answer (GET /auth/login), then an annotator's first label through
the API (GET next, POST the labels: the first of a process, which pays for anything loaded on
first use) and a second one, then, signed in through the login form, a first and second label
through the pages (GET the annotate page, POST its form as htmx does: the first renders each
template for the first time). The runs of every measurement alternate, so that a change in the
machine's load falls on all of them. Medians of `--runs`, and each as a multiple of the bare
imports' median.

`--before DIR`: also run every annotator measurement with the code in DIR (another checkout, e.g.
`git worktree add /tmp/before main`), in the same rounds, for a before/after on one machine state.
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotate_load import _free_port, prepare  # noqa: E402
from bench_setup import ANNOTATOR  # noqa: E402

BARE_IMPORTS = "import click, flask, flask_htmx, flask_login, flask_migrate, flask_sqlalchemy, flask_wtf, sqlalchemy"
LABELS = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
PASSWORD = "a long enough password"  # annotate_load's annotators'
COMMANDS = {
    "annotator --help": ["--help"],
    "annotator import-docs --help": ["import-docs", "--help"],
    "annotator edit-project (light)": ["edit-project", "Load"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with, run in the same rounds")
    args = parser.parse_args()
    args.k, args.annotators = 1, 1
    print(f"load average at start: {_load()}")
    with tempfile.TemporaryDirectory(prefix="startup_bench_") as scratch:
        world = prepare(args, Path(scratch), passages=200)
        variants = {"after": os.environ.get("PYTHONPATH", "")}
        if args.before:
            variants = {"before": str(args.before.resolve()), **variants}
        times = _measure(world, variants, args.runs)
    print(f"load average at end: {_load()}\n")
    _report(times, variants, args.runs)


def _measure(world, variants: dict, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for round_number in range(runs):
        _add(times, "bare imports", _seconds([sys.executable, "-c", BARE_IMPORTS], world.env))
        order = list(variants.items())
        if round_number % 2:  # neither goes first every time (after the other's server stops)
            order.reverse()
        for variant, path in order:
            env = {**world.env, "PYTHONPATH": path}
            for name, arguments in COMMANDS.items():
                _add(times, f"{name} [{variant}]", _seconds([ANNOTATOR, *arguments], env))
            for name, seconds in _serve(world, env).items():
                _add(times, f"{name} [{variant}]", seconds)
    return times


def _add(times: dict, name: str, seconds: float) -> None:
    times.setdefault(name, []).append(seconds)


def _seconds(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _serve(world, env: dict) -> dict[str, float]:
    """Start the server, time its first answer and an annotator's first and second label, stop it."""
    port = _free_port()
    command = [ANNOTATOR, "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status = _first_answer(port, started)
        first_answer = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"GET /auth/login answered {status}")
        username, token = next(iter(world.tokens.items()))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        first = _label(connection, world.project_id, token)
        second = _label(connection, world.project_id, token)
        connection.close()
        browser = _signed_in(port, username)
        first_page = _label_on_the_page(browser, port, world.project_id)
        second_page = _label_on_the_page(browser, port, world.project_id)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "serve: start to first answer": first_answer,
        "serve: first label, API (next + submit)": first,
        "serve: second label, API": second,
        "serve: first label, pages (page + submit)": first_page,
        "serve: second label, pages": second_page,
    }


def _first_answer(port: int, started: float, timeout: float = 60) -> int:
    while time.perf_counter() - started < timeout:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/auth/login")
            status = connection.getresponse().status
            connection.close()
            return status
        except ConnectionRefusedError:
            time.sleep(0.01)
    raise RuntimeError(f"the server did not answer on {port} within {timeout} s")


def _label(connection: http.client.HTTPConnection, project_id: int, token: str) -> float:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request("GET", f"/api/projects/{project_id}/next", headers=headers)
    response = connection.getresponse()
    passage = json.loads(response.read())["passage_id"]
    body = json.dumps({"labels": LABELS, "note": "", "unsure": False})
    connection.request("POST", f"/api/passages/{passage}/annotations", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status not in (200, 201):
        raise RuntimeError(f"the label was answered {response.status}")
    return time.perf_counter() - started


def _signed_in(port: int, username: str) -> urllib.request.OpenerDirector:
    """A browser-like client (cookies, redirects followed) signed in through the login form."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(f"http://127.0.0.1:{port}/auth/login", timeout=60).read().decode()
    form = {"csrf_token": _csrf_token(page), "username": username, "password": PASSWORD}
    browser.open(f"http://127.0.0.1:{port}/auth/login", urllib.parse.urlencode(form).encode(), timeout=60).read()
    return browser


def _label_on_the_page(browser: urllib.request.OpenerDirector, port: int, project_id: int) -> float:
    """Open the annotate page and submit its passage's labels as htmx does (the next passage
    comes back as a fragment)."""
    started = time.perf_counter()
    page = browser.open(f"http://127.0.0.1:{port}/projects/{project_id}/annotate", timeout=60).read().decode()
    passage = re.search(r'data-passage-id="(\d+)"', page).group(1)
    form = {"csrf_token": _csrf_token(page), **{f"label-{key}": value for key, value in LABELS.items()}}
    submit = urllib.request.Request(
        f"http://127.0.0.1:{port}/projects/{project_id}/passages/{passage}/labels",
        data=urllib.parse.urlencode(form).encode(),
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    browser.open(submit, timeout=60).read()
    return time.perf_counter() - started


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    return match.group(1) or match.group(2)


SERVER_FIGURES = (
    "serve: start to first answer",
    "serve: first label, API (next + submit)",
    "serve: second label, API",
    "serve: first label, pages (page + submit)",
    "serve: second label, pages",
)


def _report(times: dict, variants: dict, runs: int) -> None:
    bare = statistics.median(times["bare imports"])
    print(f"median of {runs} runs; x: against the bare imports ({BARE_IMPORTS.removeprefix('import ')})")
    print(f"{'':54} {'median':>9} {'x bare':>7}")
    print(f"{'bare imports':54} {1000 * bare:7.0f} ms {1:7.2f}")
    for name in [*COMMANDS, *SERVER_FIGURES]:
        for variant in variants:
            median = statistics.median(times[f"{name} [{variant}]"])
            print(f"{f'{name} [{variant}]':54} {1000 * median:7.0f} ms {median / bare:7.2f}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
