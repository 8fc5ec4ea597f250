"""The `annotator` command (also `python -m annotator`): the commands of annotator.cli, on an
application made by the factory. Kept apart from annotator.cli, which the factory imports to
register the commands, so that neither imports the other.

The commands are the group's own, so that listing them (`annotator --help`) or reading one's
options makes no application, and a command runs on an application without its pages (their
imports, NumPy and the splitter among them, are most of the start-up): `annotator serve` adds
them (annotator.web.pages)."""

import click
from flask.cli import FlaskGroup
from flask_migrate.cli import db as migrations

from annotator import cli


class _Annotator(FlaskGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        """The group's commands and the plugins' (Flask-Migrate's `db`); FlaskGroup would make the
        application to add its `app.cli` commands, which are the same (annotator.cli.init_app)."""
        self._load_plugin_commands()
        return sorted(self.commands)


def _create_app():
    from annotator.app import create_app

    return create_app(pages=False)


def main() -> None:
    group = _Annotator(create_app=_create_app, add_default_commands=False, help="annotator: annotate claims in text.")
    for command in cli.commands():
        group.add_command(command)
    group.add_command(migrations, "db")  # what Migrate.init_app adds to the app's own commands
    group(prog_name="annotator")


if __name__ == "__main__":
    main()
