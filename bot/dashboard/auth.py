"""Sign-in without passwords: one-time links, Mini App data, sessions and CSRF tokens.

A token is 32 random bytes (URL-safe text); the database keeps only its SHA-256, so a
copy of the database opens nothing. A link lives `LINK_LIFETIME` and opens one session;
a session lives the hours DASHBOARD_SESSION_HOURS says. The CSRF token of a session is
an HMAC of the session's own token: a page of another site can neither read the cookie
nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from aiogram.utils.web_app import safe_parse_webapp_init_data
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import AccessDenied, is_staff
from bot.services.clock import now
from storage.models import DashboardToken, Person

LINK = "link"
SESSION = "session"
LINK_LIFETIME = timedelta(minutes=10)
# Mini App data older than this is refused (a copy of it must not open a session later).
INIT_DATA_MAX_AGE = timedelta(hours=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(session_token), str(given))


async def _new(session: AsyncSession, person_id: int, kind: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    moment = now()
    session.add(
        DashboardToken(
            kind=kind,
            token_hash=_hash(token),
            person_id=person_id,
            created_at=moment,
            expires_at=moment + lifetime,
        )
    )
    await session.flush()
    return token


async def issue_link(session: AsyncSession, person: Person) -> str:
    """A one-time sign-in link's token for a curator or coordinator."""
    if not await is_staff(session, person.id):
        raise AccessDenied(person.id)
    # Expired tokens of anyone are of no use: cleared as new ones are made.
    await session.execute(delete(DashboardToken).where(DashboardToken.expires_at < now()))
    return await _new(session, person.id, LINK, LINK_LIFETIME)


async def open_session(session: AsyncSession, person_id: int, hours: float) -> str:
    if not await is_staff(session, person_id):
        raise AccessDenied(person_id)
    return await _new(session, person_id, SESSION, timedelta(hours=hours))


async def redeem_link(session: AsyncSession, token: str, hours: float) -> str | None:
    """A session token for a fresh, unused link; None for a used, expired or unknown one.

    The link is marked used by a conditional update, so two requests with the same link
    (a double click, a copy) open one session between them.
    """
    moment = now()
    used = await session.execute(
        update(DashboardToken)
        .where(
            DashboardToken.token_hash == _hash(token),
            DashboardToken.kind == LINK,
            DashboardToken.used_at.is_(None),
            DashboardToken.expires_at > moment,
        )
        .values(used_at=moment)
        .returning(DashboardToken.person_id)
    )
    person_id = used.scalar_one_or_none()
    if person_id is None:
        return None
    try:
        return await open_session(session, int(person_id), hours)
    except AccessDenied:
        return None


async def session_person(session: AsyncSession, token: str | None) -> Person | None:
    """The person of a live session who is still staff; None otherwise."""
    if not token:
        return None
    row = await session.scalar(
        select(DashboardToken).where(
            DashboardToken.token_hash == _hash(token),
            DashboardToken.kind == SESSION,
            DashboardToken.expires_at > now(),
        )
    )
    if row is None or not await is_staff(session, row.person_id):
        return None
    return await session.get(Person, row.person_id)


async def end_session(session: AsyncSession, token: str) -> None:
    await session.execute(
        delete(DashboardToken).where(
            DashboardToken.token_hash == _hash(token), DashboardToken.kind == SESSION
        )
    )


def init_data_user(bot_token: str, init_data: str, moment: datetime | None = None) -> int | None:
    """The Telegram user id in Mini App data signed with this bot's token and fresh;
    None for forged, altered or old data."""
    try:
        data = safe_parse_webapp_init_data(token=bot_token, init_data=init_data)
    except ValueError:
        return None
    signed_at = data.auth_date
    if signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=UTC)
    age = (moment or now()) - signed_at
    if age > INIT_DATA_MAX_AGE or age < -timedelta(minutes=5) or data.user is None:
        return None
    return int(data.user.id)
