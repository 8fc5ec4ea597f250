"""A project's quality-control settings: the gold rate, the pausing rule and the onboarding
round, checked here (and by the database) before they are stored."""

from dataclasses import dataclass, fields

import sqlalchemy.orm as so

from annotator.domain_errors import Invalid
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project


class QualitySettingsError(Invalid):
    """A quality-control setting out of its range."""


@dataclass(frozen=True)
class QualitySettings:
    gold_every: int | None = None  # one passage in N is a gold check
    pause_below: float | None = None  # gold accuracy under which an annotator is paused
    pause_after_gold: int = 5  # gold answers before the pausing rule applies
    onboarding_required: bool = False
    onboarding_pass_mark: float = 0.8
    onboarding_attempts: int = 3

    @classmethod
    def of(cls, project: Project) -> "QualitySettings":
        return cls(**{field.name: getattr(project, field.name) for field in fields(cls)})

    def problems(self) -> list[str]:
        checks = [
            (self.gold_every is None or self.gold_every >= 2, "the gold rate is one in 2 or more passages"),
            (self.pause_below is None or 0 < self.pause_below <= 1, "the pausing threshold is between 0 and 1"),
            (self.pause_after_gold >= 1, "the pausing rule needs at least one gold answer"),
            (0 < self.onboarding_pass_mark <= 1, "the onboarding pass mark is between 0 and 1"),
            (self.onboarding_attempts >= 1, "onboarding allows at least one attempt"),
        ]
        return [problem for fine, problem in checks if not fine]


def set_quality_settings(session: so.Session, project: Project, settings: QualitySettings) -> None:
    """Store the project's quality settings; QualitySettingsError names what is out of range."""
    refuse_if_archived(project)
    problems = settings.problems()
    if problems:
        raise QualitySettingsError("; ".join(problems))
    for field in fields(settings):
        setattr(project, field.name, getattr(settings, field.name))
    session.flush()
