import pytest
from tests.browser.test_annotation_journeys import press, project, shown_passage  # noqa: F401
pytestmark = pytest.mark.browser
def test_dbg(open_browser, project):
    page = open_browser("ada")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/projects/{project.id}/annotate")
    press(page, "2")
    page.screenshot(path="/tmp/t/wide.png")
    print(page.evaluate("document.querySelector('button.primary').getBoundingClientRect().bottom"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/t/phone.png", full_page=True)
    print(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
