"""The project settings form of the admin pages: what the admin typed and uploaded, checked,
and turned into what the project services take."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import FileStorage

from annotator.schema import Schema, SchemaError
from annotator.projects.models import Project
from annotator.projects.services import ProjectChanges, ProjectError


@dataclass
class ProjectForm:
    """The form's values as typed (shown again when something is wrong) and what is wrong."""

    name: str = ""
    target: str = ""
    guidelines: str = ""
    overlap_k: str = "2"
    extra_annotator_below: str = ""  # empty: never
    schema: dict | None = None  # from an uploaded file; None keeps the default or current one
    errors: list[str] = field(default_factory=list)
    schema_problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, project: Project) -> "ProjectForm":
        below = "" if project.extra_annotator_below is None else f"{project.extra_annotator_below:g}"
        return cls(project.name, project.target, project.guidelines, str(project.overlap_k), below)

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.schema_problems)

    @property
    def overlap(self) -> int:
        return int(self.overlap_k)

    def changes(self) -> ProjectChanges:
        return ProjectChanges(name=self.name, target=self.target, guidelines=self.guidelines,
                              overlap_k=self.overlap, schema=self.schema,
                              extra_annotator_below=self.threshold, set_extra_annotator=True)

    @property
    def threshold(self) -> float | None:
        return float(self.extra_annotator_below) if self.extra_annotator_below else None

    def refused(self, error: ProjectError | SchemaError) -> "ProjectForm":
        """The form, with the reason a service refused it."""
        if isinstance(error, SchemaError):
            self.schema_problems += error.problems
        else:
            self.errors.append(str(error))
        return self


def read_project_form(form: Mapping[str, str], schema_file: FileStorage | None) -> ProjectForm:
    """The submitted form, checked. Browsers send a textarea's line breaks as CRLF: they are
    made LF again, or every save would look like new guidelines."""
    values = ProjectForm(
        name=form.get("name", "").strip(),
        target=form.get("target", "").strip(),
        guidelines=form.get("guidelines", "").replace("\r\n", "\n"),
        overlap_k=form.get("overlap_k", "").strip(),
        extra_annotator_below=form.get("extra_annotator_below", "").strip(),
    )
    if not _is_overlap(values.overlap_k):
        values.errors.append("overlap k must be a whole number, 1 or more")
    if not _is_threshold(values.extra_annotator_below):
        values.errors.append("the agreement below which a passage gets one more annotator is a number above 0 and at most 1, or empty")
    if schema_file is not None and schema_file.filename:
        _read_schema(values, schema_file.read())
    return values


def _is_overlap(text: str) -> bool:
    try:
        return int(text) >= 1
    except ValueError:
        return False


def _is_threshold(text: str) -> bool:
    if not text:
        return True
    try:
        return 0 < float(text) <= 1
    except ValueError:
        return False


def _read_schema(values: ProjectForm, content: bytes) -> None:
    try:
        values.schema = Schema.load(content.decode("utf-8-sig")).definition
    except UnicodeDecodeError:
        values.schema_problems.append("the file is not UTF-8 text: save it as UTF-8 and upload it again")
    except SchemaError as error:
        values.schema_problems += error.problems
