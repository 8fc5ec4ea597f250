"""The `annotator` command (also `python -m annotator`): the commands of annotator.cli, on an
application made by the factory. Kept apart from annotator.cli, which the factory imports to
register the commands, so that neither imports the other."""

from flask.cli import FlaskGroup

from annotator.app import create_app


def main() -> None:
    FlaskGroup(create_app=lambda: create_app(), add_default_commands=False, help="annotator: annotate claims in text.")(
        prog_name="annotator"
    )


if __name__ == "__main__":
    main()
