"""The data manager's pages and JSON API: who may open them, what they show, the search form
with and without htmx, and the place they leave for curation's actions."""

import pytest
import sqlalchemy as sa
from jinja2 import ChoiceLoader, DictLoader

from annotator.documents.models import Document
from annotator.extensions import db
from tests.data_manager.conftest import corpus  # noqa: F401  (a project with passages in every status)


@pytest.fixture
def urls(corpus):
    project = corpus.id
    document = db.session.scalar(sa.select(Document.id).where(Document.external_id == "bridges"))
    return {
        "documents": f"/projects/{project}/documents",
        "passages": f"/projects/{project}/passages?q=bridge",
        "document": f"/projects/{project}/documents/{document}/passages",
        "api_documents": f"/api/projects/{project}/documents",
        "api_passages": f"/api/projects/{project}/passages?q=bridge",
        "api_document": f"/api/documents/{document}",
    }


PAGES = ("documents", "passages", "document")
API = ("api_documents", "api_passages", "api_document")


def test_annotators_are_refused_every_page_and_endpoint(client, login, urls):
    login("ada")
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 403, name
        if name in API:
            assert "error" in response.get_json()
        assert "opinion" not in response.get_data(as_text=True)


def test_nobody_signed_in_is_sent_to_sign_in_or_told_in_json(client, urls):
    for name, url in urls.items():
        assert client.get(url).status_code == (401 if name in API else 302), name


def test_a_reviewer_of_another_project_is_refused(client, login, urls, make_user, make_project, add_member):
    make_user("val", "reviewer")
    add_member(make_project("Elsewhere"), "val", "reviewer")
    login("val")
    assert {client.get(url).status_code for url in urls.values()} == {403}


@pytest.mark.parametrize("who", ["rev", "root"])
def test_reviewers_and_admins_open_every_page(client, login, urls, make_user, who):
    if who == "root":
        make_user("root", "admin")
    login(who)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name


def test_the_documents_page_lists_and_sorts(client, login, urls, corpus):
    login("rev")
    page = client.get(urls["documents"] + "?sort=-size").get_data(as_text=True)
    assert page.index(">bridges <") < page.index(">parks <") < page.index(">repeats <")
    assert 'aria-sort="descending"' in page and "1 manual" in page and "1 duplicate" in page
    assert client.get(urls["documents"] + "?sort=raw_text").status_code == 400
    overview = client.get(f"/projects/{corpus.id}").get_data(as_text=True)
    assert f'href="/projects/{corpus.id}/documents"' in overview


def test_the_documents_pages_follow_one_another_by_cursor(client, login, urls):
    login("rev")
    first = client.get(urls["api_documents"] + "?sort=-external_id&limit=1").get_json()
    assert [item["external_id"] for item in first["items"]] == ["repeats"]
    rest = client.get(urls["api_documents"], query_string={"sort": "-external_id", "cursor": first["next_cursor"]})
    assert [item["external_id"] for item in rest.get_json()["items"]] == ["parks", "bridges"]
    assert rest.get_json()["next_cursor"] is None
    page = client.get(urls["documents"], query_string={"sort": "-external_id", "cursor": first["next_cursor"]})
    html = page.get_data(as_text=True)
    assert ">parks <" in html and ">repeats <" not in html and "First page" in html


