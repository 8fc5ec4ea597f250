"""Sign-in throttling: growing delays per (username, address), so that nobody can lock anyone
else out; guessing one account from many addresses bounded without locking out its owner; the
check and the count one atomic step; the client's address from a trusted proxy only."""

import threading

import pytest
import sqlalchemy as sa

from annotator.config import trust_proxies
from annotator.extensions import db
from annotator.users.models import LoginThrottle
from annotator.users.throttling import FROM_NEW_ADDRESSES, PER_ADDRESS, network_of
from tests.conftest import PASSWORD, csrf_token_in

OWNERS = "10.0.0.1"
GUESSERS = "10.6.6.6"


@pytest.fixture
def attempt(app):
    """Sign in as `username` from `address` in a browser of its own; returns the response."""

    def attempt(username="ada", password="not the password", address=OWNERS, headers=None):
        browser = app.test_client()
        token = csrf_token_in(browser.get("/auth/login").get_data(as_text=True))
        return browser.post(
            "/auth/login",
            data={"csrf_token": token, "username": username, "password": password},
            environ_base={"REMOTE_ADDR": address},
            headers=headers or {},
        )

    return attempt


def statuses(responses) -> list[int]:
    return [response.status_code for response in responses]


def test_delays_double_with_each_failure_in_a_row_and_a_success_clears_them(make_user, attempt, clock):
    make_user("ada")
    assert statuses(attempt() for _ in range(PER_ADDRESS.free + 1)) == [401] * (PER_ADDRESS.free + 1)
    for wait in (2, 4, 8, 16):
        refused = attempt(password=PASSWORD)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == str(wait)
        assert f"Wait {wait} seconds, then try again." in refused.get_data(as_text=True)
        clock.advance(seconds=wait)
        assert attempt().status_code == 401
    clock.advance(seconds=32)
    assert attempt(password=PASSWORD).status_code == 303
    assert statuses(attempt() for _ in range(PER_ADDRESS.free)) == [401] * PER_ADDRESS.free


def test_the_longest_wait_is_a_quarter_of_an_hour(make_user, attempt, clock):
    make_user("ada")
    for _ in range(30):
        clock.advance(minutes=15)
        assert attempt().status_code == 401
    refused = attempt()
    assert refused.status_code == 429 and "Wait 15 minutes" in refused.get_data(as_text=True)


def test_guessing_from_one_address_never_locks_the_owner_out_at_theirs(make_user, attempt, clock):
    make_user("ada")
    assert attempt(password=PASSWORD).status_code == 303  # the owner's usual address
    for _ in range(40):
        attempt(address=GUESSERS)
        clock.advance(seconds=30)
    assert attempt(password=PASSWORD, address=GUESSERS).status_code == 429
    assert attempt(password=PASSWORD).status_code == 303


def test_failures_with_made_up_names_slow_down_nobody_else_at_that_address(make_user, attempt):
    make_user("ada")
    for number in range(30):
        assert attempt(f"nobody{number}", address=GUESSERS).status_code == 401
    assert attempt(password=PASSWORD, address=GUESSERS).status_code == 303


def test_guessing_one_account_from_many_addresses_is_bounded_and_its_owner_still_gets_in(make_user, attempt, clock):
    make_user("ada")
    assert attempt(password=PASSWORD).status_code == 303
    answers = [attempt(address=f"10.7.{n // 250}.{n % 250}").status_code for n in range(200)]
    # free attempts from new addresses, and one more before the first wait: the owner's first sign-in was one
    assert answers.count(401) == FROM_NEW_ADDRESSES.free and answers.count(429) == 200 - answers.count(401)
    two_hours_of_guessing = []  # a new address every minute
    for n in range(120):
        clock.advance(minutes=1)
        two_hours_of_guessing.append(attempt(address=f"10.8.0.{n}").status_code)
    assert two_hours_of_guessing[60:].count(401) == 4  # passwords checked in an hour, once the delays have grown
    assert attempt(password=PASSWORD).status_code == 303  # the owner, where they signed in before
    assert attempt(password=PASSWORD, address="10.9.9.9").status_code == 429  # the price: a new place waits


def test_simultaneous_guesses_cannot_all_pass_the_count(app, make_user, monkeypatch, clock):
    """The review sent 100 guesses at once and 11 passwords were checked against a limit of 5."""
    from annotator.users import authentication

    make_user("ada")
    checked, lock = [], threading.Lock()
    real_check = authentication.check_password_hash

    def counted_check(hash_, password):
        with lock:
            checked.append(password)
        return real_check(hash_, password)

    monkeypatch.setattr(authentication, "check_password_hash", counted_check)
    browsers = [app.test_client() for _ in range(24)]
    tokens = [csrf_token_in(browser.get("/auth/login").get_data(as_text=True)) for browser in browsers]
    start, answers = threading.Barrier(len(browsers)), []

    def guess(browser, token):
        start.wait()
        answers.append(
            browser.post(
                "/auth/login",
                data={"csrf_token": token, "username": "ada", "password": "guess"},
                environ_base={"REMOTE_ADDR": GUESSERS},
            ).status_code
        )

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(browsers, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == PER_ADDRESS.free + 1
    assert sorted(answers) == [401] * len(checked) + [429] * (len(browsers) - len(checked))


def test_the_client_address_is_taken_from_the_proxy_only_when_one_is_configured(app, make_user, attempt):
    make_user("ada")
    for n in range(PER_ADDRESS.free + 1):  # a forwarded-for header of one's own choosing is ignored
        attempt(address=GUESSERS, headers={"X-Forwarded-For": f"10.1.1.{n}"})
    assert attempt(password=PASSWORD, address=GUESSERS, headers={"X-Forwarded-For": "10.1.1.99"}).status_code == 429

    app.config["PROXY_FIX"] = 1  # behind one proxy, at 10.6.6.6, everyone's requests come from it
    trust_proxies(app)
    assert attempt(password=PASSWORD, address=GUESSERS, headers={"X-Forwarded-For": OWNERS}).status_code == 303
    pairs = set(db.session.execute(sa.select(LoginThrottle.address, LoginThrottle.last_success_at.is_not(None))))
    assert (OWNERS, True) in pairs


def test_an_ipv6_client_is_counted_by_its_network():
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert network_of("::ffff:10.0.0.1") == "10.0.0.1" and network_of("10.0.0.1") == "10.0.0.1"


def test_the_current_password_on_the_settings_page_is_guessed_no_faster_than_at_sign_in(
    client, make_user, login, clock
):
    make_user("ada")
    login("ada")

    def change(current):
        token = csrf_token_in(client.get("/account").get_data(as_text=True))
        return client.post(
            "/account/password", data={"csrf_token": token, "current": current, "new": "tangerine submarine lighthouse"}
        )

    assert statuses(change("guess") for _ in range(PER_ADDRESS.free + 1)) == [422] * (PER_ADDRESS.free + 1)
    refused = change(PASSWORD)
    assert refused.status_code == 429 and "Wait 2 seconds" in refused.get_data(as_text=True)
    clock.advance(seconds=2)
    assert change(PASSWORD).status_code == 303
