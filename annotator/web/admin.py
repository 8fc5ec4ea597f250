"""Admin pages: accounts, projects, their documents and who works on which project."""

import shutil

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.administration.projects import (
    ProjectError,
    add_member,
    create_project,
    members_of,
    remove_member,
    update_project,
)
from annotator.extensions import db, htmx
from annotator.importing.job_runner import imports_folder, start_in_background
from annotator.importing.jobs import documents_done, job_folder, job_of, outcomes_of, start_job, state_shown
from annotator.importing.readers import FORMATS
from annotator.importing.uploads import ImportReport
from annotator.projects.models import MEMBER_ROLES, Project
from annotator.projects.schema_store import schema_of
from annotator.projects.templates import DEFAULT_TEMPLATE, TemplateError, project_start
from annotator.quality.settings import QualitySettings, set_quality_settings
from annotator.schema import SchemaError
from annotator.splitting import WHOLE_PASSAGE_FACTOR
from annotator.users.models import ROLES, User
from annotator.users.services import UserError, all_users, create_user, reset_password, set_active
from annotator.web.forms import ActiveForm, MemberForm, NewAccountForm, PasswordResetForm, UploadForm
from annotator.web.project_form import TEMPLATE_CHOICES, ProjectForm
from annotator.web.quality_form import QualityForm
from annotator.web.security import roles_required
from annotator.web.unit_of_work import after_commit, discard_changes

bp = Blueprint("admin", __name__, url_prefix="/admin")
IMPORT_JOB = "import-job"  # the id of the fragment a job's page polls
TEMPLATE_GUIDELINES = "template-guidelines"  # the id of the guidelines a template choice fills


@bp.before_request
@roles_required("admin")
def _admins_only():
    """Every admin page is for admins only."""


@bp.get("/users")
def users():
    return _users_page()


@bp.post("/users")
def create_user_view():
    form = NewAccountForm()
    typed = {"username": form.username.data or "", "role": form.role.data or ""}  # never the password
    return _act(
        lambda: create_user(db.session, typed["username"], form.password.data or "", typed["role"]),
        "Account created.",
        url_for("admin.users"),
        refused=lambda error: (_users_page(new_account=typed, account_error=error), 422),
    )


@bp.post("/users/<int:user_id>/password")
def reset_password_view(user_id: int):
    user = _user(user_id)
    form = PasswordResetForm()
    return _act(
        lambda: reset_password(db.session, user, form.password.data or ""),
        f"New password set for {user.username}; their sessions have ended and their API tokens are revoked.",
        url_for("admin.users"),
    )


@bp.post("/users/<int:user_id>/active")
def set_active_view(user_id: int):
    user = _user(user_id)
    active = ActiveForm().reactivate
    if user.id == current_user.id and not active:
        return _refuse("You cannot deactivate your own account.", url_for("admin.users"))
    done = "reactivated" if active else "deactivated; their sessions have ended and their API tokens are revoked"
    return _act(lambda: set_active(db.session, user, active), f"{user.username} {done}.", url_for("admin.users"))


@bp.get("/projects/new")
def new_project():
    """The new-project form with a template's guidelines filled in; only the guidelines when
    the template choice asks for them (htmx)."""
    form = ProjectForm.starting_from(request.args.get("template", DEFAULT_TEMPLATE))
    if htmx and htmx.target == TEMPLATE_GUIDELINES:
        response = make_response(render_template("admin/_template_guidelines.html", form=form))
    else:
        response = make_response(_project_form(None, form))
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@bp.post("/projects")
def create_project_view():
    form, quality = ProjectForm.submitted(), QualityForm.submitted()
    if form.invalid or quality.problems:
        return _project_form(None, form, quality)
    try:
        start = project_start(form.template_name, form.definition, form.guidelines.data, form.target.data)
        project = create_project(
            db.session,
            form.name.data,
            target=form.target.data,
            guidelines=start.guidelines,
            overlap_k=form.overlap,
            schema=start.schema,
            extra_annotator_below=form.threshold,
            overlap_k_max=form.k_max,
        )
        set_quality_settings(db.session, project, quality.settings())
    except (ProjectError, SchemaError, TemplateError) as error:
        discard_changes()
        return _project_form(None, form.refused(error), quality)
    flash(f"Project {project.name} created.", "success")
    return redirect(url_for("projects.overview", project_id=project.id), code=303)


@bp.get("/projects/<int:project_id>/edit")
def edit_project(project_id: int):
    project = _project(project_id)
    return _project_form(project, ProjectForm.of(project))


@bp.post("/projects/<int:project_id>")
def update_project_view(project_id: int):
    project = _project(project_id)
    form, quality = ProjectForm.submitted(), QualityForm.submitted()
    if form.invalid or quality.problems:
        return _project_form(project, form, quality)
    try:
        changed = update_project(db.session, project, form.changes())
        if quality.settings() != QualitySettings.of(project):
            set_quality_settings(db.session, project, quality.settings())
            changed = [*changed, "quality control"]
    except (ProjectError, SchemaError) as error:
        discard_changes()
        return _project_form(project, form.refused(error), quality)
    flash(f"Saved: {', '.join(changed)}." if changed else "Nothing changed.", "success")
    return redirect(url_for("projects.overview", project_id=project.id), code=303)


