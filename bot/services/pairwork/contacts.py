"""The contacts policy: whose contact a member of a pair or group may see.

This is the only place that decides it (docs/contacts.md says the same in words):

- a mentee sees the mentor's contact only if the mentor chose to share it with mentees;
- a mentor sees a mentee's contact only if the mentee chose to share it;
- the mentees of one group never see each other's contacts;
- a minor's contact never reaches an adult: a minor mentee is not even asked to share,
  and writes to an adult mentor through the bot only;
- an adult's contact reaches a minor only when that adult chose to share it (the first
  rule; mentees never see other mentees').

"Contact" is what the person typed in the profile's contact question; the Telegram
username is a contact too and is never shown to pair members. Everything that shows a
member's contact to another member calls `visible_contact`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pairwork.cycle import Member, PairView
from storage.models import FormAnswer, FormSession, FormStatus

# The profile questions: the typed contact, and the explicit choice to share it.
CONTACT_QUESTIONS = ("contacts", "contact")
SHARE_QUESTIONS = ("share_contacts", "share_contact")
SHARE_YES = "yes"


async def _latest_answer(
    session: AsyncSession, participant_id: int, questions: tuple[str, ...]
) -> Any:
    return await session.scalar(
        select(FormAnswer.value)
        .join(FormSession, FormSession.id == FormAnswer.session_id)
        .where(
            FormSession.participant_id == participant_id,
            FormSession.status == FormStatus.COMPLETED,
            FormAnswer.question_id.in_(questions),
        )
        .order_by(FormAnswer.id.desc())
        .limit(1)
    )


async def typed_contact(session: AsyncSession, participant_id: int) -> str | None:
    """The contact the person typed in their profile (for the curator; not a permission)."""
    value = await _latest_answer(session, participant_id, CONTACT_QUESTIONS)
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


async def chose_to_share(session: AsyncSession, participant_id: int) -> bool:
    """Did the person answer «yes» to the profile's sharing question?"""
    return await _latest_answer(session, participant_id, SHARE_QUESTIONS) == SHARE_YES


def may_see(
    *, viewer_role: str, viewer_minor: bool, owner_role: str, owner_minor: bool, shares: bool
) -> bool:
    """May a member of a pair see the contact of another member of the same pair?"""
    if not shares:
        return False
    if owner_role == "mentee" and viewer_role == "mentee":
        return False  # co-mentees of a group: never, whatever they chose
    if owner_minor and not viewer_minor:
        return False  # a minor's contact never goes to an adult: the bot relays instead
    return True


def _role_in(view: PairView, member: Member) -> str:
    return "mentor" if member is view.mentor else "mentee"


async def visible_contact(
    session: AsyncSession, view: PairView, viewer: Member, owner: Member
) -> str | None:
    """The contact of `owner` that `viewer` may see in this pair, or None."""
    if viewer is owner:
        return await typed_contact(session, owner.participant.id)
    allowed = may_see(
        viewer_role=_role_in(view, viewer),
        viewer_minor=bool(viewer.participant.is_minor),
        owner_role=_role_in(view, owner),
        owner_minor=bool(owner.participant.is_minor),
        shares=await chose_to_share(session, owner.participant.id),
    )
    if not allowed:
        return None
    return await typed_contact(session, owner.participant.id)
