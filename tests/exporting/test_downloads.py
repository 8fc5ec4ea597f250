"""Downloads in the browser: the same lines as the command line, streamed, for reviewers and
admins; backups for admins only. The page says how many lines each download gives before it
starts, and a choice the export refuses shows the form again with what was typed and why."""

import json

import pytest

from tests.conftest import csrf_token_in
from tests.exporting.conftest import import_unlabelled
from tests.exporting.test_exports import export

HTMX_COUNT = {"HX-Request": "true", "HX-Target": "training-count"}


def test_a_download_streams_the_same_lines_as_the_command(reviewer, runner, five_documents):
    response = reviewer.get(f"/projects/{five_documents.id}/exports/training?split=80/10/10&seed=11&context=1")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Bike-lanes-training.jsonl\"; filename*=UTF-8''Bike-lanes-training.jsonl"
    )
    downloaded = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert downloaded == export(runner, "--kind", "training", "--split", "80/10/10", "--seed", "11", "--context")
    assert len(downloaded) == 14


def test_training_filters_and_csv_by_query(reviewer, labelled):
    response = reviewer.get(f"/projects/{labelled.id}/exports/training?field=claim_type&format=csv&min_agreement=1")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.splitlines()[0].endswith("claim_type_agreement,annotations")
    assert len(text.splitlines()) == 1 + 4  # passages where all three agreed on the claim type


def test_backups_are_for_admins_and_unknown_kinds_are_404(reviewer, labelled):
    assert reviewer.get(f"/projects/{labelled.id}/exports/backup").status_code == 403
    assert reviewer.get(f"/projects/{labelled.id}/exports/secrets").status_code == 404
    page = reviewer.get(f"/projects/{labelled.id}/exports").get_data(as_text=True)
    assert "exports/annotations" in page and "exports/backup" not in page


def lines_of(response) -> int:
    return len(response.get_data(as_text=True).splitlines())


def test_the_page_says_how_many_lines_each_download_gives(
    reviewer, labelled, import_texts, write_file, make_user, login
):
    import_unlabelled(labelled, import_texts, write_file)  # six passages nobody labelled
    page = reviewer.get(f"/projects/{labelled.id}/exports").get_data(as_text=True)
    downloads = {
        kind: lines_of(reviewer.get(f"/projects/{labelled.id}/exports/{kind}"))
        for kind in ("passages", "annotations", "audit")
    }
    assert downloads == {"passages": 12, "annotations": 18, "audit": 19}
    assert all(f'<td class="lines">{lines} lines</td>' in page for lines in downloads.values())
    assert (
        "The labelled passages give <strong>6 lines</strong>; with the passages nobody\n   has labelled yet, "
        "<strong>12 lines</strong>." in page
    )
    assert "This download gives <strong>6</strong> lines." in page  # the form's choices as the page opens
    assert lines_of(reviewer.get(f"/projects/{labelled.id}/exports/training?all_passages=1")) == 12
    reviewer.post("/auth/logout", data={"csrf_token": csrf_token_in(page)})
    make_user("root", "admin")
    login("root")
    page = reviewer.get(f"/projects/{labelled.id}/exports").get_data(as_text=True)
    backup = lines_of(reviewer.get(f"/projects/{labelled.id}/exports/backup"))
    assert f'<td class="lines">{backup} lines</td>' in page and backup > 40


CHOICES = [
    {"all_passages": "1"},
    {"field": "claim_type", "min_agreement": "1"},
    {"field": ["stance", "verifiability"], "min_agreement": "0,5", "all_passages": "1"},
    {"min_agreement": "0.3", "context": "1", "names": "1", "format": "csv"},
    {"min_agreement": "1", "field": "stance"},
]


