"""The application factory."""

from pathlib import Path

from flask import Flask

from annotator.config import configure, trust_proxies
from annotator.db import engine_options
from annotator.extensions import db, htmx, migrate
from annotator.web.unit_of_work import answer_in_one_transaction


class Annotator(Flask):
    """Flask, with every view answered in one transaction (annotator.web.unit_of_work)."""

    def dispatch_request(self):
        return answer_in_one_transaction(super().dispatch_request)


def create_app(test_config: dict | None = None, pages: bool = True) -> Flask:
    """The application factory; `test_config` replaces the instance and environment settings.
    Without `pages`, the application has its models and commands but no pages yet: what the command
    line runs its commands on (annotator.__main__), since importing the views and everything they
    use is most of a command's start-up; annotator.web.pages adds them (`annotator serve` does)."""
    templates, static = _asset_folders()
    app = Annotator(
        __name__,
        instance_relative_config=True,
        template_folder=str(templates),
        static_folder=str(static),
    )
    configure(app, test_config)
    trust_proxies(app)
    _route_only_what_is_served(app)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)
    htmx.init_app(app)
    _register(app)
    app.extensions["annotator.app_factory"] = create_app  # for work done in a process of its own (import jobs)
    if pages:
        from annotator.web.pages import add_pages

        add_pages(app)
    return app


def _asset_folders() -> tuple[Path, Path]:
    """`templates/` and `static/` sit at the top of the repository; an installed wheel ships
    them inside the package."""
    package = Path(__file__).resolve().parent
    for root in (package, package.parent):
        if (root / "templates").is_dir() and (root / "static").is_dir():
            return root / "templates", root / "static"
    raise RuntimeError(f"templates/ and static/ not found beside {package}")


def _route_only_what_is_served(app: Flask) -> None:
    """Before any route is added: `<int:...>` takes only ids a row can have (annotator.web.ids),
    and no route answers OPTIONS by itself (nothing here is for other sites' scripts; an OPTIONS
    request gets 405 like any other method a route does not take)."""
    from annotator.web.ids import IdConverter

    app.url_map.converters["int"] = IdConverter
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False


def _register(app: Flask) -> None:
    from annotator import cli, models  # noqa: F401  (models: every table known to Alembic and the mappers)

    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    cli.init_app(app)
