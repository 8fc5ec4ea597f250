"""Creating, finding and changing projects and their members: the project services, which call
on the passage lifecycle when a schema change makes labels stale. Services flush; the caller commits."""

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.assignment.lifecycle import labels_changed
from annotator.assignment.overlap import Overlap
from annotator.domain_errors import Invalid, NotFound
from annotator.projects.access import NoSuchProject, refuse_if_archived
from annotator.projects.models import MEMBER_ROLES, Project, ProjectGuidelines, ProjectMember, ProjectSchema
from annotator.projects.schema_store import schema_of
from annotator.schema import Schema, default_definition
from annotator.users.models import User

NAME_LENGTH = 200  # Project.name's column


class ProjectError(Invalid):
    """A project's settings or members refused."""


class NoSuchUser(ProjectError, NotFound):
    meaning = NotFound.meaning


def create_project(
    session: so.Session,
    name: str,
    target: str = "",
    guidelines: str = "",
    overlap_k: int = 2,
    schema: dict | None = None,
    extra_annotator_below: float | None = None,
    overlap_k_max: int | None = None,
) -> Project:
    """A new project with version 1 of its label schema (the default claim schema unless given).
    Its overlap is fixed at `overlap_k`, or adaptive with a threshold, up to `overlap_k_max`
    annotators (one more than k when not given: see `overlap_settings`)."""
    name = name.strip()
    _check_name(session, name)
    overlap = overlap_settings(overlap_k, overlap_k_max, extra_annotator_below)
    definition = default_definition() if schema is None else schema
    Schema.parse(definition)  # SchemaError naming every problem
    project = Project(
        name=name,
        target=target,
        guidelines=guidelines,
        overlap_k=overlap.k_min,
        overlap_k_max=overlap.k_max,
        schema_version=1,
        extra_annotator_below=overlap.below,
    )
    session.add(project)
    session.flush()
    session.add(ProjectSchema(project_id=project.id, version=1, definition=definition))
    session.add(_guidelines_version(project.id, 1, guidelines))
    session.flush()
    return project


def overlap_settings(k: int, k_max: int | None, below: float | None, earlier: Overlap | None = None) -> Overlap:
    """A project's overlap from its settings, checked. Without a threshold it is fixed (k-max
    is k); with one, k-max must be above k. A k-max not given follows: k without a threshold,
    else k plus the room the project had above k (one more annotator when it had none, as a
    threshold alone always meant)."""
    if k < 1:
        raise ProjectError("overlap k must be at least 1")
    if below is not None and not 0 < below <= 1:
        raise ProjectError("the agreement below which a passage gets one more annotator is between 0 and 1")
    if k_max is None:
        room = earlier.k_max - earlier.k_min if earlier is not None else 0
        k_max = k if below is None else k + max(room, 1)
    if k_max < k:
        raise ProjectError(f"k-max ({k_max}) is at least overlap k ({k})")
    if below is None and k_max > k:
        raise ProjectError("a k-max above overlap k needs an agreement threshold below which passages get one more")
    if below is not None and k_max == k:
        raise ProjectError("with a threshold, k-max must be above overlap k: room for at least one more annotator")
    return Overlap(k, k_max, below)


def _guidelines_version(project_id: int, version: int, text: str) -> ProjectGuidelines:
    return ProjectGuidelines(
        project_id=project_id, version=version, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest()
    )


@dataclass(frozen=True)
class ProjectChanges:
    """What an admin changes in a project; None leaves a setting as it is."""

    name: str | None = None
    target: str | None = None
    guidelines: str | None = None
    overlap_k: int | None = None
    schema: dict | None = None
    extra_annotator_below: float | None = None  # with set_extra_annotator
    set_extra_annotator: bool = False  # False leaves the threshold as it is (None is a value: never)
    overlap_k_max: int | None = None  # None follows k and the threshold (overlap_settings)


