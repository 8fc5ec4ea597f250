"""A reviewer downloads exports in real Chromium: the page says how many lines the training file
will have as the options change, refuses a split that would leave a split empty (the form stays
as it was filled in), and the file holds the lines it announced, the same as `annotator export`
with the same options; an annotator cannot reach the page, and only admins are offered the
backup."""

import json

import pytest
from playwright.sync_api import expect

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
    count = reviewer.locator("#training-count")
    expect(count).to_have_text("This download gives 23 lines.")  # passage 0 has no label yet
    reviewer.check("input[name=all_passages]")
    expect(count).to_have_text("This download gives 24 lines.")
    reviewer.uncheck("input[name=all_passages]")
    reviewer.uncheck("input[name=field][value=verifiability]")
    reviewer.fill("input[name=min_agreement]", "0.3")
    reviewer.check("input[name=context]")
    reviewer.fill("input[name=split]", "60/20/20")
    reviewer.fill("input[name=seed]", "3")  # three documents, and this seed puts none in dev
    expect(count).to_contain_text(
        "leaves dev empty: of the 3 documents with lines in this export, train gets 2, dev gets 0, test gets 1"
    )
    expect(count).to_contain_text("seed 5 gives every split at least one document")

    reviewer.click("form.export-form button[type=submit]")  # refused: the form again, as it was filled in
    expect(reviewer.locator("#training-count")).to_contain_text("leaves dev empty")
    assert (
        reviewer.input_value("input[name=seed]") == "3" and reviewer.input_value("input[name=min_agreement]") == "0.3"
    )
    assert reviewer.is_checked("input[name=context]") and not reviewer.is_checked(
        "input[name=field][value=verifiability]"
    )

    reviewer.fill("input[name=seed]", "5")
    expect(count).to_contain_text("This download gives")
    announced = int(count.locator("strong").inner_text())
    training = downloaded_lines(reviewer, lambda: reviewer.click("form.export-form button[type=submit]"))
    expected = cli_lines(
        runner,
        "--kind",
        "training",
        "--fields",
        "claim_type,stance",
        "--min-agreement",
        "0.3",
        "--split",
        "60/20/20",
        "--seed",
        "5",
        "--context",
    )
    assert training == expected and len(training) == announced >= 10
    assert {line["split"] for line in training} == {"train", "dev", "test"} and set(training[0]["labels"]) == {
        "claim_type",
        "stance",
    }

    reviewer.goto(f"/projects/{project.id}/exports")
    audit = downloaded_lines(reviewer, lambda: reviewer.click("a[href$='/exports/audit']"))
    assert audit[0]["project"]["name"] == "Bike lanes"
    assert audit[1:] == cli_lines(runner, "--kind", "audit")[1:] and len(audit) > 30  # the header's time aside
    assert reviewer.locator(f"text={len(audit)} lines").count() == 1

    annotator = open_browser("ada")
    response = annotator.goto(f"/projects/{project.id}/exports")
    assert response.status == 403
    assert annotator.locator("h1").inner_text() == "Not open to your account"


@pytest.mark.parametrize("name", ["Велодорожки", "自行车道"])
def test_a_project_named_in_cyrillic_or_chinese_downloads_under_its_name(open_browser, make_project, make_user, name):
    project = make_project(name)
    make_user("root", "admin")
    page = open_browser("root")
    page.goto(f"/projects/{project.id}/exports")
    with page.expect_download() as download:
        page.click("a[href$='/exports/passages']")
    assert download.value.failure() is None and download.value.suggested_filename == f"{name}-passages.jsonl"