def test_the_search_page_shows_the_form_and_the_results_it_would_swap(client, login, urls):
    login("rev")
    page = client.get(urls["passages"]).get_data(as_text=True)
    assert "<form" in page and 'id="passage-results"' in page and "<html" in page
    assert "new bridge over the river" in page and "Critics say" not in page
    fragment = client.get(urls["passages"], headers={"HX-Request": "true", "HX-Target": "passage-results"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="passage-results"') and "<form" not in html
    assert "new bridge over the river" in html
    assert "HX-Target" in fragment.headers["Vary"]
    boosted = client.get(urls["passages"], headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_a_search_the_domain_refuses_is_said_on_the_page(client, login, urls, corpus):
    login("rev")
    response = client.get(f"/projects/{corpus.id}/passages?annotator=nobody")
    assert response.status_code == 400 and "no account is named" in response.get_data(as_text=True)
    assert "<form" in response.get_data(as_text=True)


def test_passage_text_is_shown_as_text_never_as_markup(client, login, corpus):
    login("rev")
    page = client.get(f"/projects/{corpus.id}/passages?q=script").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page


def test_a_reviewer_sees_every_label_set_and_the_gold_on_the_document_page(client, login, urls, corpus):
    login("rev")
    page = client.get(urls["document"]).get_data(as_text=True)
    for passage_id in corpus.ids["bridges"]:
        assert f'id="p{passage_id}"' in page
    assert ">ada</th>" in page and ">bob</th>" in page and "Decided by rev" in page
    assert "(unanimous)" in page and "(adjudicated)" in page
    assert "characters 0–" in page


def test_the_api_gives_items_and_a_cursor_and_label_sets_to_reviewers(client, login, urls, corpus):
    login("rev")
    found = client.get(urls["api_passages"] + "&status=complete").get_json()
    assert [item["id"] for item in found["items"]] == [corpus.ids["bridges"][0]] and found["next_cursor"] is None
    assert set(found["items"][0]) >= {"id", "document_id", "index", "start", "end", "text", "status", "excluded_reason"}
    document = client.get(urls["api_document"]).get_json()
    assert [p["index"] for p in document["passages"]] == [0, 1, 2, 3]
    assert [one["annotator"] for one in document["passages"][0]["label_sets"]] == ["ada", "bob"]
    assert document["passages"][0]["gold"]["claim_type"] == {"value": "opinion", "source": "unanimous"}
    assert document["passages"][3]["decision"]["reviewer"] == "rev"


def test_the_api_answers_refusals_in_json(client, login, urls, corpus):
    login("rev")
    for url in (
        f"/api/projects/{corpus.id}/passages?status=sideways",
        f"/api/projects/{corpus.id}/documents?sort=nonsense",
        f"/api/projects/{corpus.id}/passages?field=stance&value=sideways",
    ):
        response = client.get(url)
        assert response.status_code == 400 and "error" in response.get_json(), url
    missing = client.get("/api/documents/999999")
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_the_api_pages_passages_by_cursor(client, login, corpus):
    login("rev")
    url, seen = f"/api/projects/{corpus.id}/passages", []
    answer = client.get(url, query_string={"limit": 4}).get_json()
    seen += answer["items"]
    while answer["next_cursor"]:
        answer = client.get(url, query_string={"limit": 4, "cursor": answer["next_cursor"]}).get_json()
        assert len(answer["items"]) <= 4
        seen += answer["items"]
    assert len(seen) == 9 and len({item["id"] for item in seen}) == 9


CURATION = {
    "curation/_passage_actions.html": (
        '<form class="curate" data-for="{{ passage.id }}" data-document="{{ document.id }}"'
        ' data-back="{{ back }}" data-project="{{ project.id }}" data-state="{{ passage.annotatable }}'
        "/{{ passage.excluded_reason }}/{{ passage.label_count }}/{{ passage.assigned_count }}"
        '/{{ passage.start }}"></form>'
    ),
    "curation/_document_actions.html": (
        '<form class="curate-document" data-for="{{ document.id }}" data-back="{{ back }}"></form>'
    ),
}


def test_admins_get_curations_actions_beside_each_passage_and_reviewers_do_not(app, client, login, make_user, corpus):
    app.jinja_loader = ChoiceLoader([DictLoader(CURATION), app.jinja_loader])
    app.jinja_env.cache = {}
    document = db.session.scalar(sa.select(Document.id).where(Document.external_id == "bridges"))
    page_url = f"/projects/{corpus.id}/documents/{document}/passages"
    search_url = f"/projects/{corpus.id}/passages?q=bridge"
    make_user("root", "admin")
    login("root")
    page = client.get(page_url).get_data(as_text=True)
    first = corpus.ids["bridges"][0]
    assert f'data-for="{first}" data-document="{document}" data-back="{page_url}"' in page
    assert page.count('class="curate"') == 4 and f'class="curate-document" data-for="{document}"' in page
    assert 'data-state="True/None/2/0/0"' in page
    results = client.get(search_url).get_data(as_text=True)
    assert results.count('class="curate"') == 2 and f'data-back="{search_url}"' in results
    login("rev")
    assert 'class="curate' not in client.get(page_url).get_data(as_text=True)


def test_without_curation_the_pages_still_render(client, login, urls):
    login("rev")
    assert client.get(urls["document"]).status_code == 200
