"""Several server processes on one listening socket, made before they fork (pre-forking).

The kernel hands each new connection to whichever process accepts first. The parent only
watches: Ctrl+C (SIGINT to the terminal's whole process group) or a SIGTERM sent to the
parent stops every child, and a child that dies takes the others down with it, so that the
service never runs on fewer processes than asked without anyone noticing."""

import os
import signal
from collections.abc import Callable


def serve_in_processes(count: int, serve: Callable[[], None]) -> None:
    """Fork `count` children, each running `serve()`; return once all have ended."""
    children = [_fork(serve) for _ in range(count)]
    stop = lambda signum, frame: _stop(children)  # noqa: E731
    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        _wait_for(children)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _fork(serve: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        signal.signal(signal.SIGTERM, _interrupt)
        serve()
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001  (a child never returns into the parent's code)
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        os._exit(status)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop(children: list[int]) -> None:
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def _wait_for(children: list[int]) -> None:
    alive = set(children)
    while alive:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            return
        except InterruptedError:
            continue
        if pid in alive:
            alive.discard(pid)
            _stop(list(alive))  # one gone: all go