@bp.get("/projects/<int:project_id>/documents")
def upload_documents(project_id: int):
    return _upload_page(_project(project_id))


@bp.post("/projects/<int:project_id>/documents")
def import_documents_view(project_id: int):
    project = _project(project_id)
    form = UploadForm()
    if (error := form.refusal()) is not None:
        return _upload_page(project, error=error), 422
    files = [(upload.filename, upload.stream) for upload in form.uploads]
    app, folder = current_app._get_current_object(), imports_folder(current_app)
    job = start_job(db.session, project, current_user.id, files, _import_options(form), folder)
    job_id, size = job.id, job.total_bytes
    # The job reads the row this request writes: it starts once the request's work is committed;
    # if it is not, nobody else would remove the saved files.
    after_commit(
        lambda: start_in_background(app, job_id, size),
        undo=lambda: shutil.rmtree(job_folder(folder, job_id), ignore_errors=True),
    )
    return redirect(url_for("admin.import_job_view", project_id=project.id, job_id=job_id), code=303)


@bp.get("/projects/<int:project_id>/imports/<int:job_id>")
def import_job_view(project_id: int, job_id: int):
    project = _project(project_id)
    job = job_of(db.session, project, job_id) or abort(404)
    state = state_shown(job)
    report = ImportReport(outcomes_of(db.session, job)) if state != "running" else None  # the table comes at the end
    context = {"job": job, "state": state, "done": documents_done(db.session, job), "report": report}
    if htmx and htmx.target == IMPORT_JOB:
        response = make_response(render_template("admin/_import_job.html", project=project, **context))
    else:
        response = make_response(_upload_page(project, **context))
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@bp.get("/projects/<int:project_id>/members")
def members(project_id: int):
    return _members_page(_project(project_id))


@bp.post("/projects/<int:project_id>/members")
def add_member_view(project_id: int):
    project = _project(project_id)
    form = MemberForm()
    chosen = {"username": form.username.data or "", "role": form.role.data or ""}
    return _act(
        lambda: add_member(db.session, project, chosen["username"], chosen["role"]),
        "Member added.",
        url_for("admin.members", project_id=project.id),
        refused=lambda error: (_members_page(project, chosen=chosen, member_error=error), 422),
    )


@bp.post("/projects/<int:project_id>/members/<int:member_id>/remove")
def remove_member_view(project_id: int, member_id: int):
    project = _project(project_id)
    return _act(
        lambda: remove_member(db.session, project, member_id),
        "Member removed.",
        url_for("admin.members", project_id=project.id),
    )


def _users_page(new_account: dict | None = None, account_error: str | None = None) -> str:
    """The accounts and the new-account form, filled with what was typed when it was refused."""
    return render_template(
        "admin/users.html",
        users=all_users(db.session),
        roles=ROLES,
        new_account=new_account or {"username": "", "role": "annotator"},
        account_error=account_error,
    )


def _members_page(project: Project, chosen: dict | None = None, member_error: str | None = None) -> str:
    return render_template(
        "admin/members.html",
        project=project,
        members=members_of(db.session, project),
        roles=MEMBER_ROLES,
        users=[u for u in all_users(db.session) if u.active],
        chosen=chosen or {},
        member_error=member_error,
    )


def _project_form(project: Project | None, form: ProjectForm, quality: QualityForm | None = None):
    """The new-project or edit form; shown again with what is wrong (422) when it has errors."""
    schema = schema_of(db.session, project) if project is not None else None
    quality = quality or QualityForm.of(project)
    page = render_template(
        "admin/project_form.html",
        project=project,
        form=form,
        schema=schema,
        template_choices=TEMPLATE_CHOICES,
        quality_form=quality,
    )
    return page, 422 if form.invalid or quality.problems else 200


def _upload_page(project: Project, **context) -> str:
    """The upload form, keeping the options chosen, with the results of an import if any."""
    return render_template(
        "admin/upload.html",
        project=project,
        formats=FORMATS,
        whole_passage_factor=WHOLE_PASSAGE_FACTOR,
        chosen=request.form,
        **context,
    )


def _import_options(form: UploadForm) -> dict:
    """What the import job needs of the form and the settings, as the import-docs command takes them."""
    return {
        "format": form.format.data,
        "text_column": form.text_column.data or "text",
        "id_column": form.id_column.data or "id",
        "max_document_bytes": current_app.config["MAX_DOCUMENT_BYTES"],
        "max_passage_chars": current_app.config["MAX_PASSAGE_CHARS"],
        "already_split": form.already_split.data,
    }


def _act(change, message: str, target: str, refused=None):
    """Run a change and say so, or show why it was refused (the request commits the one, rolls
    back the other): `refused(reason)` answers a form shown again with what was typed, else the
    reason is flashed on the target page."""
    try:
        change()
    except (UserError, ProjectError) as error:
        discard_changes()
        return refused(str(error)) if refused is not None else _refuse(str(error), target)
    flash(message, "success")
    return redirect(target, code=303)


def _refuse(message: str, target: str):
    flash(message, "error")
    return redirect(target, code=303)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _project(project_id: int) -> Project:
    return db.session.get(Project, project_id) or abort(404)
