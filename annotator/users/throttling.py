"""Slowing down password guessing without letting anyone lock anyone else out.

Every sign-in attempt is counted under the pair (username, network address) before its password
is checked, and waits for a delay that doubles with each failure in a row: the first 3 are free,
then 2 s, 4 s ... up to 15 minutes between attempts. A success resets the pair. Failures with
made-up names therefore slow down nobody else, and a guesser elsewhere cannot slow down the
owner, whose own pair stays clean.

Guessing one account from many addresses is bounded too: attempts from addresses the account
has not signed in from within 30 days also count under (username, every new address), which
grows its delay the same way after 20 free attempts. So however many addresses a guesser has,
they get a few guesses an hour against one account, while the owner, from an address where they
signed in before, is counted under their own pair only. The price: while such an attack goes on,
the owner signing in from a new place waits as the guesser does.

The check and the count are one step: a single UPDATE ... WHERE next_attempt_at <= now that
moves next_attempt_at on, so simultaneous attempts cannot all pass the check (each database
applies such UPDATEs to a row one at a time, re-checking the condition). A key forgets its
failures after a day without attempts. An IPv6 client is counted by its /64 network, which
one subscriber usually holds whole."""

import ipaddress
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.db import insert_ignoring_conflicts
from annotator.users.models import LoginThrottle

ANY_NEW_ADDRESS = "*"  # the key of attempts from addresses the account has not signed in from
KNOWN_FOR = timedelta(days=30)  # an address where the account signed in stays known this long
FORGET_AFTER = timedelta(days=1)  # a key with no attempt for this long starts again from zero


@dataclass(frozen=True)
class BackOff:
    free: int  # attempts in a row that wait for nothing
    cap: timedelta  # the longest wait

    def delay(self, attempts: int) -> timedelta:
        """The wait after `attempts` attempts in a row without a success."""
        if attempts <= self.free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(attempts - self.free, 32)), self.cap)

    def capped_from(self) -> int:
        attempts = self.free + 1
        while self.delay(attempts) < self.cap:
            attempts += 1
        return attempts


PER_ADDRESS = BackOff(free=3, cap=timedelta(minutes=15))
FROM_NEW_ADDRESSES = BackOff(free=20, cap=timedelta(minutes=15))


def network_of(address: str) -> str:
    """The address attempts are counted under: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # not from a socket: written by a proxy (only printable ASCII is kept)
        return re.sub(r"[^!-~]", "?", address)[:64]
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def claim_attempt(session: so.Session, username: str, address: str, now: datetime) -> timedelta | None:
    """Count an attempt to sign in as `username` from `address`, before its password is checked;
    returns how long to wait when it came too soon (then nothing may be checked), else None. The
    caller commits at once, so that the count holds whatever the check takes."""
    keys = [(address, PER_ADDRESS)]
    if not _known(session, username, address, now):
        keys.insert(0, (ANY_NEW_ADDRESS, FROM_NEW_ADDRESSES))
    for key_address, back_off in keys:
        if (wait := _claim(session, username[:80], key_address, back_off, now)) is not None:
            return wait
    return None


def wait_in_words(wait: timedelta) -> str:
    """'40 seconds' or '15 minutes', rounded up."""
    seconds = math.ceil(wait.total_seconds())
    return f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"


def record_success(session: so.Session, username: str, address: str, now: datetime) -> None:
    """The password was right: the pair starts again from zero and the address is known for the
    account. Keys unused for longer than an address stays known are deleted on the way."""
    throttle = LoginThrottle.__table__
    session.execute(
        throttle.update()
        .where(throttle.c.username == username[:80], throttle.c.address == address)
        .values(failures=0, next_attempt_at=now, last_success_at=now)
    )
    session.execute(throttle.delete().where(throttle.c.updated_at < now - KNOWN_FOR))


def _known(session: so.Session, username: str, address: str, now: datetime) -> bool:
    last_success = session.scalar(
        sa.select(LoginThrottle.last_success_at).where(
            LoginThrottle.username == username[:80], LoginThrottle.address == address
        )
    )
    return last_success is not None and last_success >= now - KNOWN_FOR


def _claim(session: so.Session, username: str, address: str, back_off: BackOff, now: datetime) -> timedelta | None:
    throttle = LoginThrottle.__table__
    insert_ignoring_conflicts(
        session,
        throttle,
        {"username": username, "address": address, "failures": 0, "next_attempt_at": now, "updated_at": now},
        ["username", "address"],
    )
    key = sa.and_(throttle.c.username == username, throttle.c.address == address)
    before = sa.case((throttle.c.updated_at < now - FORGET_AFTER, 0), else_=throttle.c.failures)
    claimed = session.execute(
        throttle.update()
        .where(key, throttle.c.next_attempt_at <= now)
        .values(failures=before + 1, next_attempt_at=_next_attempt_at(before, back_off, now), updated_at=now)
        .returning(throttle.c.id)
    ).first()
    if claimed is not None:
        return None
    next_attempt_at = session.scalar(sa.select(throttle.c.next_attempt_at).where(key))
    return max(next_attempt_at - now, timedelta(seconds=1))


def _next_attempt_at(before, back_off: BackOff, now: datetime):
    """When the attempt after this one may come: SQL choosing among the delays, by the number of
    attempts in a row before this one (an UPDATE's SET reads the row as it was)."""
    steps = [
        (before == attempts - 1, sa.literal(now + back_off.delay(attempts), sa.DateTime))
        for attempts in range(back_off.free + 1, back_off.capped_from())
    ]
    return sa.case(
        (before < back_off.free, sa.literal(now, sa.DateTime)),
        *steps,
        else_=sa.literal(now + back_off.cap, sa.DateTime),
    )
