"""The password rule, in one place: every path that sets a password (the create-user and
reset-password commands, the admin's accounts page, the user's own settings page, the demo's
generated admin password) asks `password_problem` first.

Guessability is judged by zxcvbn (Dropbox's estimator, with its dictionaries of common
passwords, names, words and keyboard patterns shipped in the package, so it works offline)
rather than by a hand-made list or by composition rules, as NIST SP 800-63B advises."""

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1024  # as the sign-in form accepts: a longer password could never be typed in
# zxcvbn's score (0-4): 3 is "safely unguessable", at least 10^8 guesses; with scrypt hashes and
# throttled sign-in, that is out of reach of online guessing and costly offline.
MIN_SCORE = 3
# zxcvbn refuses longer input (its cost grows with the length); a longer password is judged
# by its first characters, so that "aaaa...a" is not accepted for being long.
JUDGED_CHARS = 72
# A username this short says nothing about a password that contains it ("al" in "always").
USERNAME_CHARS_TO_MATCH = 3
ACCEPTED = (
    "at least 12 characters that are not a common password, a name or a keyboard pattern: "
    "for example three or four unrelated words"
)


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with `password` for the account `username`, in words that also say what
    would be accepted; None when it may be used."""
    if len(password) < MIN_LENGTH:
        return f"the password has {len(password)} characters; use {ACCEPTED}"
    if len(password) > MAX_LENGTH:
        return f"the password has {len(password):,} characters; at most {MAX_LENGTH:,} are accepted"
    if _resembles_username(password, username):
        return f"the password must not contain the username or be part of it; use {ACCEPTED}"
    judged = zxcvbn(password[:JUDGED_CHARS], user_inputs=[username])
    if judged["score"] < MIN_SCORE:
        return f"the password is too easy to guess{_why(judged)}; use {ACCEPTED}"
    return None


def _resembles_username(password: str, username: str) -> bool:
    name, secret = username.strip().casefold(), password.casefold()
    if not name:
        return False
    return secret in name or (len(name) >= USERNAME_CHARS_TO_MATCH and name in secret)


def _why(judged: dict) -> str:
    """zxcvbn's own reason (such as "This is a top-10 common password."), as a clause."""
    warning = judged["feedback"]["warning"].strip().rstrip(".")
    return f" ({warning[:1].lower()}{warning[1:]})" if warning else ""
