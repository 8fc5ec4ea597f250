"""What other sites get from the application's pages: no page in their frames (a signed-in page in
a hidden frame is how a click is stolen), no fetch of images they host when a page shows them
(a tracking pixel in the guidelines), and no Referer saying which page a link came from.

The other site is a second server on another port of the loopback address: another origin, but
the same site, so the browser sends the application's cookies along (as it would to a sibling
subdomain)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from annotator.administration.projects import ProjectChanges, update_project
from annotator.extensions import db
from tests.browser.test_annotation_journeys import press, project  # noqa: F401

pytestmark = pytest.mark.browser
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


class OtherSite:
    """A server on another port that frames a page of the application, serves a pixel and a
    page, and remembers every request it was sent with its Referer."""

    def __init__(self):
        self.requests: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append((urlsplit(self.path).path, self.headers.get("Referer")))
                path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
                if path == "/pixel.gif":
                    self._answer("image/gif", PIXEL)
                else:
                    frame = f'<iframe title="framed" src="{query["src"][0]}"></iframe>' if path == "/frame" else ""
                    self._answer(
                        "text/html",
                        (
                            f'<!doctype html><html lang="en"><title>Another site</title><main>'
                            f"<h1>Another site</h1>{frame}</main></html>"
                        ).encode(),
                    )

            def _answer(self, content_type, body):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def other_site():
    site = OtherSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
    thread.join(timeout=5)


def test_another_site_cannot_show_a_signed_in_admin_page_in_a_frame(open_browser, make_user, other_site, server_url):
    make_user("root", "admin")
    page = open_browser("root")
    assert (
        page.goto("/admin/users").ok and page.locator("h1").inner_text() == "Accounts"
    )  # signed in, as the frame would be

    page.goto(f"{other_site.url}/frame?src={server_url}/admin/users")
    framed = page.frame_locator("iframe[title=framed]")  # loaded, or refused, by the time the page has
    assert framed.locator("h1", has_text="Accounts").count() == 0
    assert framed.locator("table").count() == 0


def test_an_image_on_another_host_in_the_guidelines_is_never_fetched_and_links_out_send_no_referer(
    open_browser, project, other_site, csp_violations
):
    guidelines = f"![logo]({other_site.url}/pixel.gif)\n\nSources: [the council's report]({other_site.url}/report)."
    update_project(db.session, project, ProjectChanges(guidelines=guidelines))
    db.session.commit()
    page = open_browser("ada")
    page.goto(f"/projects/{project.id}/annotate")  # the guidelines are in the page, in their dialog
    page.wait_for_load_state("load")  # every image the page may fetch has been asked for
    assert "/pixel.gif" not in other_site.paths()
    refused = csp_violations.blocking(f"{other_site.url}/pixel.gif")
    assert refused and refused[0]["directive"] == "img-src"

    press(page, "g")
    page.get_by_role("link", name="the council's report").click()
    page.wait_for_url(f"{other_site.url}/report")
    assert ("/report", None) in other_site.requests  # the site's address does not go with the visitor
    assert "/pixel.gif" not in other_site.paths()
