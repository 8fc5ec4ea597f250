"""The project settings form of the admin pages: what the admin typed and uploaded, checked,
and turned into what the project services take."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField, ValidationError

from annotator.administration.projects import ProjectChanges, ProjectError
from annotator.projects.models import Project
from annotator.projects.templates import DEFAULT_TEMPLATE, TEMPLATE_NAMES, TEMPLATES, TemplateError, template_named
from annotator.schema import Schema, SchemaError
from annotator.web.forms import stripped

OVERLAP_PROBLEM = "overlap k must be a whole number, 1 or more"
K_MAX_PROBLEM = "k-max must be a whole number, 1 or more, or empty"
OWN_SCHEMA = ""  # the template choice "none: a schema file of the project's own"
NO_SCHEMA_PROBLEM = "choose a template, or upload a label schema file of your own"
THRESHOLD_PROBLEM = (
    "the agreement below which a passage gets one more annotator is a number above 0 and at most 1, or empty"
)


def _as_lf(text: str | None) -> str:
    """Browsers send a textarea's line breaks as CRLF: made LF again, or every save would look
    like new guidelines."""
    return (text or "").replace("\r\n", "\n")


def _whole_number_from_one(form, field) -> None:
    try:
        if int(field.data) >= 1:
            return
    except (TypeError, ValueError):
        pass
    raise ValidationError(OVERLAP_PROBLEM)


def _whole_number_or_empty(form, field) -> None:
    if not field.data:
        return
    if field.data.isdigit() and int(field.data) >= 1:
        return
    raise ValidationError(K_MAX_PROBLEM)


def _threshold_or_empty(form, field) -> None:
    if not field.data:
        return
    try:
        if 0 < float(field.data) <= 1:
            return
    except ValueError:
        pass
    raise ValidationError(THRESHOLD_PROBLEM)


TEMPLATE_CHOICES = [(template.name, f"{template.name}: {template.description}") for template in TEMPLATES] + [
    (OWN_SCHEMA, "None: my own label schema file (below)")
]


def _a_template(form, field) -> None:
    if field.data not in dict(TEMPLATE_CHOICES):
        raise ValidationError(f"{field.data!r} is not a template: choose one of {', '.join(TEMPLATE_NAMES)}")


class ProjectForm(FlaskForm):
    """The form's values as typed (shown again when something is wrong) and what is wrong: the
    service's own checks (the name) stay the service's."""

    name = StringField("Name", filters=[stripped])
    target = StringField("Target", filters=[stripped])
    guidelines = TextAreaField("Guidelines", filters=[_as_lf])
    overlap_k = StringField("Overlap k", filters=[stripped], default="2", validators=[_whole_number_from_one])
    extra_annotator_below = StringField(
        "One more annotator below", filters=[stripped], validators=[_threshold_or_empty]
    )
    # Empty: k + 1 with a threshold (or the room the project had above k), k without one.
    overlap_k_max = StringField("At most (k-max)", filters=[stripped], validators=[_whole_number_or_empty])
    schema = FileField("Label schema (JSON file)")
    template = StringField("Template", default=DEFAULT_TEMPLATE, validators=[_a_template])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        self.schema_problems: list[str] = []
        self.definition: dict | None = None  # from an uploaded file; None keeps the default or current one

    @classmethod
    def of(cls, project: Project) -> "ProjectForm":
        below = "" if project.extra_annotator_below is None else f"{project.extra_annotator_below:g}"
        return cls(
            formdata=None,
            data={
                "name": project.name,
                "target": project.target,
                "guidelines": project.guidelines,
                "overlap_k": str(project.overlap_k),
                "extra_annotator_below": below,
                "overlap_k_max": str(project.overlap_k_max) if project.overlap_k_max != project.overlap_k else "",
            },
        )

    @classmethod
    def starting_from(cls, template_name: str) -> "ProjectForm":
        """A new project's form with a template chosen and its guidelines filled in (none for
        a schema of the project's own)."""
        guidelines = template_named(template_name).guidelines() if template_name != OWN_SCHEMA else ""
        return cls(formdata=None, data={"template": template_name, "guidelines": guidelines})

    @classmethod
    def submitted(cls) -> "ProjectForm":
        """The form the request sent, checked, with the uploaded schema read."""
        form = cls()
        form.validate()
        form.problems = [error for field in form for error in field.errors]
        upload = form.schema.data
        if upload is not None and getattr(upload, "filename", None):
            form._read_schema(upload.read())
        elif form.template.raw_data == [OWN_SCHEMA]:
            form.problems.append(NO_SCHEMA_PROBLEM)
        return form

    @property
    def template_name(self) -> str | None:
        """The template chosen; None for a schema of the project's own, and for a form that
        does not offer the choice (a request without it keeps to the file or the default)."""
        return (self.template.data or None) if self.template.raw_data else None

    @property
    def invalid(self) -> bool:
        return bool(self.problems or self.schema_problems)

    @property
    def overlap(self) -> int:
        return int(self.overlap_k.data)

    @property
    def k_max(self) -> int | None:
        return int(self.overlap_k_max.data) if self.overlap_k_max.data else None

    @property
    def threshold(self) -> float | None:
        return float(self.extra_annotator_below.data) if self.extra_annotator_below.data else None

    def changes(self) -> ProjectChanges:
        return ProjectChanges(
            name=self.name.data,
            target=self.target.data,
            guidelines=self.guidelines.data,
            overlap_k=self.overlap,
            schema=self.definition,
            extra_annotator_below=self.threshold,
            set_extra_annotator=True,
            overlap_k_max=self.k_max,
        )

    def refused(self, error: ProjectError | SchemaError | TemplateError) -> "ProjectForm":
        """The form, with the reason a service refused it."""
        if isinstance(error, SchemaError):
            self.schema_problems += error.problems
        else:
            self.problems.append(str(error))
        return self

    def _read_schema(self, content: bytes) -> None:
        try:
            self.definition = Schema.load(content.decode("utf-8-sig")).definition
        except UnicodeDecodeError:
            self.schema_problems.append("the file is not UTF-8 text: save it as UTF-8 and upload it again")
        except SchemaError as error:
            self.schema_problems += error.problems
