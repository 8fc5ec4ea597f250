"""The `annotator` command line. Each command is one transaction: services flush, the command
commits once its work is done and before it says so (the imports commit in batches so that a
long import does not hold one lock). A refusal (annotator.domain_errors) or a database outage
rolls back what was not committed and ends the command with one line and exit status 1, in one
place for every command (_one_unit_of_work)."""

import copy
import errno
import functools
import gzip
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from annotator.database_outage import DATABASE_ERRORS, outage_reason
from annotator.domain_errors import DomainError
from annotator.exporting.kinds import KINDS
from annotator.extensions import db
from annotator.importing.readers import FORMATS, ReadOptions, file_size
from annotator.projects.models import MEMBER_ROLES
from annotator.projects.templates import DEFAULT_TEMPLATE, TEMPLATE_NAMES
from annotator.untrusted_text import NUL, NUL_REFUSED, printable
from annotator.users.models import ROLES
from annotator.write_lock import give_other_writers_a_turn

if TYPE_CHECKING:
    from annotator.importing.service import ImportSettings

# Each command imports the services it calls when it runs: `annotator --help`, and a command
# that needs no agreement figures, export or splitter, load none of them (tests/test_cli_imports.py).

PARALLEL_FROM_BYTES = 2 * 1024 * 1024


def init_app(app: Flask) -> None:
    for command in commands():
        app.cli.add_command(command)


def commands() -> list[click.Command]:
    """Every command, each ending a refusal or an outage in one line (_one_unit_of_work): the
    app's (`flask --app annotator.app`, tests' CLI runner) and the `annotator` group's."""
    return [
        _one_unit_of_work(command)
        for command in (
            init_db,
            create_project_command,
            edit_project_command,
            import_docs,
            import_annotations_command,
            create_user_command,
            create_token_command,
            add_member_command,
            agreement,
            export,
            restore,
            reset_password_command,
            withdraw_document_command,
            remove_document_command,
            archive_command,
            unarchive_command,
            serve,
            setup_demo,
        )
    ]


def _one_unit_of_work(command: click.Command) -> click.Command:
    """The command (a copy: each app wraps its own), ending on a refusal or on a database that is
    unavailable or cannot write with one line and exit status 1, after rolling back what it had
    not committed. A refusal with several problems (a label schema's) has a line for each."""
    reporting = copy.copy(command)
    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except DomainError as refusal:
            _roll_back()
            raise _Refused(*refusal.lines()) from None
        except DATABASE_ERRORS as error:
            reason = outage_reason(error)
            if reason is None:
                raise
            _roll_back()
            raise click.ClickException(
                f"the database is unavailable or cannot write ({reason}): {command.name} stopped and what it had not "
                f"stored yet was rolled back; run it again once the database is back"
            ) from None

    reporting.callback = run
    return reporting


def _roll_back() -> None:
    try:
        db.session.rollback()
    except DATABASE_ERRORS:  # the connection is gone: nothing of the transaction is left to undo
        db.session.close()


_NEVER = "never"


def _say(message: str, err: bool = False) -> None:
    """Print a one-line message that may quote input (a file name, a column, a username),
    its control characters escaped so that none acts on the terminal."""
    click.echo(printable(message), err=err)


class _Refused(click.ClickException):
    """A command's refusal, one escaped line per problem (see _say)."""

    def __init__(self, *lines: str):
        super().__init__("\n  ".join(printable(line) for line in lines))


class _Threshold(click.ParamType):
    """An agreement threshold, or "never" (which is not None: None is an option not given)."""

    name = "agreement"

    def convert(self, value, param, ctx):
        if value == _NEVER:
            return _NEVER
        try:
            return float(value)
        except ValueError:
            self.fail(f"{value!r} is neither a number nor {_NEVER}", param, ctx)


