"""The password rule: at least 12 and at most 1,024 characters, not the username, not easy to
guess; the same rule, with the same message, on every path that sets a password."""

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from annotator.extensions import db
from annotator.users.models import User
from annotator.users.passwords import password_problem
from tests.conftest import PASSWORD, csrf_token_in

# What the review found accepted, and its neighbours: (password, what the message says)
REFUSED = [
    ("password", "has 8 characters"),
    ("12345678", "has 8 characters"),
    (" " * 8, "has 8 characters"),
    ("ada", "has 3 characters"),
    ("x" * 5_000_000, "has 5,000,000 characters; at most 1,024"),
    ("password1234", "too easy to guess"),
    ("aaaaaaaaaaaaaaaaaaaaaaaa", "too easy to guess"),
    (" " * 12, "too easy to guess"),
    ("qwertyuiop12", "too easy to guess"),
    ("Ada.Lovelace.1815", "must not contain the username"),
    ("my name is ADA lovelace", "must not contain the username"),
    ("lovelace1815", "must not contain the username"),  # part of the username
]


@pytest.mark.parametrize("password, reason", REFUSED, ids=[p[:12] for p, _ in REFUSED])
def test_weak_passwords_are_refused_saying_what_is_wrong_and_what_would_do(password, reason):
    username = "lovelace1815" if password == "lovelace1815" else "ada"
    problem = password_problem(password, username)
    assert problem is not None and reason in problem
    if "at most" not in problem:
        assert "at least 12 characters that are not a common password" in problem


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "tangerine submarine lighthouse",
        "Kx7#mq2Lp9&w",
        "é" * 3 + "zqjxvbnwkr" + "ж",
        "w" + "7q!Kd0" * 170 + "e",
    ],
)
def test_strong_passwords_of_12_to_1024_characters_are_accepted(password):
    assert len(password) <= 1024 and password_problem(password, "ada") is None


def test_a_two_letter_username_does_not_rule_out_every_password_that_contains_it():
    assert password_problem("almond tractor whistle", "al") is None


def post_form(client, page, url, **form):
    return client.post(url, data={"csrf_token": csrf_token_in(client.get(page).get_data(as_text=True)), **form})


def test_the_admin_accounts_page_applies_the_rule_to_new_accounts_and_new_passwords(client, make_user, login):
    make_user("root", "admin")
    ada = make_user("ada")
    login("root")
    created = post_form(client, "/admin/users", "/admin/users", username="bob", role="annotator", password="12345678")
    assert created.status_code == 422 and "the password has 8 characters" in created.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.id).where(User.username == "bob")) is None
    reset = post_form(client, "/admin/users", f"/admin/users/{ada.id}/password", password="ada-ada-ada-ada")
    assert "must not contain the username" in client.get(reset.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert check_password_hash(db.session.get(User, ada.id).password_hash, PASSWORD)


def test_the_settings_page_applies_the_rule_to_a_changed_password(client, make_user, login):
    ada = make_user("ada")
    login("ada")
    refused = post_form(client, "/account", "/account/password", current=PASSWORD, new="password")
    assert refused.status_code == 422 and "the password has 8 characters" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert check_password_hash(db.session.get(User, ada.id).password_hash, PASSWORD)


@pytest.mark.parametrize("command", [["create-user", "bob", "--role", "admin"], ["reset-password", "ada"]])
def test_the_commands_apply_the_rule(runner, make_user, command):
    make_user("ada")
    for weak, reason in [
        ("password", "has 8 characters"),
        ("x" * 5_000_000, "at most 1,024"),
        (command[1] * 4, "username"),
    ]:
        result = runner.invoke(args=[*command, "--password-stdin"], input=weak + "\n")
        assert result.exit_code == 1 and reason in result.stderr, result.stderr[:300]
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    db.session.expire_all()
    assert check_password_hash(db.session.scalar(sa.select(User.password_hash)), PASSWORD)


def test_the_demo_admin_password_passes_the_rule(runner):
    result = runner.invoke(args=["setup-demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password ")[1].strip()
    assert password_problem(password, "admin") is None


def test_passwords_are_hashed_with_strong_scrypt_unless_a_setting_says_otherwise(tmp_path, monkeypatch):
    from annotator import create_app
    from annotator.users.authentication import hash_password

    monkeypatch.delenv("ANNOTATOR_PASSWORD_HASH", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite3'}", "SECRET_KEY": "x"})
    with app.app_context():
        assert hash_password(PASSWORD).startswith("scrypt:32768:8:1$")
    assert hash_password(PASSWORD).startswith("scrypt:32768:8:1$")  # also outside any application


def test_the_hash_method_is_read_from_the_environment(tmp_path, monkeypatch):
    from annotator import create_app

    monkeypatch.setenv("ANNOTATOR_PASSWORD_HASH", "pbkdf2:sha256:600000")
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'e.sqlite3'}")
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "x")
    assert create_app().config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:600000"


@pytest.mark.parametrize("method", ["scrypt:32768:8:1", "scrypt:256:8:1", "pbkdf2:sha256:1000"])
def test_a_password_hashed_with_any_method_still_signs_in(method, make_user, login):
    from werkzeug.security import generate_password_hash

    ada = make_user("ada")
    ada.password_hash = generate_password_hash(PASSWORD, method=method)
    db.session.commit()
    assert login("ada").status_code == 303
    assert login("ada", "not the password at all").status_code == 401
