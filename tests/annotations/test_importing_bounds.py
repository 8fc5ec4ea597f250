"""import-annotations on lines built to break it: each is refused as `FILE:LINE: message`,
the good lines go in, on every database."""

from tests.annotations.test_importing import CLAIM, NO_CLAIM, lines_file, project, stored  # noqa: F401  (project: a fixture)


def test_lines_too_long_too_deep_or_holding_a_nul_are_refused_and_the_others_go_in(
    runner, project, make_user, write_file
):
    make_user("ada")
    first, second, third = project.passages[:3]
    path = lines_file(
        write_file,
        {"passage_id": first.id, "annotator": "ada", "labels": CLAIM},
        {"passage_id": second.id, "annotator": "ada", "labels": CLAIM, "note": "x" * 2_000_000},
        '{"passage_id": 1, "annotator": "ada", "labels": ' + "[" * 2000 + "]" * 2000 + "}",
        {"passage_id": second.id, "annotator": "ada", "labels": CLAIM, "note": "page\u0000 4"},
        {"passage_id": third.id, "annotator": "ada", "labels": NO_CLAIM},
    )
    result = runner.invoke(args=["import-annotations", "Claims", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "labels.jsonl:2: the line is over the limit of 1.0 MB",
        "labels.jsonl:3: JSON nested more than 64 levels deep",
        "labels.jsonl:4: the line contains a NUL character (U+0000), which cannot be stored",
    ]
    assert stored() == [("ada", first.id, CLAIM), ("ada", third.id, NO_CLAIM)]


def test_an_annotator_name_no_account_can_have_is_refused_per_line_not_a_traceback(runner, project, write_file):
    first, second = project.passages[:2]
    path = lines_file(
        write_file,
        {"passage_id": first.id, "annotator": "a" * 100, "labels": CLAIM},
        {"passage_id": second.id, "annotator": "bob", "labels": CLAIM},
    )
    result = runner.invoke(args=["import-annotations", "Claims", str(path), "--create-users"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "labels.jsonl:1: no account can be made for this annotator: a username of 1 to 80 characters is required"
    )
    assert stored() == [("bob", second.id, CLAIM)]