def _text_of(path: Path) -> str:
    """A schema or guidelines file's text, refused (naming the file) unless it is UTF-8 text
    that can be stored."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Refused(f"{path}: not UTF-8 text (byte {error.start} cannot be read)") from None
    if NUL in text:
        raise _Refused(f"{path}: the file {NUL_REFUSED}")
    return text


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database schema, or upgrade it to the newest migration."""
    from flask_migrate import upgrade

    upgrade(directory=str(Path(__file__).parent / "migrations"))
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


def _quality_options(command):
    """The quality-control options of create-project and edit-project (annotator.quality.settings)."""
    options = [
        click.option("--gold-every", type=click.IntRange(min=0), help="One gold check in N passages (0: none)."),
        click.option(
            "--pause-below",
            type=click.FloatRange(min=0, max=1),
            help="Pause annotators whose gold accuracy is below this (0: never).",
        ),
        click.option("--pause-after-gold", type=click.IntRange(min=1), help="Gold answers before pausing applies."),
        click.option("--onboarding/--no-onboarding", "onboarding_required", default=None, help="Require onboarding."),
        click.option("--onboarding-pass-mark", type=click.FloatRange(min=0, max=1), help="Share right to pass."),
        click.option("--onboarding-attempts", type=click.IntRange(min=1), help="Onboarding attempts allowed."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _set_quality(project, given: dict) -> bool:
    """Apply the quality options given (the others stay); whether anything was given."""
    from dataclasses import replace

    from annotator.quality.settings import QualitySettings, set_quality_settings

    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        return False
    if "gold_every" in given:
        given["gold_every"] = given["gold_every"] or None
    if "pause_below" in given:
        given["pause_below"] = given["pause_below"] or None
    set_quality_settings(db.session, project, replace(QualitySettings.of(project), **given))
    return True


_THRESHOLD_OPTION = click.option(
    "--extra-annotator-below",
    "--agreement-threshold",
    "threshold",
    metavar="AGREEMENT|never",
    type=_Threshold(),
    help=(
        "A passage whose agreement is below this (above 0, at most 1) gets one more annotator before "
        "review, and again while it stays below, up to --k-max; never: no passage does (a fixed k)."
    ),
)
_K_MAX_OPTION = click.option(
    "--k-max",
    type=click.IntRange(min=1),
    help="Adaptive overlap: the most annotators a passage gets while its agreement stays below the threshold "
    "(default: one more than k with a threshold).",
)


@click.command("create-project")
@click.argument("name")
@click.option("--target", default="", help="The stance target: what annotators judge claims for or against.")
@click.option(
    "--template",
    metavar="NAME",
    help=f"Start from a protocol's schema and guidelines: {', '.join(TEMPLATE_NAMES)} (default: {DEFAULT_TEMPLATE}).",
)
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A label schema JSON file of your own, instead of a template.",
)
@click.option(
    "--guidelines",
    "guidelines_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Annotation guidelines, a Markdown file (default: the template's).",
)
@click.option(
    "--overlap",
    "--k-min",
    "overlap",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Annotators per passage (k; the first k when the overlap is adaptive).",
)
@_THRESHOLD_OPTION
@_K_MAX_OPTION
@_quality_options
@with_appcontext
def create_project_command(
    name, target, template, schema_file, guidelines_file, overlap, threshold, k_max, **quality
) -> None:
    """Create a project, from a template or a schema file of its own."""
    from annotator.administration.projects import create_project
    from annotator.projects.templates import project_start
    from annotator.schema import Schema

    start = project_start(
        template,
        Schema.load(_text_of(schema_file)).definition if schema_file else None,
        _text_of(guidelines_file) if guidelines_file else None,
        target,
    )
    project = create_project(
        db.session,
        name,
        target=target,
        guidelines=start.guidelines,
        overlap_k=overlap,
        schema=start.schema,
        extra_annotator_below=None if threshold is _NEVER else threshold,
        overlap_k_max=k_max,
    )
    _set_quality(project, quality)
    db.session.commit()
    _say(f'created project "{project.name}" (id {project.id}, overlap {_overlap_text(project)})')


def _overlap_text(project) -> str:
    if project.overlap_k_max == project.overlap_k:
        return f"k={project.overlap_k}"
    return (
        f"k={project.overlap_k} to {project.overlap_k_max} while agreement is below {project.extra_annotator_below:g}"
    )


@click.command("edit-project")
@click.argument("project_name")
@click.option("--name", help="A new name.")
@click.option("--target", help="The stance target: what annotators judge claims for or against.")
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A label schema JSON file: a new schema version.",
)
@click.option(
    "--guidelines",
    "guidelines_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Annotation guidelines, a Markdown file: a new guidelines version.",
)
@click.option(
    "--overlap",
    "--k-min",
    "overlap",
    type=click.IntRange(min=1),
    help="Annotators per passage (k); progress is recounted.",
)
@_THRESHOLD_OPTION
@_K_MAX_OPTION
@_quality_options
@with_appcontext
def edit_project_command(
    project_name, name, target, schema_file, guidelines_file, overlap, threshold, k_max, **quality
) -> None:
    """Change a project's settings, as its edit form does; options not given stay as they are."""
    from annotator.administration.projects import ProjectChanges, find_project, update_project
    from annotator.schema import Schema

    project = find_project(db.session, project_name)
    changes = ProjectChanges(
        name=name,
        target=target,
        overlap_k=overlap,
        schema=Schema.load(_text_of(schema_file)).definition if schema_file else None,
        guidelines=_text_of(guidelines_file) if guidelines_file else None,
        extra_annotator_below=None if threshold is _NEVER else threshold,
        set_extra_annotator=threshold is not None,
        overlap_k_max=k_max,
    )
    changed = update_project(db.session, project, changes)
    if _set_quality(project, quality):
        changed = [*changed, "quality control"]
    db.session.commit()
    _say(f'"{project.name}": ' + (f"changed {', '.join(changed)}" if changed else "nothing changed"))


