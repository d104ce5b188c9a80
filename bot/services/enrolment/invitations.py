"""Invitation codes for deep links: per programme and role, unguessable, revocable, limited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.infra.clock import now
from bot.services.messenger import current, link_base, link_for, messenger_of, other_links
from bot.texts import t
from storage.models import Invitation
from storage.statements import Objects, Statement

CODE_BYTES = 12  # 16 url-safe characters: fits Telegram's 64-character start parameter


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"
    USED_UP = "used_up"


@dataclass(frozen=True)
class InvitationCheck:
    invitation: Invitation | None
    problem: InvitationProblem | None


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def deep_link(bot_username: str, code: str) -> str:
    """`https://t.me/<bot>?start=<code>`, or `https://max.ru/<bot>?start=<code>` while
    handling an update from MAX (bot.services.messenger)."""
    return f"{link_base()}/{bot_username}?start={code}"


def deep_link_to(person_tg_id: int, code: str, bot_username: str | None = None) -> str:
    """The link for one person, in their own messenger (a message to many people, or
    one sent outside any update)."""
    return link_for(messenger_of(person_tg_id), code, bot_username)


def deep_links(bot_username: str, code: str, locale: str) -> str:
    """The link in the messenger at hand and, when the bot serves both, in the other,
    each named («в Telegram: …», «в MAX: …»): the code works in either."""
    others = other_links(code)
    if not others:
        return deep_link(bot_username, code)
    lines = [t(f"invite-link-in-{current()}", locale, link=deep_link(bot_username, code))]
    lines += [t(f"invite-link-in-{name}", locale, link=url) for name, url in others]
    return "\n".join(lines)


async def create_invitation(
    session: AsyncSession,
    *,
    kind: str,
    programme_id: int | None = None,
    organisation_id: int | None = None,
    created_by: int | None = None,
    expires_at: datetime | None = None,
    max_uses: int | None = None,
) -> Invitation:
    invitation = Invitation(
        code=new_code(),
        kind=kind,
        programme_id=programme_id,
        organisation_id=organisation_id,
        created_by=created_by,
        expires_at=expires_at,
        max_uses=max_uses,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def active_invitation(
    session: AsyncSession, *, kind: str, programme_id: int
) -> Invitation | None:
    """The newest usable invitation of a programme for a role."""
    rows = await session.scalars(
        select(Invitation)
        .where(
            Invitation.kind == kind,
            Invitation.programme_id == programme_id,
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.id.desc())
    )
    for invitation in rows:
        if check(invitation).problem is None:
            return invitation
    return None


async def revoke(session: AsyncSession, invitation_id: int) -> None:
    await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.revoked_at.is_(None))
        .values(revoked_at=now())
    )


def check(invitation: Invitation | None) -> InvitationCheck:
    if invitation is None:
        return InvitationCheck(None, InvitationProblem.UNKNOWN)
    if invitation.revoked_at is not None:
        return InvitationCheck(invitation, InvitationProblem.REVOKED)
    if invitation.expires_at is not None and invitation.expires_at <= now():
        return InvitationCheck(invitation, InvitationProblem.EXPIRED)
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return InvitationCheck(invitation, InvitationProblem.USED_UP)
    return InvitationCheck(invitation, None)


async def find(session: AsyncSession, code: str) -> InvitationCheck:
    if not code or len(code) > 64:
        return InvitationCheck(None, InvitationProblem.UNKNOWN)
    return check(await _BY_CODE.first(session, {"code": code}))


_BY_CODE = Objects(Invitation, Invitation.code == bindparam("code"))


async def count_use(session: AsyncSession, invitation: Invitation) -> None:
    """One more person joined by the invitation: counted in the database (concurrent
    joins each count) and on the object, which stays unchanged for the ORM."""
    await _COUNT_USE.run(session, {"invitation_id": invitation.id})
    set_committed_value(invitation, "uses", (invitation.uses or 0) + 1)


_COUNT_USE = Statement(
    update(Invitation)
    .where(Invitation.id == bindparam("invitation_id"))
    .values(uses=Invitation.uses + 1)
)
