"""The annotate screen, as the browser's requests see it: full page and htmx fragments,
choices kept on a refused submit, going back, skipping, the whole document, and blindness
to other annotators' labels. (The keyboard itself is tested in real Chromium: tests/browser.)"""

import re

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation, Skip
from annotator.extensions import db
from annotator.users.models import User
from tests.conftest import csrf_token_in

HTMX = {"HX-Request": "true", "HX-Target": "workspace"}
CLAIM = {"label-claim_type": "quantity", "label-stance": "against", "label-verifiability": "verifiable"}


@pytest.fixture
def project(runner, make_project, make_documents, make_user):
    project = make_project("Bike lanes", target="Cities should build protected bike lanes", overlap_k=2)
    project.passages = make_documents(project, count=2, paragraphs=4)
    for name in ("ada", "bob"):
        make_user(name)
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", "annotator"])
    return project


def current_passage_id(html: str) -> int:
    return int(re.search(r'data-passage-id="(\d+)"', html).group(1))


def submit(client, project, passage_id, form, headers=None):
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    return client.post(
        f"/projects/{project.id}/passages/{passage_id}/labels",
        data={"csrf_token": csrf_token_in(page), **form},
        headers=headers or {},
    )


def test_the_page_shows_the_passage_in_its_document_with_the_target_and_keys(client, login, project):
    login("ada")
    html = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    first, second, third = (p.text for p in project.passages[:3])
    assert re.search(r'class="current" dir="auto" id="current-passage">' + re.escape(first), html)
    assert f'<p class="context" dir="auto">{second}</p>' in html and third in html  # the passages after it
    assert "Cities should build protected bike lanes" in html
    assert 'data-key="2"' in html and "<kbd>2</kbd> Quantity" in html
    assert """data-show-if='{"field": "claim_type", "not_in": ["no_claim"]}'""" in html
    assert 'src="/static/js/annotate.js"' in html and "htmx.min.js" in html