@click.command("import-docs")
@click.argument("project_name")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("auto",) + FORMATS), default="auto", show_default=True)
@click.option("--text-column", default="text", show_default=True, help="CSV column holding the text.")
@click.option("--id-column", default="id", show_default=True, help="CSV column holding the document id.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    help="Largest document accepted (default: ANNOTATOR_MAX_DOCUMENT_BYTES, 20 MB).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes splitting documents (default: one per core for inputs over 2 MB).",
)
@click.option(
    "--already-split",
    is_flag=True,
    help="Each document is one passage, as given: nothing is split or left out "
    "(a corpus of one claim per line or row).",
)
@with_appcontext
def import_docs(project_name, paths, fmt, text_column, id_column, max_bytes, workers, already_split) -> None:
    """Import documents (txt, md, jsonl, csv, html; folders are walked) into a project."""
    from annotator.administration.projects import find_project
    from annotator.importing.service import ImportSettings

    project = find_project(db.session, project_name)
    files = list(_expand(paths))
    settings = ImportSettings(
        fmt=fmt,
        read=ReadOptions(max_bytes or current_app.config["MAX_DOCUMENT_BYTES"], text_column, id_column),
        max_passage_chars=current_app.config["MAX_PASSAGE_CHARS"],
        workers=workers or _default_workers(files),
        already_split=already_split,
    )
    counts = _run_import(project, files, settings)
    click.echo(
        f"{counts['imported']} imported ({counts['passages']} passages), "
        f"{counts['skipped']} skipped as identical, {counts['rejected']} rejected",
        err=True,
    )
    if counts["rejected"]:
        sys.exit(1)


def _run_import(project, files: list[Path], settings: "ImportSettings") -> dict[str, int]:
    """Commit after every batch: the write lock is held for one batch's writes, so that the
    server's annotators keep working during a long import."""
    from annotator.importing.service import import_batches

    counts = dict.fromkeys(("imported", "skipped", "rejected", "notice", "passages"), 0)
    with _progress(files) as advance:
        for batch in import_batches(db.session, project, files, settings):
            db.session.commit()
            give_other_writers_a_turn(db.session)
            for outcome in batch:
                counts[outcome.status] += 1
                counts["passages"] += outcome.passages
                if outcome.status in ("rejected", "notice"):
                    _say(str(outcome), err=True)
                advance(outcome)
    return counts


