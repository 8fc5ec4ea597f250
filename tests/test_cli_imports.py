"""A command loads only what it uses: `annotator --help`, a command's options and a command that
needs no agreement figures, export, splitter or page run without importing them (NumPy, the
agreement engine, the exporters, the HTML extractor, the views), which is what makes them start
quickly (bench/startup_bench.py has the times). Each runs in an interpreter of its own, which
reports the modules it loaded."""

import json
import os
import subprocess
import sys

import pytest

# Modules only some commands need, each heavy itself or through what it imports.
HEAVY = (
    "numpy",
    "blingfire",
    "trafilatura",
    "wordfreq",
    "annotator.agreement.reliability",
    "annotator.agreement.figures",
    "annotator.project_agreement.snapshot",
    "annotator.exporting.annotations",
    "annotator.exporting.audit",
    "annotator.exporting.backup",
    "annotator.exporting.training",
    "annotator.importing.html",
    "annotator.splitting",
    "annotator.web.annotate",
)

_RUN_AND_REPORT = """
import json, sys
from annotator.__main__ import main
report, sys.argv = sys.argv[1], ["annotator", *sys.argv[2:]]
try:
    main()
except SystemExit as end:
    code = end.code
with open(report, "w") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""


def _annotator(tmp_path, *args: str) -> tuple[str, dict]:
    report = tmp_path / "report.json"
    environment = {**os.environ, "ANNOTATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-c", _RUN_AND_REPORT, str(report), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr, json.loads(report.read_text())


def _heavy(modules: list[str]) -> list[str]:
    return [module for module in modules if any(module == h or module.startswith(h + ".") for h in HEAVY)]


def test_help_lists_every_command_without_loading_what_commands_use(tmp_path):
    output, report = _annotator(tmp_path, "--help")
    assert report["code"] == 0
    for command in ("agreement", "create-project", "db", "export", "import-docs", "init-db", "serve"):
        assert f"\n  {command} " in output
    assert _heavy(report["modules"]) == []


@pytest.mark.parametrize("command", ["import-docs", "export", "agreement"])
def test_a_commands_options_are_shown_without_loading_its_work(tmp_path, command):
    output, report = _annotator(tmp_path, command, "--help")
    assert report["code"] == 0 and f"Usage: annotator {command} [OPTIONS]" in output
    assert _heavy(report["modules"]) == []


def test_light_commands_run_without_the_pages_or_what_other_commands_use(tmp_path):
    assert _annotator(tmp_path, "init-db")[1]["code"] == 0  # runs every migration: one of them uses the splitter
    output, report = _annotator(tmp_path, "init-db")  # as `make run` does each time: the database is up to date
    assert report["code"] == 0 and "database ready" in output
    assert _heavy(report["modules"]) == []
    assert _annotator(tmp_path, "create-project", "Bike lanes")[1]["code"] == 0
    output, report = _annotator(tmp_path, "edit-project", "Bike lanes", "--overlap", "3")
    assert report["code"] == 0 and '"Bike lanes": changed' in output
    assert _heavy(report["modules"]) == []
    output, report = _annotator(tmp_path, "archive", "Bike lanes")
    assert report["code"] == 0 and 'archived "Bike lanes"' in output
    assert _heavy(report["modules"]) == []


def test_a_heavy_command_still_finds_what_it_uses(tmp_path):
    _annotator(tmp_path, "init-db")
    _annotator(tmp_path, "create-project", "Bike lanes")
    output, report = _annotator(tmp_path, "agreement", "Bike lanes")
    assert report["code"] == 0 and "label sets on 0 passages" in output
    output, report = _annotator(tmp_path, "export", "Bike lanes", "--kind", "audit")
    assert report["code"] == 0 and "exported" in output
    assert "annotator.exporting.audit" in report["modules"]
