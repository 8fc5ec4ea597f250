"""Downloads in the browser: the same lines as the command line, streamed, for reviewers and
admins; backups for admins only."""

import json

from tests.exporting.test_exports import export


def test_a_download_streams_the_same_lines_as_the_command(reviewer, runner, five_documents):
    response = reviewer.get(f"/projects/{five_documents.id}/exports/training?split=80/10/10&seed=11&context=1")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="Bike-lanes-training.jsonl"'
    downloaded = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert downloaded == export(runner, "--kind", "training", "--split", "80/10/10", "--seed", "11", "--context")
    assert len(downloaded) == 14


def test_training_filters_and_csv_by_query(reviewer, labelled):
    response = reviewer.get(f"/projects/{labelled.id}/exports/training?field=claim_type&format=csv&min_agreement=1")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.splitlines()[0].endswith("claim_type_agreement,annotations")
    assert len(text.splitlines()) == 1 + 4  # passages where all three agreed on the claim type
    assert reviewer.get(f"/projects/{labelled.id}/exports/training?min_agreement=7").status_code == 400
    refused = reviewer.get(f"/projects/{labelled.id}/exports/training?field=mood&split=50/50")
    assert refused.status_code == 400 and "50/50" in refused.get_data(as_text=True)
    refused = reviewer.get(f"/projects/{labelled.id}/exports/training?field=mood")
    assert refused.status_code == 400 and "no field &#39;mood&#39; in the schema" in refused.get_data(as_text=True)


def test_backups_are_for_admins_and_unknown_kinds_are_404(reviewer, labelled):
    assert reviewer.get(f"/projects/{labelled.id}/exports/backup").status_code == 403
    assert reviewer.get(f"/projects/{labelled.id}/exports/secrets").status_code == 404
    page = reviewer.get(f"/projects/{labelled.id}/exports").get_data(as_text=True)
    assert "exports/annotations" in page and "exports/backup" not in page