@contextmanager
def _progress(files: list[Path]):
    """A progress bar on a terminal, by bytes of input: within a file by the size of the
    documents read, and the whole file once the next begins; nothing when redirected."""
    if not sys.stderr.isatty():
        yield lambda outcome: None
        return
    sizes = {str(path): file_size(path) for path in files}
    done = {"files": 0, "current": None, "within": 0}

    def advance(outcome) -> None:
        if outcome.path != done["current"]:
            if done["current"] is not None:
                done["files"] += sizes.get(done["current"], 0)
            done["current"], done["within"] = outcome.path, 0
        done["within"] = min(done["within"] + outcome.size, sizes.get(outcome.path, 0))
        bar.update(done["files"] + done["within"] - bar.pos)

    with click.progressbar(length=sum(sizes.values()), label="importing", file=sys.stderr) as bar:
        yield advance
        bar.update(bar.length - bar.pos)


def _default_workers(files: list[Path]) -> int:
    """Worker processes pay off only once there is enough to split."""
    if sum(file_size(path) for path in files) < PARALLEL_FROM_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _expand(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


@click.command("import-annotations")
@click.argument("project_name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-users", is_flag=True, help="Create annotator accounts (members of the project) for unknown names."
)
@click.option(
    "--gold",
    is_flag=True,
    help='Known answers (gold), one per line: passage, "labels", optional "explanation" and "onboarding".',
)
@with_appcontext
def import_annotations_command(project_name, path, create_users, gold) -> None:
    """Import label sets from a JSON Lines file (other tools, earlier projects), or gold answers (--gold)."""
    from annotator.administration.projects import find_project
    from annotator.importing.labels import ImportCounts, import_annotations

    project = find_project(db.session, project_name)
    if gold:
        return _import_gold(project, path)
    counts = ImportCounts()
    for rejection in import_annotations(db.session, project, path, counts, create_users):
        if rejection is None:
            db.session.commit()
        else:
            _say(rejection, err=True)
    db.session.commit()
    created = f", {len(counts.users_created)} annotator accounts created" if counts.users_created else ""
    click.echo(
        f"{counts.added} label sets added, {counts.changed} changed, {counts.unchanged} unchanged, "
        f"{counts.rejected} rejected{created}",
        err=True,
    )
    if counts.rejected:
        sys.exit(1)


def _import_gold(project, path: Path) -> None:
    from annotator.quality.gold_import import GoldImportCounts, import_gold

    counts = GoldImportCounts()
    for rejection in import_gold(db.session, project, path, counts):
        _say(rejection, err=True)
    db.session.commit()
    click.echo(f"{counts.imported} gold passages imported, {counts.rejected} rejected", err=True)
    if counts.rejected:
        sys.exit(1)


@click.command("agreement")
@click.argument("project_name")
@click.option("--json", "as_json", is_flag=True, help="Every figure as JSON (the dashboard's figures).")
@click.option("--refresh", is_flag=True, help="Compute again even if no label changed since the last time.")
@with_appcontext
def agreement(project_name, as_json, refresh) -> None:
    """Print the project's agreement figures: alpha per field with its interval, kappas, percent agreement."""
    import orjson

    from annotator.administration.projects import find_project
    from annotator.project_agreement.snapshot import agreement_figures
    from annotator.quality.accuracy import gold_figures

    project = find_project(db.session, project_name)
    result = agreement_figures(db.session, project, refresh)
    gold = gold_figures(db.session, project.id)
    db.session.commit()
    if as_json:
        figures = {**result.figures, "gold_accuracy": gold}
        sys.stdout.buffer.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")
        return
    click.echo(_agreement_text(result.figures))
    click.echo("\n".join(_gold_accuracy_lines(gold)))


def _gold_accuracy_lines(gold: dict) -> list[str]:
    """Each annotator's accuracy on gold with its 95% interval (none when nobody answered gold)."""
    lines = []
    for annotator in gold["annotators"]:
        overall = annotator["overall"]
        if overall["scored"]:
            flag = " (paused)" if annotator["paused"] else ""
            lines.append(
                f"gold accuracy {annotator['username']}: {overall['accuracy']:.3f} "
                f"[{overall['low']:.3f}, {overall['high']:.3f}] on {annotator['gold_answers']} gold passages{flag}"
            )
    return lines


def _agreement_text(figures: dict) -> str:
    lines = [
        f"{figures['label_sets']} label sets on {figures['units']} passages",
        "",
        f"{'field':30} {'level':8} {'alpha':>7} {'95% interval':>16} {'units':>7} {'pairable':>9} "
        f"{'agree %':>8} {'Fleiss':>7}",
    ]
    for name, field in figures["fields"].items():
        low, high = field["alpha_ci"]
        interval = "-" if low is None else f"{low:.3f}..{high:.3f}"
        percent = "-" if field["percent_agreement"] is None else f"{100 * field['percent_agreement']:.1f}"
        lines.append(
            f"{name:30} {field['level']:8} {_number(field['alpha']):>7} {interval:>16} {field['units']:>7} "
            f"{field['pairable_values']:>9} {percent:>8} {_number(field['fleiss_kappa']):>7}"
        )
    lines += _unconverged_warnings(figures)
    lines += ["", f"{'annotator':20} {'label sets':>10}  agreement with the others per field"]
    for annotator in figures["annotators"]:
        shares = "  ".join(f"{name}={_number(values['agreement'], 2)}" for name, values in annotator["fields"].items())
        lines.append(f"{annotator['username']:20} {annotator['label_sets']:>10}  {shares}")
    return "\n".join(printable(line) for line in lines + _record_lines(figures) + _accuracy_lines(figures))


def _number(value, digits=3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _unconverged_warnings(figures: dict) -> list[str]:
    """A warning per field whose Dawid-Skene fit reached its iteration cap before converging."""
    warnings = [
        f"warning: Dawid-Skene stopped at its cap of {field['dawid_skene']['iterations']:,} iterations on {name} "
        f"before converging: its estimates, and the gold labels they decide, may still change"
        for name, field in figures["fields"].items()
        if field["dawid_skene"] is not None and not field["dawid_skene"]["converged"]
    ]
    return ["", *warnings] if warnings else []


def _record_lines(figures: dict) -> list[str]:
    """Agreement on each span field and evidence field, in words."""
    lines = []
    for name, spans in figures.get("spans", {}).items():
        alpha_u = spans["alpha_u"]
        lines += [
            "",
            f"{name} (spans): alpha-u {_number(alpha_u['alpha'])} {_interval(alpha_u['interval'])} over "
            f"{spans['annotated_passages']} passages, {spans['spans']} spans; span F1 exact "
            f"{_number(spans['f1']['exact'])}, overlap {_number(spans['f1']['overlap'])}",
        ]
        for sub_name, sub in spans["sub_fields"].items():
            per_value = ""
            if "alpha_u" in sub:
                values = ", ".join(
                    f"{value} {_number(one['alpha'])}" for value, one in sub["alpha_u"]["labels"].items()
                )
                per_value = f"; alpha-u {_number(sub['alpha_u']['alpha'])} ({values})"
            lines.append(
                f"  {sub_name}: alpha {_number(sub['alpha'])} {_interval(sub['alpha_ci'])} over {sub['units']} "
                f"matched spans{per_value}"
            )
        lines += [_evidence_line(f"  {evidence_name}", one) for evidence_name, one in spans["evidence"].items()]
    evidence = figures.get("evidence", {})
    return lines + ([""] if evidence else []) + [_evidence_line(name, one) for name, one in evidence.items()]


def _evidence_line(name: str, evidence: dict) -> str:
    same = "-" if evidence["same_source"] is None else f"{100 * evidence['same_source']:.0f}%"
    return (
        f"{name} (evidence): relation alpha {_number(evidence['alpha'])} {_interval(evidence['alpha_ci'])} over "
        f"{evidence['units']} units; same sources {same} (mean Jaccard over {evidence['source_pairs']} pairs)"
    )


def _interval(interval: list) -> str:
    return "" if interval[0] is None else f"[{interval[0]:.3f}, {interval[1]:.3f}]"


def _accuracy_lines(figures: dict) -> list[str]:
    """Each annotator's estimated accuracy per field, or why there is none."""
    lines = ["", f"{'annotator':31} estimated accuracy (Dawid-Skene) per field"]
    not_estimable = False
    for annotator in figures["annotators"]:
        accuracies = []
        for name, values in annotator["fields"].items():
            not_estimable |= values["estimated_accuracy_note"] is not None
            shown = "not estimable" if values["estimated_accuracy_note"] else _number(values["estimated_accuracy"], 2)
            accuracies.append(f"{name}={shown}")
        lines.append(f"{annotator['username']:31} {'  '.join(accuracies)}")
    if not_estimable:
        lines.append(
            "(not estimable: the annotator shares no passage with another, so nothing tells how reliable they are)"
        )
    return lines


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(username, role, password_stdin) -> None:
    """Create a user account (asks for the password unless --password-stdin)."""
    from annotator.users.services import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_user(db.session, username, password, role)
    db.session.commit()
    _say(f'created {user.role} "{user.username}"')


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def create_token_command(username, name) -> None:
    """Create an API token for a user and print it (it is not shown again)."""
    from annotator.users.models import User
    from annotator.users.tokens import create_token

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active:
        raise _Refused(f'no active user named "{username}"')
    _, plain = create_token(db.session, user, name)
    db.session.commit()
    click.echo(plain)


@click.command("add-member")
@click.argument("project_name")
@click.argument("username")
@click.option("--role", type=click.Choice(MEMBER_ROLES), required=True)
@with_appcontext
def add_member_command(project_name, username, role) -> None:
    """Make a user an annotator or reviewer of a project."""
    from annotator.administration.projects import add_member, find_project

    project = find_project(db.session, project_name)
    _, added = add_member(db.session, project, username, role)
    db.session.commit()
    _say(f'{username} {"is now" if added else "already was"} {role} of "{project.name}"')


@click.command("withdraw-document")
@click.argument("project_name")
@click.argument("document_id")
@click.option("--reason", default="", help="Why, for the audit trail.")
@with_appcontext
def withdraw_document_command(project_name, document_id, reason) -> None:
    """Take a document (by its own id) out of annotation and the training export; its labels stay
    in the audit and backup exports."""
    from annotator.administration.projects import find_project
    from annotator.curation import service as curation

    project = find_project(db.session, project_name)
    document = curation.document_named(db.session, project, document_id)
    curation.withdraw_document(db.session, project, document.id, None, reason)
    db.session.commit()
    _say(f'withdrew "{document.external_id}" from "{project.name}"')


@click.command("remove-document")
@click.argument("project_name")
@click.argument("document_id")
@click.option("--reason", default="", help="Why, for the audit trail.")
@with_appcontext
def remove_document_command(project_name, document_id, reason) -> None:
    """Delete a document (by its own id) that nobody has labelled, with its passages."""
    from annotator.administration.projects import find_project
    from annotator.curation import service as curation

    project = find_project(db.session, project_name)
    document = curation.document_named(db.session, project, document_id)
    external_id = document.external_id
    curation.remove_document(db.session, project, document.id, None, reason)
    db.session.commit()
    _say(f'removed "{external_id}" from "{project.name}"')


@click.command("archive")
@click.argument("project_name")
@click.option("--reason", default="", help="Why, for the audit trail.")
@with_appcontext
def archive_command(project_name, reason) -> None:
    """Archive a project: hidden from its annotators, read-only until unarchived."""
    from annotator.administration.projects import find_project
    from annotator.curation import service as curation

    project = find_project(db.session, project_name)
    curation.archive_project(db.session, project, None, reason)
    db.session.commit()
    _say(f'archived "{project.name}"')


@click.command("unarchive")
@click.argument("project_name")
@click.option("--reason", default="", help="Why, for the audit trail.")
@with_appcontext
def unarchive_command(project_name, reason) -> None:
    """Open an archived project again."""
    from annotator.administration.projects import find_project
    from annotator.curation import service as curation

    project = find_project(db.session, project_name)
    curation.unarchive_project(db.session, project, None, reason)
    db.session.commit()
    _say(f'unarchived "{project.name}"')


@click.command("export")
@click.argument("project_name")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (.gz for gzip); default standard output.",
)
@click.option("--csv", "as_csv", is_flag=True, help="training: CSV instead of JSON Lines.")
@click.option("--context", is_flag=True, help="training: the text of the passages before and after.")
@click.option("--names", is_flag=True, help="training: annotators' usernames instead of pseudonyms.")
@click.option(
    "--min-agreement",
    type=click.FloatRange(0, 1),
    help="training: only passages whose lowest field agreement reaches this.",
)
@click.option("--adjudicated-only", is_flag=True, help="training: only passages a reviewer decided.")
@click.option(
    "--all-passages", is_flag=True, help="training: also the annotatable passages nobody labelled (every label null)."
)
@click.option("--fields", help="training: only these fields, comma-separated.")
@click.option("--split", "split_text", help="training: train/dev/test shares by document, e.g. 80/10/10.")
@click.option("--seed", default=0, show_default=True, type=int, help="training: the seed of the split.")
@with_appcontext
def export(
    project_name,
    kind,
    output,
    as_csv,
    context,
    names,
    min_agreement,
    adjudicated_only,
    all_passages,
    fields,
    split_text,
    seed,
) -> None:
    """Export a project: passages, annotations, training, fever, audit or backup (JSON Lines)."""
    from annotator.administration.projects import find_project
    from annotator.exporting.kinds import ExportRequest, export_lines
    from annotator.exporting.splits import parse_split
    from annotator.exporting.training_options import TrainingOptions

    project = find_project(db.session, project_name)
    try:
        options = TrainingOptions(
            context=context,
            names=names,
            min_agreement=min_agreement,
            adjudicated_only=adjudicated_only,
            fields=_field_names(fields),
            split=parse_split(split_text) if split_text else None,
            seed=seed,
            all_passages=all_passages,
        )
        lines = export_lines(db.session, project, ExportRequest(kind, as_csv, options))
    except ValueError as error:
        raise _Refused(str(error)) from None
    count = _write_lines(lines, output)
    db.session.rollback()  # the export's read transaction
    click.echo(f"exported {count} {kind} lines", err=True)


def _field_names(text: str | None) -> tuple[str, ...] | None:
    return tuple(name.strip() for name in text.split(",") if name.strip()) if text else None


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore(path) -> None:
    """Rebuild a project from a backup export, into an empty database."""
    from annotator.exporting.restore import restore_backup

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as lines:
        project = restore_backup(db.session, lines, path.name)
    db.session.commit()
    _say(
        f'restored project "{project.name}" (id {project.id}); accounts have no password until an admin '
        f"sets one (annotator reset-password USERNAME)",
        err=True,
    )


@click.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@with_appcontext
def reset_password_command(username, password_stdin) -> None:
    """Set a user's password (their sessions end and their API tokens are revoked)."""
    from annotator.users.models import User
    from annotator.users.services import reset_password

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise _Refused(f'no user named "{username}"')
    password = (
        sys.stdin.readline().rstrip("\r\n")
        if password_stdin
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    reset_password(db.session, user, password)
    db.session.commit()
    _say(f'new password set for "{username}"; their sessions have ended and their API tokens are revoked')


def _write_lines(lines, output: Path | None) -> int:
    """Write lines to the file (gzipped for `.gz`) or standard output; return their number. A
    file is written beside its place and put there once complete: an export that fails half-way
    leaves no half file, nor replaces an earlier one."""
    if output is None:
        return _write_to(sys.stdout.buffer, lines)
    partial = output.with_name(f".{output.name}.partial")
    try:
        with gzip.open(partial, "wb") if output.suffix == ".gz" else open(partial, "wb") as stream:
            count = _write_to(stream, lines)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_to(stream, lines) -> int:
    count = 0
    for line in lines:
        stream.write(line)
        count += 1
    return count


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1), help="Threads per process.")
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Server processes sharing the port (see docs/deployment.md; on SQLite they share one writer).",
)
@with_appcontext
def serve(host, port, threads, processes) -> None:
    """Serve the application with a multi-threaded WSGI server (waitress), in one process or
    several sharing the port; Ctrl+C stops it."""
    import logging
    import socket

    from annotator.exporting.kinds import load_exporters
    from annotator.web.pages import add_pages

    logging.basicConfig()  # waitress's warnings (a full task queue) reach the terminal, as waitress.serve does
    try:  # bound before anything is printed: a taken port is one line, not "serving on" and a traceback
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        listening = socket.create_server((host, port), family=family, backlog=1024)
    except OSError as error:  # socket.gaierror too: a host name that does not resolve
        raise _Refused(_cannot_listen(host, port, error)) from None
    _interrupt_unfinished_imports()
    app = current_app._get_current_object()
    add_pages(app)  # the command line's application has none until now (annotator.__main__)
    load_exporters()
    if processes == 1:
        _say(f"serving on http://{host}:{port} ({threads} threads); Ctrl+C stops it")
        _run_server(app, listening, threads)
        return
    _say(f"serving on http://{host}:{port} ({processes} processes of {threads} threads); Ctrl+C stops them all")
    from annotator.server_processes import serve_in_processes

    db.engine.dispose()  # no connection of this process may be shared with the children
    serve_in_processes(processes, lambda: _run_server(app, listening, threads))
    click.echo("stopped")


