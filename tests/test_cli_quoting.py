"""The command line quotes input in its messages (file names, columns, ids, usernames, project
names): escape sequences in that input are shown as text, never sent to the terminal."""

import json

from tests.annotations.test_importing import CLAIM, lines_file, project  # noqa: F401  (project: a fixture)

TITLE = "\x1b]0;owned\x07"  # sets the terminal window's title
CLEAR = "\x1b[2J"  # clears the screen


def assert_no_control_characters(text: str) -> None:
    assert not any(ord(character) < 32 and character != "\n" or 0x7F <= ord(character) <= 0x9F for character in text), (
        repr(text)
    )


def test_a_csv_header_that_sets_the_window_title_is_shown_escaped(runner, make_project, write_file):
    make_project("Claims")
    path = write_file("bodies.csv", f"id,{TITLE}body\n1,A claim.\n")
    result = runner.invoke(args=["import-docs", "Claims", str(path)])
    assert result.exit_code == 1
    assert f'{path}: no column "text" (columns: id, \\x1b]0;owned\\x07body; choose with --text-column)' in result.stderr
    assert_no_control_characters(result.stderr)


def test_a_file_name_and_an_id_with_escape_sequences_are_shown_escaped(runner, make_project, write_file):
    make_project("Claims")
    first = write_file(
        f"first{CLEAR}.jsonl", json.dumps({"id": f"d{CLEAR}", "text": "A claim about the harbour."}) + "\n"
    )
    second = write_file("second.jsonl", json.dumps({"id": f"d{CLEAR}", "text": "Another claim, other text."}) + "\n")
    result = runner.invoke(args=["import-docs", "Claims", str(first), str(second)])
    assert f'{second}:1: document id "d\\x1b[2J" already exists in this project with different text' in result.stderr
    assert_no_control_characters(result.stderr)


def test_import_annotations_and_agreement_show_an_annotators_escapes_as_text(runner, project, write_file):
    name = f"ada{TITLE}"
    path = lines_file(
        write_file,
        {"passage_id": project.passages[0].id, "annotator": name, "labels": CLAIM},
        {"passage_id": 10**9, "annotator": name, "labels": CLAIM},
    )
    imported = runner.invoke(args=["import-annotations", "Claims", str(path), "--create-users"])
    assert "labels.jsonl:2: no passage 1000000000 in this project" in imported.stderr
    assert_no_control_characters(imported.stderr)
    agreement = runner.invoke(args=["agreement", "Claims"])
    assert agreement.exit_code == 0 and "ada\\x1b]0;owned\\x07" in agreement.output
    assert_no_control_characters(agreement.output)


def test_errors_quoting_a_project_name_show_its_escapes_as_text(runner):
    for command in (
        ["export", f"Claims{CLEAR}", "--kind", "passages"],
        ["import-docs", f"Claims{CLEAR}", "x.txt"],
        ["add-member", f"Claims{CLEAR}", "ada", "--role", "annotator"],
    ):
        result = runner.invoke(args=command)
        assert result.exit_code == 1
        assert 'no project named "Claims\\x1b[2J"' in result.stderr
        assert_no_control_characters(result.stderr)


def test_a_guidelines_file_with_a_nul_is_refused_naming_the_file(runner, write_file):
    guidelines = write_file("guidelines.md", "Label every claim.\x00")
    result = runner.invoke(args=["create-project", "Claims", "--guidelines", str(guidelines)])
    assert result.exit_code == 1
    assert f"{guidelines}: the file contains a NUL character (U+0000), which cannot be stored" in result.stderr
    assert runner.invoke(args=["export", "Claims", "--kind", "passages"]).exit_code == 1  # no project was made


def test_a_schema_nested_thousands_of_levels_deep_is_refused_not_a_traceback(runner, write_file):
    schema = write_file("schema.json", '{"fields": ' + "[" * 5000 + "]" * 5000 + "}")
    result = runner.invoke(args=["create-project", "Claims", "--schema", str(schema)])
    assert result.exit_code == 1
    assert "the label schema is refused:\n  the schema is nested more than 64 levels deep" in result.stderr
