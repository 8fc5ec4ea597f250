"""The forms views read, each a Flask-WTF form class with its validators: how every form
field is read, and what is wrong with it said as "Label: what is wrong". The bigger forms have
modules of their own (project_form.py, export_form.py, label_form.py).

CSRF: every state-changing request is checked once for the whole application, form or htmx
header (security.py); a FlaskForm skips its own check after that one has passed."""

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, Field, PasswordField, StringField
from wtforms.validators import Length

from annotator.importing.readers import FORMATS
from annotator.users.passwords import MAX_LENGTH as MAX_PASSWORD_LENGTH

MAX_USERNAME_LENGTH = 80  # User.username
MAX_TOKEN_NAME_LENGTH = 80  # ApiToken.name
MAX_COLUMN_NAME_LENGTH = 200


def stripped(value: str | None) -> str:
    return (value or "").strip()


def at_most(characters: int) -> Length:
    return Length(max=characters, message=f"at most {characters:,} characters")


def problems_of(form: FlaskForm) -> list[str]:
    """Every error of the form, each naming its field by the label the page shows."""
    return [f"{field.label.text}: {error}" for field in form for error in _errors_of(field)]


def _errors_of(field: Field) -> list[str]:
    errors = field.errors
    return list(errors.values()) if isinstance(errors, dict) else list(errors)


def first_problem(form: FlaskForm) -> str | None:
    problems = problems_of(form)
    return problems[0] if problems else None


# --- the signed-in user's own settings -------------------------------------------------------


class TokenForm(FlaskForm):
    name = StringField("What the token is for", filters=[stripped], validators=[at_most(MAX_TOKEN_NAME_LENGTH)])


class PasswordChangeForm(FlaskForm):
    # The new password's rule is the one every path applies (users/passwords.py), in the service.
    current = PasswordField("Current password", validators=[at_most(MAX_PASSWORD_LENGTH)])
    new = PasswordField("New password")


# --- the admin pages ---------------------------------------------------------------------------


class NewAccountForm(FlaskForm):
    # The username's and the role's rules are the service's (create_user), said as it says them.
    username = StringField("Username")
    role = StringField("Role")
    password = PasswordField("Password")


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password")


class ActiveForm(FlaskForm):
    active = StringField("Active")  # "1" reactivates; anything else deactivates

    @property
    def reactivate(self) -> bool:
        return self.active.data == "1"


class MemberForm(FlaskForm):
    username = StringField("User")
    role = StringField("Role")


class UploadForm(FlaskForm):
    files = MultipleFileField("Files")
    format = StringField("Format", default="auto")  # "auto" or one of FORMATS: see refusal()
    text_column = StringField("CSV text column", filters=[stripped], validators=[at_most(MAX_COLUMN_NAME_LENGTH)])
    id_column = StringField("CSV id column", filters=[stripped], validators=[at_most(MAX_COLUMN_NAME_LENGTH)])
    already_split = BooleanField("Already split")

    @property
    def uploads(self) -> list:
        """The files sent (a file input left empty still sends a part, with no file name)."""
        return [upload for upload in self.files.data or [] if getattr(upload, "filename", None)]

    def refusal(self) -> str | None:
        """What is wrong, in the page's words, or None."""
        if not self.uploads:
            return "Choose one or more files to import."
        if self.format.data not in ("auto",) + FORMATS:
            return f'"{self.format.data}" is not a format the importer reads.'
        return first_problem(self) if not self.validate() else None
