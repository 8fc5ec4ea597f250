"""The quality-control part of the project settings form (gold rate, pausing rule, onboarding):
read from the same request as the rest of the form, checked, and turned into QualitySettings."""

from dataclasses import dataclass, field

from flask import request

from annotator.projects.models import Project
from annotator.quality.settings import QualitySettings

NAMES = (
    "gold_every",
    "pause_below",
    "pause_after_gold",
    "onboarding_required",
    "onboarding_pass_mark",
    "onboarding_attempts",
)


@dataclass
class QualityForm:
    """The values as typed (shown again when something is wrong) and what is wrong with them."""

    values: dict[str, str]
    problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, project: Project | None) -> "QualityForm":
        settings = QualitySettings.of(project) if project is not None else QualitySettings()
        return cls({name: _shown(getattr(settings, name)) for name in NAMES})

    @classmethod
    def submitted(cls) -> "QualityForm":
        values = {name: (request.form.get(name) or "").strip() for name in NAMES}
        values["onboarding_required"] = "on" if request.form.get("onboarding_required") else ""
        form = cls(values)
        settings = form._read()
        if settings is not None:
            form.problems += settings.problems()
        return form

    def settings(self) -> QualitySettings:
        """The settings typed (call only when there are no problems)."""
        return self._read()

    def _read(self) -> QualitySettings | None:
        try:
            return QualitySettings(
                gold_every=_whole(self.values["gold_every"]) if self.values["gold_every"] else None,
                pause_below=_share(self.values["pause_below"]) if self.values["pause_below"] else None,
                pause_after_gold=_whole(self.values["pause_after_gold"] or "5"),
                onboarding_required=self.values["onboarding_required"] == "on",
                onboarding_pass_mark=_share(self.values["onboarding_pass_mark"] or "0.8"),
                onboarding_attempts=_whole(self.values["onboarding_attempts"] or "3"),
            )
        except ValueError as error:
            self.problems.append(str(error))
            return None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number (gold rate, pausing minimum, onboarding attempts)") from None


def _share(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number between 0 and 1 (pausing threshold, pass mark)") from None


def _shown(value) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    return f"{value:g}" if isinstance(value, float) else str(value)
