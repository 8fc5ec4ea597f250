"""Browser tests: Debian's Chromium driven by Playwright, against the application served by
waitress (the server `annotator serve` runs) on a free loopback port."""

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ANNOTATOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server_url(app):
    """The app on a real multi-threaded WSGI server; returns its base URL."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="annotator-test")
    closing = threading.Event()

    def serve():
        try:
            server.run()
        except OSError:  # its select() was given the socket close() just shut (EBADF): the end, not a fault
            if not closing.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    closing.set()
    server.close()
    thread.join(timeout=5)


# Every Content-Security-Policy violation on a page of the application is reported to the test
# (an inline style or script, an eval, an image or a request to another host), from the first
# script a page runs: the listener is installed before the page's own scripts.
_REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({page: event.documentURI, directive: event.effectiveDirective,
                             blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber,
                             sample: event.sample});
}, true);"""


class CspViolations:
    """The Content-Security-Policy violations the application's pages reported in a journey."""

    def __init__(self):
        self.reported: list[dict] = []
        self.on_purpose: set[str] = set()

    def blocking(self, address: str) -> list[dict]:
        """The violations that blocked `address`, which a test provokes on purpose: from now on
        they are expected (also when the page is opened again), not failures."""
        self.on_purpose.add(address)
        return [violation for violation in self.reported if violation["blocked"] == address]

    def unexpected(self) -> list[dict]:
        return [violation for violation in self.reported if violation["blocked"] not in self.on_purpose]


@pytest.fixture
def csp_violations():
    return CspViolations()


@pytest.fixture
def open_browser(browser, server_url, csp_violations):
    """A fresh browser (own cookies) signed in as `username`; returns its page. Every page a
    journey opened is checked with axe-core afterwards: each page as the journey left it, and
    every address it went to, opened again (see tests/browser/accessibility.py). No page may
    break the Content-Security-Policy, during the journey or when opened again."""
    from tests.browser.accessibility import axe_violations

    contexts, visited = [], {}

    def report(source, violation):
        if violation["page"].startswith(server_url):
            csp_violations.reported.append(violation)

    def open_as(username, password=None):
        from tests.conftest import PASSWORD

        context = browser.new_context(base_url=server_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.expose_binding("reportCspViolation", report)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "framenavigated",
            lambda frame: (
                visited.setdefault(context, set()).add(frame.url.split("#")[0])
                if frame.parent_frame is None and frame.url.startswith(server_url)
                else None
            ),
        )
        page.goto("/auth/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password or PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server_url}/")
        return page

    yield open_as
    problems = []
    for context in contexts:
        for page in context.pages:
            problems += [f"{page.url} as left: {line}" for line in _violations_if_html(page, axe_violations)]
        again = context.new_page()
        for url in sorted(visited.get(context, ())):
            if (response := again.goto(url)) is not None and response.ok:
                problems += [f"{url}: {line}" for line in _violations_if_html(again, axe_violations)]
        context.close()
    assert not problems, "axe-core found accessibility violations:\n" + "\n".join(problems)
    unexpected = csp_violations.unexpected()
    assert not unexpected, "pages broke the Content-Security-Policy:\n" + "\n".join(map(str, unexpected))


def _violations_if_html(page, axe_violations) -> list[str]:
    if page.is_closed() or not page.evaluate("() => document.contentType === 'text/html'"):
        return []
    return axe_violations(page)


@pytest.fixture
def screenshot_to():
    """Where screenshots go: ANNOTATOR_SCREENSHOT_DIR (docs/ for the README) or nowhere."""
    folder = os.environ.get("ANNOTATOR_SCREENSHOT_DIR")

    def save(page, name, full_page=True):
        if folder:
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=full_page)

    return save
