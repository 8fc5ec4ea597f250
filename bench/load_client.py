"""The load generator of bench/annotate_load.py: simulated annotators, each a thread with its
own keep-alive connection, that ask for the next passage and submit labels for it, recording
each request's latency and every acknowledged label."""

import http.client
import json
import math
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Result:
    seconds: float = 0.0
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # endpoint -> [ms]
    acknowledged: list = field(default_factory=list)  # (username, passage_id, labels, wall time)
    errors: int = 0
    error_samples: list = field(default_factory=list)
    timed_out: bool = False

    @property
    def labels(self) -> int:
        return len(self.acknowledged)

    def percentile(self, endpoint: str, q: int) -> float:
        values = sorted(self.latencies[endpoint])
        if not values:
            return float("nan")
        return values[max(0, math.ceil(q / 100 * len(values)) - 1)]  # nearest rank


LABEL_CHOICES = [
    {"claim_type": "no_claim"},
    {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"},
    {"claim_type": "opinion", "stance": "favor", "verifiability": "unverifiable"},
    {"claim_type": "event", "stance": "neutral", "verifiability": "partly_verifiable"},
]


def run_load(
    port: int,
    world,
    max_seconds: float,
    think: float,
    per_annotator: int | None = None,
    tolerate_errors: bool = False,
    stop: threading.Event | None = None,
) -> Result:
    """Run the annotators until each is done, the time is up or `stop` is set."""
    result, lock = Result(), threading.Lock()
    deadline = time.perf_counter() + max_seconds
    start = threading.Barrier(len(world.tokens) + 1)
    stop = stop or threading.Event()
    ports = [port] if isinstance(port, int) else port  # several: the annotators spread over them
    threads = [
        threading.Thread(
            target=_annotate,
            args=(
                ports[number % len(ports)],
                world,
                name,
                token,
                result,
                lock,
                deadline,
                think,
                per_annotator,
                tolerate_errors,
                start,
                stop,
            ),
            daemon=True,
        )
        for number, (name, token) in enumerate(world.tokens.items())
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    result.timed_out = time.perf_counter() >= deadline
    return result


def _annotate(
    port, world, name, token, result, lock, deadline, think, per_annotator, tolerate_errors, start, stop
) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rng = random.Random(name)
    client = _Client(port)
    done = 0
    start.wait()
    if think:  # people do not all press a key in the same millisecond: arrivals spread over one think time
        time.sleep(rng.uniform(0, think))
    while time.perf_counter() < deadline and not stop.is_set() and (per_annotator is None or done < per_annotator):
        status, body, elapsed = client.request("GET", f"/api/projects/{world.project_id}/next", headers)
        if status == 204:
            _record(result, lock, "next", elapsed)
            break
        if status != 200:
            _fail(result, lock, f"next {status} {body[:200]!r}", tolerate_errors)
            time.sleep(0.2)
            continue
        _record(result, lock, "next", elapsed)
        passage_id = json.loads(body)["passage_id"]
        if think:
            time.sleep(min(rng.expovariate(1 / think), 10 * think))
        labels = rng.choice(LABEL_CHOICES)
        payload = json.dumps({"labels": labels, "note": "", "unsure": False})
        status, body, elapsed = client.request("POST", f"/api/passages/{passage_id}/annotations", headers, payload)
        if status in (200, 201):
            _record(result, lock, "submit", elapsed, (name, passage_id, labels, time.time()))
            done += 1
        else:
            _fail(result, lock, f"submit {status} {body[:200]!r}", tolerate_errors)
            time.sleep(0.2)


class _Client:
    """One keep-alive connection, reopened after a failure."""

    def __init__(self, port: int):
        self.port, self.connection = port, None

    def request(self, method: str, path: str, headers: dict, body: str | None = None):
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            return response.status, data, (time.perf_counter() - started) * 1000
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            return 0, repr(error).encode(), (time.perf_counter() - started) * 1000


def _record(result: Result, lock, endpoint: str, elapsed: float, acknowledged=None) -> None:
    with lock:
        result.latencies[endpoint].append(elapsed)
        if acknowledged:
            result.acknowledged.append(acknowledged)


def _fail(result: Result, lock, message: str, tolerate: bool) -> None:
    with lock:
        result.errors += 1
        if len(result.error_samples) < 5:
            result.error_samples.append(message)
