"""An admin corrects a project in real Chromium while an annotator works in it: searches the
passages, excludes a sign-up box the splitter kept, merges the two halves of a sentence the
splitter had to cut, withdraws a document; the annotator's next passages follow at once, the
label she gave in the withdrawn document stays, and she can open none of the admin's pages."""

import re

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.curation.models import Correction
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from tests.browser.test_annotation_journeys import shown_passage, submit_and_wait

pytestmark = pytest.mark.browser

CITY_DESK = """\
City desk: the night the tram stopped

The tram line along the river stopped for four hours on Tuesday after a power cable failed near the depot.

Drivers said the backup generator had not been tested since the spring timetable began.
"""

# One sentence longer than a passage may be (600 characters): the splitter has to cut it.
LONG_SENTENCE = (
    "The chief engineer told the council that the corrosion in the main cables had been reported three times "
    "since 2019, that each report had asked for a full inspection of the anchorages on both banks, that the "
    "inspections had been postponed twice for lack of money and once because the contractor went bankrupt, "
    "that the temporary weight limit of twelve tonnes had never been enforced by the police, and that the "
    "inspectors who finally climbed the north tower in March found broken wires in eleven of the forty "
    "strands, which is why she closed the bridge to all traffic on the morning of the sixth without waiting "
    "for the mayor to sign the order."
)
BRIDGE_REPORT = f"""\
Bridge closed after years of warnings

The Harbour Bridge will stay closed to all traffic until the end of the year, the city said on Friday.

Sign up for our newsletter and get the stories that matter delivered to your inbox every single morning.

{LONG_SENTENCE}

The mayor said the city would publish every inspection report since 2015 by the end of the month.
"""


@pytest.fixture
def project(make_project, make_user, add_member, write_file, import_texts):
    make_user("root", "admin")
    make_user("ada")
    project = make_project("Harbour news", target="The city neglects its infrastructure", overlap_k=1)
    add_member(project, "ada")
    import_texts(project, [write_file("a-city-desk.txt", CITY_DESK), write_file("b-bridge.txt", BRIDGE_REPORT)])
    return project


def passage_with(project, words: str) -> Passage:
    return db.session.scalars(
        sa.select(Passage).where(Passage.project_id == project.id, Passage.text.contains(words))
    ).one()


def search(page, words: str):
    page.get_by_label("Words").fill(words)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(rf"q={words}"))
    row = page.locator("#passage-results .passage-row").filter(has_text=words)
    row.wait_for()
    return row


def test_an_admin_corrects_the_project_and_the_annotators_next_passages_follow(open_browser, project):
    city_desk = db.session.scalar(sa.select(Document).where(Document.external_id == "a-city-desk"))
    ada = open_browser("ada")
    ada.goto(f"/projects/{project.id}/annotate")
    ada.wait_for_selector("#workspace[data-passage-id]")
    first = shown_passage(ada)
    assert db.session.get(Passage, first).document_id == city_desk.id  # reading order: the city desk first
    submit_and_wait(ada, "0")
    held_now = shown_passage(ada)  # the city desk's next passage: ada holds it while the admin works

    sign_up = passage_with(project, "Sign up for our newsletter")
    assert sign_up.annotatable  # the splitter kept it: an annotator would get it
    cut_halves = db.session.scalars(
        sa.select(Passage)
        .where(Passage.project_id == project.id, Passage.start >= BRIDGE_REPORT.index("The chief"))
        .order_by(Passage.start)
    ).all()[:2]
    assert "corrosion" in cut_halves[0].text and "corrosion" not in cut_halves[1].text

    admin = open_browser("root")
    admin.goto(f"/projects/{project.id}")
    admin.get_by_role("link", name="Search passages").click()
    row = search(admin, "newsletter")
    row.get_by_text("Correct…").click()
    row.get_by_label("Why exclude it").fill("a sign-up box, not article text")
    row.get_by_role("button", name="Exclude").click()
    admin.wait_for_url(re.compile(r"q=newsletter"))
    assert "excluded: it is no longer handed out" in admin.get_by_role("status").first.inner_text()
    assert "excluded" in admin.locator("#passage-results .passage-row").filter(has_text="newsletter").inner_text()

    row = search(admin, "corrosion")
    row.get_by_text("Correct…").click()
    row.get_by_role("button", name="Merge with the next passage").click()
    admin.wait_for_url(re.compile(r"q=corrosion"))
    merged = admin.locator("#passage-results .passage-row").filter(has_text="corrosion")
    assert merged.count() == 1 and "without waiting for the mayor to sign the order" in merged.inner_text()

    admin.get_by_role("link", name="Documents").click()
    admin.get_by_role("link", name=re.compile("the night the tram stopped")).click()
    admin.get_by_text("Correct the document…").click()
    admin.get_by_label("Why withdraw it").fill("imported into the wrong project")
    admin.get_by_role("button", name="Withdraw").click()
    assert "withdrawn: its passages are no longer handed out" in admin.get_by_role("status").first.inner_text()
    assert admin.locator("dt:has-text('Withdrawn')").is_visible()

    # ada's label in the city desk stays on its page, and nothing more is offered for the passage.
    labelled = admin.locator(f"#p{first}")
    labelled.get_by_text("Correct…").click()
    assert "ada" in labelled.inner_text() and "Its document was withdrawn." in labelled.inner_text()

    db.session.expire_all()
    actions = db.session.scalars(sa.select(Correction.action).order_by(Correction.id)).all()
    assert actions == ["exclude", "merge", "withdraw"]
    whole_sentence = passage_with(project, "corrosion")
    assert whole_sentence.text.endswith("sign the order.") and whole_sentence.annotatable

    # ada's next passages: the bridge report only, the sign-up box never, the sentence whole, once.
    ada.reload()
    ada.wait_for_selector("#workspace")
    seen = []
    while ada.locator("#workspace[data-passage-id]").count():
        seen.append(shown_passage(ada))
        submit_and_wait(ada, "0")
    ada.get_by_text("Nothing left for you in this project").wait_for()
    texts = [db.session.get(Passage, passage_id).text for passage_id in seen]
    assert held_now not in seen
    assert all(db.session.get(Passage, passage_id).document_id != city_desk.id for passage_id in seen)
    assert not any("newsletter" in text for text in texts)
    assert sum("corrosion" in text for text in texts) == 1 and whole_sentence.id in seen
    assert db.session.scalar(sa.select(sa.func.count()).where(Annotation.passage_id == first)) == 1  # kept

    for address in (
        f"/projects/{project.id}/passages?q=corrosion",
        f"/projects/{project.id}/documents",
        f"/projects/{project.id}/documents/{city_desk.id}/passages",
        f"/api/projects/{project.id}/passages",
    ):
        response = ada.goto(address)
        assert response.status == 403, address