@pytest.mark.parametrize("choices", CHOICES)
def test_the_count_of_the_forms_choices_is_the_number_of_lines_downloaded(
    reviewer, labelled, import_texts, write_file, choices
):
    import_unlabelled(labelled, import_texts, write_file)
    sent = {"split": "", "seed": "0", "format": "jsonl", **choices}
    count = reviewer.get(f"/projects/{labelled.id}/exports", query_string=sent, headers=HTMX_COUNT)
    fragment = count.get_data(as_text=True)
    assert (
        count.status_code == 200 and fragment.lstrip().startswith('<p id="training-count"') and "<html" not in fragment
    )
    lines = lines_of(reviewer.get(f"/projects/{labelled.id}/exports/training", query_string=sent))
    if sent["format"] == "csv":
        assert f"gives <strong>{lines - 1}</strong> rows after the header." in fragment
    else:
        assert f"gives <strong>{lines}</strong> line{'s' if lines != 1 else ''}" in fragment


REFUSED = [
    (
        {"min_agreement": "most"},
        "the lowest agreement is a number from 0 to 1, like 0.67, not &#34;most&#34;",
        'value="most"',
    ),
    ({"min_agreement": "7"}, "the lowest agreement is a number from 0 to 1, like 0.67, not &#34;7&#34;", 'value="7"'),
    (
        {"field": ["claim_type", "mood"]},
        "no field &#39;mood&#39; in the schema: its fields are claim_type, stance, verifiability",
        'value="claim_type" checked',
    ),
    (
        {"split": "50/50"},
        "a split is three whole numbers adding up to 100, like 80/10/10, not &#34;50/50&#34;",
        'value="50/50"',
    ),
    ({"seed": "seven"}, "the seed is a whole number, like 7, not &#34;seven&#34;", 'value="seven"'),
    (
        {"split": "80/10/10", "seed": "4"},
        "the split 80/10/10 (seed 4) leaves dev and test empty: of the one document with lines in this export",
        'value="80/10/10"',
    ),
    ({"format": "xml"}, "the format is JSON Lines or CSV, not &#34;xml&#34;", '<option value="jsonl">'),
]


@pytest.mark.parametrize("choices, reason, kept", REFUSED)
def test_a_refused_choice_shows_the_form_again_with_what_was_typed(reviewer, labelled, choices, reason, kept):
    sent = {"split": "", "seed": "0", "format": "jsonl", "context": "1", "field": "claim_type", **choices}
    response = reviewer.get(f"/projects/{labelled.id}/exports/training", query_string=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert '<header class="site-header">' in page and "<h1>Bike lanes: exports</h1>" in page
    assert reason in page and kept in page
    assert 'name="context" value="1" checked' in page  # the other choices stay as they were
    count = reviewer.get(f"/projects/{labelled.id}/exports", query_string=sent, headers=HTMX_COUNT)
    assert count.status_code == 200 and reason in count.get_data(as_text=True)  # the count says it before a download


NAMES = [
    ("Велодорожки 2026", "Велодорожки-2026", "2026"),
    ("自行车道", "自行车道", "project"),
    ("Café Zürich ﬁles", "Café-Zürich-ﬁles", "Cafe-Zurich-files"),
    (
        'Пути "2026"; filename=evil.exe\r\nX-Injected: 1 ../..\\x',
        "Пути--2026---filename-evil-exe--X-Injected--1-------x",
        "2026---filename-evil-exe--X-Injected--1-------x",
    ),  # quotes, separators, CR and LF: a hyphen each
    ("a\u202egpj.exe", "a-gpj-exe", "agpj-exe"),  # a right-to-left override would show "exe.jpg"
]


@pytest.mark.parametrize("name, saved_as, ascii_name", NAMES)
def test_a_project_named_in_any_script_downloads_under_its_name(
    app, runner, make_user, login, client, make_project, name, saved_as, ascii_name
):
    from werkzeug.http import parse_options_header

    project = make_project(name)
    make_user("root", "admin")
    login("root")
    for kind, query in (("training", "format=csv"), ("passages", ""), ("backup", "")):
        response = client.get(f"/projects/{project.id}/exports/{kind}?{query}")
        response.get_data()
        assert response.status_code == 200
        header = response.headers["Content-Disposition"]
        header.encode("latin-1")  # what a WSGI server must send, or answer 500
        assert "\r" not in header and "\n" not in header
        extension = "csv" if query else "jsonl"
        assert parse_options_header(header)[1]["filename"] == f"{saved_as}-{kind}.{extension}"  # from filename*
        assert header.split("; ")[1] == f'filename="{ascii_name}-{kind}.{extension}"'  # for older clients