def test_a_submit_through_htmx_swaps_in_the_next_passage_and_the_progress(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    response = submit(client, project, first, CLAIM, HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert current_passage_id(html) == project.passages[1].id
    assert re.search(r'id="progress"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'data-testid="my-labels">1<', html)
    assert {"HX-Request", "HX-Target"} <= {part.strip() for part in response.headers["Vary"].split(",")}
    stored = db.session.scalar(sa.select(Annotation))
    assert stored.labels == {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
    assert stored.seconds is not None


def test_without_htmx_a_submit_redirects_to_the_next_passage(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    response = submit(client, project, first, {"label-claim_type": "no_claim", "note": "a table of contents"})
    assert response.status_code == 303 and response.headers["Location"] == f"/projects/{project.id}/annotate"
    assert db.session.scalar(sa.select(Annotation.note)) == "a table of contents"


def test_a_refused_submit_keeps_the_choices_and_names_the_missing_field(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    response = submit(client, project, first, {"label-claim_type": "opinion", "note": "my careful note"}, HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not saved: Stance toward the target: choose a value. Your choices are still here." in html
    assert re.search(r'value="opinion"\s+data-key="1" checked', html)
    assert "my careful note</textarea>" in html
    assert current_passage_id(html) == first
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_without_javascript_a_stance_left_on_no_claim_is_refused_in_the_forms_words(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    response = submit(client, project, first, {"label-claim_type": "no_claim", "label-stance": "favor"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.findall(r'<p class="error" role="alert">(.*?)</p>', html) == [
        "Not saved: Stance toward the target: leave it empty when Claim type is No claim. Your choices are still here."
    ]
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_a_passage_not_handed_out_is_refused_with_409(client, login, project):
    login("ada")
    client.get(f"/projects/{project.id}/annotate")
    response = submit(client, project, project.passages[5].id, CLAIM, HTMX)
    assert response.status_code == 409 and "was not handed to you" in response.get_data(as_text=True)


def test_back_shows_the_annotators_own_earlier_labels_to_change(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    html = submit(client, project, first, {**CLAIM, "note": "first note"}, HTMX).get_data(as_text=True)
    back = re.search(r'href="(/projects/\d+/passages/\d+/edit)"', html).group(1)
    edit = client.get(back, headers=HTMX).get_data(as_text=True)
    assert current_passage_id(edit) == first and "changing your earlier labels" in edit
    assert re.search(r'value="quantity"\s+data-key="2" checked', edit) and "first note</textarea>" in edit
    response = submit(client, project, first, {"label-claim_type": "no_claim"}, HTMX)
    assert current_passage_id(response.get_data(as_text=True)) == project.passages[1].id  # back to where ada was
    assert db.session.scalar(sa.select(Annotation.labels)) == {"claim_type": "no_claim"}


def test_skipping_asks_no_more_of_that_passage(client, login, project):
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    first = current_passage_id(page)
    response = client.post(
        f"/projects/{project.id}/passages/{first}/skip",
        data={"csrf_token": csrf_token_in(page), "reason": "Broken or unreadable text"},
        headers=HTMX,
    )
    assert current_passage_id(response.get_data(as_text=True)) == project.passages[1].id
    assert db.session.scalar(sa.select(Skip.reason)) == "Broken or unreadable text"


def test_annotators_never_see_each_others_labels(client, login, project):
    login("ada")
    first = current_passage_id(client.get(f"/projects/{project.id}/annotate").get_data(as_text=True))
    submit(client, project, first, {**CLAIM, "note": "ada's private reasoning"})
    client.post("/auth/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})
    login("bob")
    html = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    assert current_passage_id(html) == first  # bob joins ada's passage (k = 2) ...
    assert "ada's private reasoning" not in html and not re.search(r"\schecked>", html)  # ... blind to her labels
    assert client.get(f"/projects/{project.id}/passages/{first}/edit").status_code == 404


def test_the_whole_document_marks_the_passage(client, login, project):
    login("ada")
    passage = project.passages[2]
    html = client.get(f"/projects/{project.id}/documents/{passage.document_id}?passage={passage.id}").get_data(
        as_text=True
    )
    assert re.search(r'class="marked"\s*>' + re.escape(passage.text) + "</p>", html)
    assert all(p.text in html for p in project.passages[:4])


def test_document_text_is_escaped_everywhere(client, login, runner, write_file, make_project, make_user):
    make_project("X", overlap_k=1)
    make_user("cy")
    runner.invoke(args=["add-member", "X", "cy", "--role", "annotator"])
    path = write_file(
        "evil.txt",
        "The council said <script>alert('x')</script> it would spend four million pounds.\n\n"
        "Another <img src=x onerror=alert(1)> paragraph about the roads budget this year.\n",
    )
    assert runner.invoke(args=["import-docs", "X", str(path)]).exit_code == 0
    login("cy")
    project_id = db.session.scalar(sa.text("SELECT id FROM project WHERE name = 'X'"))
    html = client.get(f"/projects/{project_id}/annotate").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_outsiders_are_refused_and_signed_out_htmx_requests_get_401(client, login, project, make_user):
    make_user("eve")
    assert client.get(f"/projects/{project.id}/annotate", headers=HTMX).status_code == 401
    login("eve")
    assert client.get(f"/projects/{project.id}/annotate").status_code == 403
    assert client.get(f"/projects/{project.id}/documents/{project.passages[0].document_id}").status_code == 403


def test_a_page_opened_by_another_user_is_refused_and_stores_nothing(client, login, project):
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    passage_id = current_passage_id(page)
    bob_id = db.session.scalar(sa.select(User.id).where(User.username == "bob"))
    response = client.post(
        f"/projects/{project.id}/passages/{passage_id}/labels",
        data={"csrf_token": csrf_token_in(page), "page_user": bob_id, **CLAIM},
        headers=HTMX,
    )
    assert response.status_code == 403 and "signed in as ada" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_the_session_endpoint_says_who_is_signed_in_with_a_fresh_token(client, login, project):
    anonymous = client.get("/auth/session").get_json()
    assert anonymous["signed_in"] is False and anonymous["user_id"] is None and anonymous["csrf_token"]
    login("ada")
    state = client.get("/auth/session")
    assert state.headers["Cache-Control"] == "no-store"
    assert state.get_json()["username"] == "ada" and state.get_json()["signed_in"] is True
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    response = client.post(
        f"/projects/{project.id}/passages/{current_passage_id(page)}/labels",
        data={"csrf_token": state.get_json()["csrf_token"], **CLAIM},
        headers=HTMX,
    )
    assert response.status_code == 200  # the token it gives is good for the session


def test_a_project_without_documents_says_so_and_how_to_add_them(client, login, make_project, make_user, runner):
    empty = make_project("Empty")
    make_user("cy")
    runner.invoke(args=["add-member", "Empty", "cy", "--role", "annotator"])
    login("cy")
    html = client.get(f"/projects/{empty.id}/annotate").get_data(as_text=True)
    assert "no passages to label yet" in html and "Nothing left for you" not in html
    assert 'annotator import-docs "Empty" FILES' in html and "ask an admin" in html
    assert 'href="/"' in re.search(r'<div class="done">.*?</div>', html, re.S).group(0)


def test_nothing_left_links_to_the_project_list(client, login, project):
    login("ada")
    for passage in project.passages:
        assert submit(client, project, passage.id, {"label-claim_type": "no_claim"}).status_code in (200, 303)
    html = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    done = re.search(r'<div class="done">.*?</div>', html, re.S).group(0)
    assert "Nothing left for you" in done and '<a href="/">Your projects</a>' in done


def test_the_caption_names_the_document_by_its_title(client, login, project):
    from annotator.documents.models import Document

    document = db.session.get(Document, project.passages[0].document_id)
    document.title = "Council votes on Mill Street"
    db.session.commit()
    login("ada")
    html = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    caption = re.search(r'<p class="reading-caption">(.*?)</p>', html, re.S).group(1)
    assert "Council votes on Mill Street" in caption and "· passage 1" in caption


def test_the_whole_document_sends_a_window_and_more_on_demand_whatever_its_size(
    client, login, make_project, make_user, runner, write_file
):
    """A 1,200-passage document: one request never carries more than the window, whichever
    passage is marked, and "earlier"/"later" bring the rest a chunk at a time, in order."""
    from annotator.documents.context import CHUNK, WINDOW
    from annotator.documents.models import Passage
    from tests.conftest import paragraph_text

    long_text = "\n\n".join(paragraph_text(7, number) for number in range(1200))
    make_project("Long")
    make_user("ada")
    runner.invoke(args=["add-member", "Long", "ada", "--role", "annotator"])
    assert runner.invoke(args=["import-docs", "Long", str(write_file("long.txt", long_text))]).exit_code == 0
    passages = list(db.session.scalars(sa.select(Passage).order_by(Passage.index)))
    assert len(passages) == 1200
    login("ada")
    base = f"/projects/{passages[0].project_id}/documents/{passages[0].document_id}"
    middle = passages[600]

    def shown(html):
        return re.findall(r"<p dir=\"auto\" class=\"[^\"]*\"\s*>(In report 7, section (\d+),)", html)

    html = client.get(f"{base}?passage={middle.id}").get_data(as_text=True)
    sections = [int(number) for _, number in shown(html)]
    assert sections == list(range(600 - WINDOW, 600 + WINDOW + 1))
    assert re.search(r'class="marked"\s*>' + re.escape(middle.text), html) and "1,200 passages in all" in html
    earlier = re.search(r'hx-get="([^"]*before=\d+)"', html).group(1).replace("&amp;", "&")
    later = re.search(r'hx-get="([^"]*after=\d+)"', html).group(1).replace("&amp;", "&")

    before = client.get(earlier).get_data(as_text=True)
    assert [int(number) for _, number in shown(before)] == list(range(600 - WINDOW - CHUNK, 600 - WINDOW))
    assert "Earlier passages" in before and "Later passages" not in before and "<h2" not in before
    after = client.get(later).get_data(as_text=True)
    assert [int(number) for _, number in shown(after)] == list(range(601 + WINDOW, 601 + WINDOW + CHUNK))

    start = client.get(f"{base}?passage={passages[0].id}").get_data(as_text=True)
    assert [int(number) for _, number in shown(start)] == list(range(0, WINDOW + 1)) and "Earlier passages" not in start
    end = client.get(f"{base}?passage={passages[-1].id}").get_data(as_text=True)
    assert [int(number) for _, number in shown(end)] == list(range(1199 - WINDOW, 1200)) and "Later passages" not in end
    assert len(shown(client.get(base).get_data(as_text=True))) == 2 * WINDOW + 1  # no passage given: the start
