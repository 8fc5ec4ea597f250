"""The pages of the application: its blueprints, request hooks and the guidelines' Markdown
filter, added to an application once. The factory adds them (annotator.app.create_app); the
command line's application has none until `annotator serve` adds them, since importing the views
and everything they use is most of a command's start-up."""

from flask import Flask

from annotator.projects.guidelines import render_guidelines
from annotator.web import (
    account,
    admin,
    annotate,
    api,
    api_curation,
    api_data,
    api_quality,
    auth,
    curation,
    data,
    discussion,
    errors,
    exports,
    feedback,
    headers,
    main,
    projects,
    quality,
    request_text,
    review,
    security,
)

BLUEPRINTS = (
    errors.bp,
    auth.bp,
    account.bp,
    api.bp,
    api_curation.bp,
    api_data.bp,
    admin.bp,
    projects.bp,
    annotate.bp,
    review.bp,
    exports.bp,
    data.bp,
    main.bp,
    curation.bp,
    quality.bp,
    api_quality.bp,
    discussion.bp,
    feedback.bp,
    feedback.api_bp,
)


def add_pages(app: Flask) -> None:
    """Add the pages, unless the application has them already; before it serves a request."""
    if "annotator.pages" in app.extensions:
        return
    request_text.init_app(app)
    security.init_app(app)
    headers.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.add_template_filter(render_guidelines, "markdown")
    app.extensions["annotator.pages"] = True
