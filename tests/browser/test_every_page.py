"""Every page a user can reach, as each role would see it, in real Chromium: no serious or
critical accessibility violation (axe-core), and nothing scrolls sideways on a 1366 px screen
or a 390 px phone."""

import pytest

from tests.browser.accessibility import axe_violations
from tests.browser.test_annotation_journeys import press
from tests.browser.test_review_journey import project  # noqa: F401  (imported labels, a reviewer)

pytestmark = pytest.mark.browser

SIZES = {"screen": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def pages_of(project, role: str) -> list[str]:
    passage = project.passages[1].id  # labelled by three annotators: in the review queue
    reviewer = [
        f"/projects/{project.id}",
        f"/projects/{project.id}/review",
        f"/projects/{project.id}/review/{passage}",
        f"/projects/{project.id}/agreement",
        f"/projects/{project.id}/exports",
        f"/projects/{project.id}/documents",
        f"/projects/{project.id}/passages?q=the&status=complete",
        f"/projects/{project.id}/documents/{project.passages[1].document_id}/passages",
        f"/projects/{project.id}/passages/{passage}/discussion",
    ]
    return {
        "annotator": ["/", "/account", f"/projects/{project.id}/annotate", f"/projects/{project.id}/feedback"],
        "reviewer": ["/", *reviewer],
        "admin": [
            "/admin/users",
            "/admin/projects/new",
            f"/admin/projects/{project.id}/edit",
            f"/admin/projects/{project.id}/documents",
            f"/admin/projects/{project.id}/members",
            f"/curation/passages/{passage}/split",
            f"/curation/projects/{project.id}/delete",
            *reviewer,
        ],
    }[role]


def problems_on(page, where: str) -> list[str]:
    problems = [f"{where}: {line}" for line in axe_violations(page)]
    overflow = page.evaluate(SIDEWAYS)
    if overflow > 0:
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                         && !e.closest('.table-scroll, dialog:not([open])'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
        problems.append(f"{where}: scrolls {overflow} px sideways ({', '.join(wide)})")
    return problems


@pytest.mark.parametrize("size", SIZES)
def test_every_page_is_accessible_and_never_scrolls_sideways(
    open_browser, project, make_user, browser, server_url, size
):
    make_user("root", "admin")
    problems = []
    for role, username in (("annotator", "ada"), ("reviewer", "rev"), ("admin", "root")):
        page = open_browser(username)
        page.set_viewport_size(SIZES[size])
        for path in pages_of(project, role):
            assert page.goto(path).ok, path
            problems += problems_on(page, f"{role} {path}")
            if path.endswith("/annotate"):
                press(page, "2")  # every field showing
                problems += problems_on(page, f"{role} {path} with a claim chosen")
                for key, dialog in (("d", "#document-dialog"), ("g", "#guidelines-dialog"), ("?", "#keys-dialog")):
                    press(page, key)
                    page.locator(dialog).wait_for()
                    if key == "d":
                        page.locator(f"{dialog} .marked").wait_for()
                    problems += problems_on(page, f"{role} {path} {dialog}")
                    press(page, "Escape")
                press(page, "s")
                problems += problems_on(page, f"{role} {path} skip form")
    context = browser.new_context(base_url=server_url, viewport=SIZES[size])
    signed_out = context.new_page()
    signed_out.goto("/auth/login")
    problems += problems_on(signed_out, "signed out /auth/login")
    context.close()
    assert not problems, "\n".join(problems)
