"""How the importer starts child processes (splitting workers, HTML extraction)."""

import threading
from multiprocessing import get_context

# What a fork server loads once, so that every child forked from it starts ready.
FORKSERVER_PRELOAD = ["annotator.importing.split_worker", "annotator.importing.html"]


def worker_context():
    """Fork from this process when it runs a single thread: children start at once, already
    warmed, and only ever run pure code (they never touch the inherited database
    connections and leave through os._exit). With other threads about (a web server),
    forking is unsafe: children then come from a fork server that preloads the importer's
    child code."""
    import annotator.importing.split_worker  # noqa: F401  (warm the splitter before forking)

    if threading.active_count() == 1:
        return get_context("fork")
    context = get_context("forkserver")
    context.set_forkserver_preload(FORKSERVER_PRELOAD)
    return context
