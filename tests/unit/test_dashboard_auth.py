"""Sign-in to the dashboard on both storage backends: a link opens one session once and
for ten minutes, only hashes are stored, sessions expire and end with the staff role,
CSRF tokens belong to their session, Mini App data must be genuine and fresh."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import delete, select

from bot.dashboard import auth
from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from storage.db import Database
from storage.models import DashboardToken, Person, StaffMember
from tests.support.factories import make_curator, make_person, make_programme

TOKEN = "123456:TEST-BOT-TOKEN"
START = datetime(2026, 10, 14, 4, 0, tzinfo=UTC)


@pytest.fixture
def clock_start() -> datetime:
    return START


async def _curator(db: Database) -> int:
    async with db.session() as s:
        programme = await make_programme(s)
        return (await make_curator(s, programme)).id


async def test_a_link_opens_one_session_once(db: Database, clock: TestClock) -> None:
    person_id = await _curator(db)
    async with db.session() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        code = await auth.issue_link(s, person)
    async with db.read() as s:
        stored = list(await s.scalars(select(DashboardToken.token_hash)))
    assert stored == [hashlib.sha256(code.encode()).hexdigest()]

    # Two requests with the same link at once: one session between them.
    async def redeem() -> str | None:
        async with db.session() as s:
            return await auth.redeem_link(s, code, 8)

    sessions = await asyncio.gather(redeem(), redeem())
    assert sum(1 for token in sessions if token) == 1
    token = next(token for token in sessions if token)
    async with db.read() as s:
        assert (await auth.session_person(s, token)).id == person_id  # type: ignore[union-attr]
        assert await auth.session_person(s, code) is None  # a link is not a session
    async with db.session() as s:
        assert await auth.redeem_link(s, code, 8) is None  # used

    # Eight hours later the session is over.
    clock.advance(timedelta(hours=8, seconds=1))
    async with db.read() as s:
        assert await auth.session_person(s, token) is None


async def test_a_link_lives_ten_minutes(db: Database, clock: TestClock) -> None:
    person_id = await _curator(db)
    async with db.session() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        fresh = await auth.issue_link(s, person)
        late = await auth.issue_link(s, person)
    clock.advance(timedelta(minutes=9, seconds=59))
    async with db.session() as s:
        assert await auth.redeem_link(s, fresh, 8) is not None
    clock.advance(timedelta(seconds=2))  # 10 min 1 s
    async with db.session() as s:
        assert await auth.redeem_link(s, late, 8) is None


async def test_only_staff_get_links_and_keep_sessions(db: Database, clock: TestClock) -> None:
    person_id = await _curator(db)
    async with db.session() as s:
        stranger = await make_person(s, name="Ученик")
        with pytest.raises(AccessDenied):
            await auth.issue_link(s, stranger)
        token = await auth.open_session(s, person_id, 8)
    async with db.session() as s:  # the curator is no longer a curator
        await s.execute(delete(StaffMember).where(StaffMember.person_id == person_id))
    async with db.read() as s:
        assert await auth.session_person(s, token) is None


def test_a_csrf_token_belongs_to_its_session() -> None:
    one, other = "session-one", "session-two"
    assert auth.csrf_ok(one, auth.csrf_token(one))
    assert not auth.csrf_ok(other, auth.csrf_token(one))
    assert not auth.csrf_ok(one, "")
    assert not auth.csrf_ok(one, None)


def _signed(token: str, fields: dict[str, str]) -> str:
    """Signed as core.telegram.org/bots/webapps describes («Validating data received via
    the Mini App»), independently of aiogram."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return urlencode(
        {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}
    )


def test_mini_app_data_is_checked_for_signature_and_age() -> None:
    user = json.dumps({"id": 42, "first_name": "Мария"}, ensure_ascii=False)
    signed_at = int(START.timestamp())
    data = _signed(TOKEN, {"auth_date": str(signed_at), "user": user})
    assert auth.init_data_user(TOKEN, data, START + timedelta(minutes=59)) == 42
    assert auth.init_data_user(TOKEN, data, START + timedelta(minutes=61)) is None
    assert auth.init_data_user("654321:OTHER", data, START) is None
    assert auth.init_data_user(TOKEN, data.replace("42", "43"), START) is None
    assert auth.init_data_user(TOKEN, "not init data", START) is None
    no_user = _signed(TOKEN, {"auth_date": str(signed_at)})
    assert auth.init_data_user(TOKEN, no_user, START) is None


def _max_signed(token: str, fields: dict[str, str], space: str = "%20") -> str:
    """Signed as dev.max.ru describes («Мини-приложения → Валидация данных»): the same
    two HMACs over the decoded values; `space` is how the encoding writes a space."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    signed = {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}
    return "&".join(f"{k}={quote(v, safe='').replace('%20', space)}" for k, v in signed.items())


def test_max_mini_app_data_is_checked_by_maxs_algorithm() -> None:
    user = json.dumps({"id": 42, "first_name": "Анна Мария", "last_name": "Иванова"})
    at = int(START.timestamp())
    core_id = 2**53 + 42  # bot/max/ids.py: a MAX user's id among the core's ids
    for space in ("%20", "+"):  # MAX does not say which: both readings are accepted
        data = _max_signed(TOKEN, {"auth_date": str(at), "user": user, "ip": "10.0.0.1"}, space)
        assert auth.max_init_data_user(TOKEN, data, START + timedelta(minutes=59)) == core_id
        assert auth.max_init_data_user(TOKEN, data, START + timedelta(minutes=61)) is None
        assert auth.max_init_data_user("OTHER-MAX-TOKEN", data, START) is None
    data = _max_signed(TOKEN, {"auth_date": str(at), "user": user})
    # Milliseconds, as MAX's Bot API counts time.
    in_ms = _max_signed(TOKEN, {"auth_date": str(at * 1000), "user": user})
    assert auth.max_init_data_user(TOKEN, in_ms, START + timedelta(minutes=30)) == core_id
    # Altered, repeated, unsigned, malformed: refused, never an error.
    assert auth.max_init_data_user(TOKEN, data.replace("42", "43"), START) is None
    assert auth.max_init_data_user(TOKEN, data + "&auth_date=" + str(at), START) is None
    assert auth.max_init_data_user(TOKEN, data.split("&hash=")[0], START) is None
    assert auth.max_init_data_user(TOKEN, data.split("&hash=")[0] + "&hash=ёж", START) is None
    for junk in ("", "&&", "not init data", "hash=", "a=1&a"):
        assert auth.max_init_data_user(TOKEN, junk, START) is None
    no_user = _max_signed(TOKEN, {"auth_date": str(at)})
    assert auth.max_init_data_user(TOKEN, no_user, START) is None
    far = _max_signed(TOKEN, {"auth_date": "9" * 40, "user": user})
    assert auth.max_init_data_user(TOKEN, far, START) is None
    for odd in ('{"id": 1e400}', '["id"]', '{"id": "x"}', "{}", "not json"):
        signed = _max_signed(TOKEN, {"auth_date": str(at), "user": odd})
        assert auth.max_init_data_user(TOKEN, signed, START) is None
    # Telegram data never names a MAX id.
    telegram = _signed(TOKEN, {"auth_date": str(at), "user": json.dumps({"id": core_id})})
    assert auth.init_data_user(TOKEN, telegram, START) is None
