"""What a participant sees about themselves: their pair partners."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Pair, PairMember, PairStatus, Participant


async def partner_names(session: AsyncSession, participant_id: int) -> list[str]:
    """Names of the people in the participant's confirmed pair or group (not themselves)."""
    as_mentee = select(PairMember.pair_id).where(PairMember.mentee_id == participant_id)
    as_mentor = select(Pair.id).where(Pair.mentor_id == participant_id)
    pair_ids = set(await session.scalars(as_mentee)) | set(await session.scalars(as_mentor))
    names: list[str] = []
    for pair_id in sorted(pair_ids):
        pair = await session.get(Pair, pair_id)
        if pair is None or pair.status != PairStatus.CONFIRMED:
            continue
        members = list(
            await session.scalars(select(PairMember.mentee_id).where(PairMember.pair_id == pair_id))
        )
        for other_id in [pair.mentor_id, *members]:
            if other_id == participant_id:
                continue
            other = await session.get(Participant, other_id)
            if other is not None and other.display_name:
                names.append(other.display_name)
    return names
