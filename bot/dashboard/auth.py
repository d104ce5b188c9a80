"""Sign-in without passwords: one-time links, Mini App data, sessions and CSRF tokens.

Mini App data comes from Telegram (checked by aiogram's `safe_parse_webapp_init_data`)
or from MAX (checked here by MAX's own published algorithm, «Валидация данных» of
dev.max.ru/docs/webapps/validation, with the MAX bot's token); either way it must be
at most `INIT_DATA_MAX_AGE` old.

A token is 32 random bytes (URL-safe text); the database keeps only its SHA-256, so a
copy of the database opens nothing. A link lives `LINK_LIFETIME` and opens one session;
a session lives the hours DASHBOARD_SESSION_HOURS says. The CSRF token of a session is
an HMAC of the session's own token: a page of another site can neither read the cookie
nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, unquote_plus

from aiogram.utils.web_app import safe_parse_webapp_init_data
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.max.ids import is_max, user_to_core
from bot.services.access import AccessDenied, is_staff
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


def _fresh(signed_at: datetime, moment: datetime | None) -> bool:
    """Signed at most `INIT_DATA_MAX_AGE` ago (and not in the future beyond a clock's drift)."""
    if signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=UTC)
    age = (moment or now()) - signed_at
    return -timedelta(minutes=5) <= age <= INIT_DATA_MAX_AGE


def init_data_user(bot_token: str, init_data: str, moment: datetime | None = None) -> int | None:
    """The Telegram user id in Mini App data signed with this bot's token and fresh;
    None for forged, altered or old data."""
    try:
        data = safe_parse_webapp_init_data(token=bot_token, init_data=init_data)
    except ValueError:
        return None
    if data.user is None or not _fresh(data.auth_date, moment):
        return None
    user_id = int(data.user.id)
    # Telegram's ids stay below MAX's range (bot.max.ids): one above it is no Telegram user.
    return None if is_max(user_id) else user_id


# An auth_date this large is in milliseconds (MAX's Bot API counts time in them); as
# seconds it would be a date 3000 years away.
_MILLISECONDS = 10**11


def max_init_data_user(
    max_token: str, init_data: str, moment: datetime | None = None
) -> int | None:
    """The person's id (in the core's id space, `bot.max.ids`) in MAX mini-app data
    signed with this MAX bot's token and fresh; None for forged, altered or old data.

    MAX's algorithm: the `key=value` pairs of `WebAppData`, each key exactly once; `hash`
    taken out; the values URL-decoded; sorted by key; joined as `key=value` lines; the
    signature is HMAC-SHA256 with the key HMAC-SHA256("WebAppData", token), in hex.
    MAX does not say whether a space is encoded as `%20` or `+`; the data is accepted
    when the signature holds for either reading (only the token's holder can sign).
    """
    secret = hmac.new(b"WebAppData", max_token.encode(), hashlib.sha256).digest()
    decoders = (unquote, unquote_plus) if "+" in init_data else (unquote,)
    for decode in decoders:
        fields = _max_fields(init_data, decode)
        given = fields.pop("hash", None) if fields is not None else None
        if fields is None or not given:
            return None
        launch_params = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
        expected = hmac.new(secret, launch_params.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected.encode(), given.lower().encode()):
            return _max_user(fields, moment)
    return None


def _max_fields(init_data: str, decode: Callable[[str], str]) -> dict[str, str] | None:
    """The parameters of MAX's `WebAppData`, decoded; None unless each is there once."""
    pairs = [part.split("=", 1) for part in init_data.split("&") if part]
    if not pairs or any(len(pair) != 2 for pair in pairs):
        return None
    fields: dict[str, str] = {}
    for key, value in pairs:
        name = decode(key)
        if name in fields:
            return None
        fields[name] = decode(value)
    return fields


def _max_user(fields: dict[str, str], moment: datetime | None) -> int | None:
    """The core id of the signed user, when the data is fresh."""
    try:
        stamp = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError, OverflowError):
        return None
    seconds = stamp / 1000 if stamp >= _MILLISECONDS else stamp
    try:
        signed_at = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if not _fresh(signed_at, moment) or user_id <= 0:
        return None
    return user_to_core(user_id)
