"""Project templates: the annotation protocols fact-checkers use, ready to start a project from.
Each is a label schema and short guidelines that say where its labels come from; the files are
package data in `template_files/` (NAME.json, NAME.md), except the default claim schema, which
stays annotator.schema's. The command line and the new-project form both start a project through
`project_start`, so a template means the same on either."""

import json
from dataclasses import dataclass
from importlib import resources

from annotator.domain_errors import Invalid
from annotator.schema import default_definition

FILES = resources.files(__package__) / "template_files"


class TemplateError(Invalid):
    """A template that does not exist, or cannot be used as asked."""


@dataclass(frozen=True)
class ProjectTemplate:
    name: str
    description: str  # one line, shown where a template is chosen
    schema_file: str | None = None  # None: the default claim schema
    needs_target: bool = False  # its labels are judged toward the project's target

    def schema(self) -> dict:
        """A fresh copy of the template's label schema definition (callers may change theirs)."""
        if self.schema_file is None:
            return default_definition()
        return json.loads((FILES / self.schema_file).read_text(encoding="utf-8"))

    def guidelines(self) -> str:
        """The template's guidelines (Markdown), citing where its labels come from."""
        return (FILES / f"{self.name}.md").read_text(encoding="utf-8")


DEFAULT_TEMPLATE = "claims"
TEMPLATES: tuple[ProjectTemplate, ...] = (
    ProjectTemplate("claims", "Claim type, stance toward the target and verifiability of each passage (the default)."),
    ProjectTemplate(
        "claimbuster",
        "ClaimBuster: non-factual, unimportant factual or check-worthy factual sentence (Hassan et al. 2017).",
        "claimbuster.json",
    ),
    ProjectTemplate(
        "checkthat",
        "CLEF CheckThat! check-worthiness: verifiable claim, then false information, public interest, harm "
        "and need to verify on Likert scales; harm and attention for everyone (CheckThat! 2021/2022).",
        "checkthat.json",
    ),
    ProjectTemplate(
        "fever",
        "FEVER: mark each claim, its verdict (supports / refutes / not enough info) and evidence sets "
        "(Thorne et al. 2018).",
        "fever.json",
    ),
    ProjectTemplate(
        "semeval-stance",
        "SemEval-2016 Task 6 stance: favor, against or none toward the project's target (Mohammad et al. 2016).",
        "semeval-stance.json",
        needs_target=True,
    ),
    ProjectTemplate(
        "fnc-1",
        "Fake News Challenge FNC-1 stance of a body toward its headline: agree, disagree, discuss or unrelated.",
        "fnc-1.json",
    ),
    ProjectTemplate(
        "claim-extraction",
        "Claim extraction: mark each claim, with its type, stance, verifiability and the claim rewritten.",
        "claim-extraction.json",
    ),
)
TEMPLATE_NAMES = tuple(template.name for template in TEMPLATES)


def template_named(name: str) -> ProjectTemplate:
    """The template of this name; TemplateError naming every template otherwise."""
    for template in TEMPLATES:
        if template.name == name:
            return template
    raise TemplateError(f'no template named "{name}": the templates are {", ".join(TEMPLATE_NAMES)}')


@dataclass(frozen=True)
class ProjectStart:
    schema: dict
    guidelines: str


def project_start(template: str | None, schema: dict | None, guidelines: str | None, target: str) -> ProjectStart:
    """What a new project starts with: a schema of its own, or a template's schema (the default
    template when neither is given); guidelines given win over the template's. A template and a
    schema of its own together are refused, as is a template judged toward a target without one."""
    if schema is not None:
        if template is not None:
            raise TemplateError(
                f'both a template ("{template}") and a schema file were given: choose one '
                "(the template brings its own schema)"
            )
        return ProjectStart(schema, guidelines or "")
    chosen = template_named(template or DEFAULT_TEMPLATE)
    if chosen.needs_target and not target.strip():
        raise TemplateError(
            f'the "{chosen.name}" template judges stance toward the project\'s target: give the project a target'
        )
    return ProjectStart(chosen.schema(), guidelines or chosen.guidelines())