def _run_server(app, listening, threads: int) -> None:
    from waitress import create_server

    server = create_server(app, sockets=[listening], threads=threads, ident="annotator")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")


def _interrupt_unfinished_imports() -> None:
    """Import jobs left running by the server's last run lost their runner: say so on their pages."""
    from annotator.importing.job_runner import imports_folder
    from annotator.importing.jobs import interrupt_unfinished_jobs

    if not sa.inspect(db.engine).has_table("import_job"):
        return  # a database not made yet (init-db): every page will say so
    interrupted = interrupt_unfinished_jobs(db.session, imports_folder(current_app))
    db.session.commit()
    if interrupted:
        click.echo(
            f"{interrupted} upload imports were interrupted when the server last stopped; their pages say so", err=True
        )


def _cannot_listen(host: str, port: int, error: OSError) -> str:
    other = port + 1 if port < 65535 else 5001
    choose = f"choose another with `make run PORT={other}` or `annotator serve --port {other}`"
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is taken (another annotator or program is serving there): {choose}"
    if error.errno == errno.EACCES:
        return f"port {port} on {host} needs administrator rights (ports below 1024 do): {choose}"
    return f"cannot serve on {host} port {port}: {error.strerror or error}"


@click.command("setup-demo")
@with_appcontext
def setup_demo() -> None:
    """Create the demo project and a demo admin (once), and print the admin's credentials."""
    from annotator.demo import ensure_demo

    credentials, created = ensure_demo(db.session, current_app.instance_path, current_app.config)
    db.session.commit()
    click.echo(("created" if created else "found") + " the demo project")
    click.echo(f"demo admin: username {credentials[0]}  password {credentials[1]}")
