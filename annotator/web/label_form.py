"""The label form of the annotate and review screens, built from the project's label schema:
each field type gives the form field its answer is read with (schema/types), so a new type
needs no change here. The answers' checks and messages ("Claim type: choose a value") are the
schema's, the same for a form, the API and an import."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from annotator.schema import Schema
from annotator.web.ids import id_arg

ANSWER_PREFIX = "label-"


class UnsureBox(BooleanField):
    """Ticked when the box sends "on", as a checkbox without a value does."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = bool(valuelist) and valuelist[0] == "on"


def _page_user(value: str | None) -> int | None:
    try:
        return id_arg(value) if value else None
    except ValueError:
        return None


class PageForm(FlaskForm):
    """What every form of the annotate screen sends: the user the page was made for."""

    page_user = StringField("Page opened by", filters=[_page_user])


class LabelFormBase(PageForm):
    """What every label form sends besides the answers."""

    note = StringField("Note", default="")
    unsure = UnsureBox("Unsure")
    client_time = StringField("Client time", filters=[lambda value: value or None])

    schema: Schema

    def labels(self) -> dict:
        """The answers sent, by field name."""
        return self.schema.answers({field.name: self[ANSWER_PREFIX + field.name].data for field in self.schema.fields})


def label_form(schema: Schema) -> LabelFormBase:
    """The label form the request sent, with one form field per field of the schema."""
    fields = {ANSWER_PREFIX + field.name: field.form_field() for field in schema.fields}
    form_class = type("LabelForm", (LabelFormBase,), {"schema": schema, **fields})
    return form_class()


class SkipForm(PageForm):
    reason = StringField("Reason", default="")