def update_project(session: so.Session, project: Project, changes: ProjectChanges) -> list[str]:
    """Apply the changes; a new schema or new guidelines become a new version (labels keep
    the version they were given under), a new k recounts which passages are complete, and
    either rebuilds the per-passage agreement the review queue reads (the fields measured, or
    which passages are complete, have changed). Returns the names of the settings that changed."""
    refuse_if_archived(project)
    changed = []
    if changes.name is not None and changes.name.strip() != project.name:
        _check_name(session, changes.name.strip())
        project.name = changes.name.strip()
        changed.append("name")
    if changes.target is not None and changes.target != project.target:
        project.target = changes.target
        changed.append("target")
    if changes.guidelines is not None and changes.guidelines != project.guidelines:
        project.guidelines, project.guidelines_version = changes.guidelines, project.guidelines_version + 1
        session.add(_guidelines_version(project.id, project.guidelines_version, changes.guidelines))
        changed.append("guidelines")
    if changes.schema is not None and changes.schema != schema_of(session, project).definition:
        Schema.parse(changes.schema)  # SchemaError naming every problem
        project.schema_version += 1
        session.add(ProjectSchema(project_id=project.id, version=project.schema_version, definition=changes.schema))
        changed.append("schema")
    changed += _change_overlap(project, changes)
    session.flush()
    if {"schema", "overlap k"} & set(changed):
        labels_changed(session, project)
    return changed


def _change_overlap(project: Project, changes: ProjectChanges) -> list[str]:
    """The threshold, k and k-max as changed (a new k-max applies to passages as they get
    their labels; a passage already given another annotator keeps it)."""
    earlier = Overlap.of(project)
    below = changes.extra_annotator_below if changes.set_extra_annotator else earlier.below
    k = changes.overlap_k if changes.overlap_k is not None else earlier.k_min
    overlap = overlap_settings(k, changes.overlap_k_max, below, earlier)
    changed = []
    if overlap.below != earlier.below:
        project.extra_annotator_below = overlap.below
        changed.append("one more annotator below")
    if overlap.k_min != earlier.k_min:
        project.overlap_k = overlap.k_min
        changed.append("overlap k")
    if overlap.k_max != earlier.k_max:
        project.overlap_k_max = overlap.k_max
        if changes.overlap_k_max is not None:  # else it followed k or the threshold, named above
            changed.append("k-max")
    return changed


def _check_name(session: so.Session, name: str) -> None:
    if not name:
        raise ProjectError("a project needs a name")
    if len(name) > NAME_LENGTH:
        raise ProjectError(f"a project name has at most {NAME_LENGTH} characters")
    if session.scalar(sa.select(Project.id).where(Project.name == name)) is not None:
        raise ProjectError(f'a project named "{name}" already exists')


def find_project(session: so.Session, name_or_id: str) -> Project:
    """The project with this name, or with this numeric id."""
    project = session.scalar(sa.select(Project).where(Project.name == name_or_id))
    if project is None and name_or_id.isdigit():
        project = session.get(Project, int(name_or_id))
    if project is None:
        raise NoSuchProject(f'no project named "{name_or_id}"')
    return project


def add_member(session: so.Session, project: Project, username: str, role: str) -> tuple[ProjectMember, bool]:
    """Make the user an annotator or reviewer of the project; returns the membership and
    whether it is new (adding an existing membership changes nothing)."""
    if role not in MEMBER_ROLES:
        raise ProjectError(f"a member's role is one of {', '.join(MEMBER_ROLES)}")
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NoSuchUser(f'no user named "{username}"')
    if not user.active:
        raise ProjectError(f'user "{username}" is deactivated')
    existing = session.scalar(
        sa.select(ProjectMember).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == user.id, ProjectMember.role == role
        )
    )
    if existing is not None:
        return existing, False
    member = ProjectMember(project_id=project.id, user_id=user.id, role=role)
    session.add(member)
    session.flush()
    return member, True


def projects_of(session: so.Session, user: User) -> list[Project]:
    """The projects a user may work on: all for an admin, else those they are a member of
    (archived ones only for their reviewers)."""
    query = sa.select(Project).order_by(Project.name)
    if not user.is_admin:
        memberships = sa.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
        reviewing = memberships.where(ProjectMember.role == "reviewer")
        query = query.where(
            Project.id.in_(memberships), sa.or_(Project.archived_at.is_(None), Project.id.in_(reviewing))
        )
    return list(session.scalars(query))


def members_of(session: so.Session, project: Project) -> list[tuple[ProjectMember, User]]:
    rows = session.execute(
        sa.select(ProjectMember, User)
        .join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == project.id)
        .order_by(User.username, ProjectMember.role)
    )
    return [tuple(row) for row in rows]


def remove_member(session: so.Session, project: Project, member_id: int) -> None:
    member = session.get(ProjectMember, member_id)
    if member is None or member.project_id != project.id:
        raise ProjectError("no such member of this project")
    session.delete(member)
    session.flush()
