"""The Flask extension objects, made here once and bound to an application by the factory
(annotator.app): the database handle, htmx, sign-in sessions, CSRF and migrations. Modules
import them from here, never from the factory, so that no blueprint imports the app."""

from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from annotator.db import Base

db = SQLAlchemy(model_class=Base)
htmx = HTMX()
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate(compare_type=True, render_as_batch=True)  # the scripts ship inside the package
