"""A reviewer downloads exports in real Chromium: the training file with the options chosen on
the page holds the same lines as `annotator export` with the same options; an annotator cannot
reach the page, and only admins are offered the backup."""

import json

import pytest

from tests.browser.test_review_journey import project  # noqa: F401  (labels imported from another tool)

pytestmark = pytest.mark.browser


def cli_lines(runner, *options) -> list[dict]:
    result = runner.invoke(args=["export", "Bike lanes", *options])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def downloaded_lines(page, click) -> list[dict]:
    with page.expect_download() as download:
        click()
    with open(download.value.path(), encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_a_reviewer_downloads_the_training_file_the_command_writes(open_browser, project, runner):  # noqa: F811
    reviewer = open_browser("rev")
    reviewer.goto(f"/projects/{project.id}/exports")
    assert reviewer.locator("text=backup").count() == 0  # admins only
    reviewer.uncheck("input[name=field][value=verifiability]")
    reviewer.fill("input[name=split]", "60/20/20")
    reviewer.fill("input[name=seed]", "3")
    reviewer.check("input[name=context]")
    training = downloaded_lines(reviewer, lambda: reviewer.click("form.export-form button[type=submit]"))
    expected = cli_lines(runner, "--kind", "training", "--fields", "claim_type,stance", "--split", "60/20/20",
                         "--seed", "3", "--context")
    assert training == expected and len(training) >= 10
    assert {line["split"] for line in training} <= {"train", "dev", "test"} and set(training[0]["labels"]) == {"claim_type", "stance"}

    audit = downloaded_lines(reviewer, lambda: reviewer.click("a[href$='/exports/audit']"))
    assert audit[0]["project"]["name"] == "Bike lanes"
    assert audit[1:] == cli_lines(runner, "--kind", "audit")[1:] and len(audit) > 30  # the header's time aside

    annotator = open_browser("ada")
    response = annotator.goto(f"/projects/{project.id}/exports")
    assert response.status == 403
