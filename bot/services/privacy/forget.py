"""/forget_me: consent withdrawn, personal data destroyed at once (152-ФЗ art. 21).

What stays: one anonymous `Withdrawal` row per participation (programme, role, time) and
the participant row stripped to its anonymous status (so the partner's pair history and
the counts keep their shape). What goes: the Person row (Telegram id, name, username),
names, ages, answers, consents' personal fields, parent links, preferences, feedback
texts, the words of calls for help and concerns, pair memberships, queued messages to
the person, FSM records, the raw updates kept from them (`received_updates`), the files
of messages already sent in their programmes, and every queued or logged message text
that mentions the person's name or answers.

Deleting rows is not enough to take a person off the disk: the transaction asks for the
database's log to be emptied once it commits (`storage.db.wipe_after_commit`), and
SQLite overwrites deleted content with zeros (`secure_delete`). What this does and does
not guarantee on each database is in docs/privacy.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.services.access import programme_curator_person_ids
from bot.texts import esc, t
from storage.db import wipe_after_commit
from storage.models import (
    Case,
    Consent,
    FeedbackAnswer,
    FormAnswer,
    FormSession,
    FSMRecord,
    MaxMessageId,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairMember,
    PairStatus,
    ParentLink,
    Participant,
    ParticipantStatus,
    PendingReply,
    Person,
    Preference,
    Programme,
    ReceivedUpdate,
    RelayedMessage,
    Withdrawal,
)

MIN_SCRUB_LENGTH = 4  # shorter answers ("5", "да") say nothing about a person

# Where an erase deletes or overwrites personal data (vacuumed afterwards on PostgreSQL).
ERASED_TABLES = tuple(
    str(model.__tablename__)
    for model in (
        Person,
        Participant,
        Consent,
        ParentLink,
        FormSession,
        FormAnswer,
        Preference,
        FeedbackAnswer,
        Pair,
        PairMember,
        OutboxMessage,
        FSMRecord,
        ReceivedUpdate,
        RelayedMessage,
        Case,
        PendingReply,
        MaxMessageId,
    )
)


@dataclass
class ForgetResult:
    withdrawn: int = 0
    pairs_ended: list[int] = field(default_factory=list)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


async def forget_person(session: AsyncSession, person: Person) -> ForgetResult:
    result = ForgetResult()
    secrets_: set[str] = {s for s in (person.full_name, person.username) if s}
    participants = (
        await session.scalars(select(Participant).where(Participant.person_id == person.id))
    ).all()
    ids = [p.id for p in participants]
    to_tell: list[tuple[int, Programme]] = []  # (person_id, programme): neutral notes
    for participant in participants:
        if participant.display_name:
            secrets_.add(participant.display_name)
        programme = await session.get(Programme, participant.programme_id)
        if participant.status != ParticipantStatus.WITHDRAWN:
            session.add(
                Withdrawal(
                    programme_id=participant.programme_id, role=participant.role, withdrawn_at=now()
                )
            )
            result.withdrawn += 1
        partners = await _leave_pairs(session, participant, result)
        if programme is not None and participant.status == ParticipantStatus.ACTIVE:
            for pid in partners + await programme_curator_person_ids(session, programme.id):
                to_tell.append((pid, programme))
    if ids:
        secrets_ |= await _erase_rows(session, ids)
    await session.execute(
        delete(OutboxMessage).where(
            (OutboxMessage.person_id == person.id) | (OutboxMessage.chat_id == person.tg_id)
        )
    )
    await session.execute(delete(FSMRecord).where(FSMRecord.key.like(f"%:%:{person.tg_id}:%")))
    await forget_raw_updates(session, person.tg_id)
    await _drop_sent_files(session, {p.programme_id for p in participants})
    secrets_.add(f"tg://user?id={person.tg_id}")
    await _scrub_texts(session, secrets_)
    await session.delete(person)
    await session.flush()
    wipe_after_commit(session, *ERASED_TABLES)
    seen: set[tuple[int, int]] = set()
    for pid, programme in to_tell:
        if (pid, programme.id) in seen or pid == person.id:
            continue
        seen.add((pid, programme.id))
        other = await session.get(Person, pid)
        if other is None:
            continue
        await notify(
            session,
            person=other,
            key=f"left:{programme.id}:{pid}:{now().timestamp():.0f}",
            text=t("journey-someone-left", person_locale(other), programme=esc(programme.name)),
            programme=programme,
            kind="withdrawal",
            urgent=False,
        )
    return result


async def _leave_pairs(
    session: AsyncSession, participant: Participant, result: ForgetResult
) -> list[int]:
    """Remove the participant from pairs; a pair left without a mentor or mentees ends.
    Returns the person ids of the partners to tell."""
    partners: list[int] = []
    pair_ids = set(
        await session.scalars(
            select(PairMember.pair_id).where(PairMember.mentee_id == participant.id)
        )
    ) | set(await session.scalars(select(Pair.id).where(Pair.mentor_id == participant.id)))
    for pair_id in pair_ids:
        pair = await session.get(Pair, pair_id)
        if pair is None:
            continue
        await session.execute(
            delete(PairMember).where(
                PairMember.pair_id == pair_id, PairMember.mentee_id == participant.id
            )
        )
        mentees = list(
            await session.scalars(select(PairMember.mentee_id).where(PairMember.pair_id == pair_id))
        )
        others = [pid for pid in [pair.mentor_id, *mentees] if pid != participant.id]
        if pair.status == PairStatus.CONFIRMED:
            for pid in others:
                person_id = await session.scalar(
                    select(Participant.person_id).where(Participant.id == pid)
                )
                if person_id is not None:
                    partners.append(person_id)
        if pair.mentor_id == participant.id or not mentees:
            if pair.status not in (PairStatus.ENDED, PairStatus.REJECTED):
                pair.status = PairStatus.ENDED
                pair.ended_at = now()
                result.pairs_ended.append(pair.id)
        pair.explanation = None
    await session.flush()
    return partners


def _mentions_user(value: Any, tg_id: int) -> bool:
    """Whether a raw update holds this Telegram user (as a sender, a chat, a member...)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("id", "user_id", "chat_id") and item == tg_id:
                return True
            if _mentions_user(item, tg_id):
                return True
        return False
    if isinstance(value, list):
        return any(_mentions_user(item, tg_id) for item in value)
    return False


async def forget_raw_updates(session: AsyncSession, tg_id: int) -> int:
    """Delete the kept raw updates (long polling's `received_updates`) that hold this
    user: their messages, their Telegram name and username. The table holds only the
    updates in hand, so it is read whole. Returns how many rows went."""
    rows = (await session.execute(select(ReceivedUpdate.update_id, ReceivedUpdate.payload))).all()
    ids = [update_id for update_id, payload in rows if _mentions_user(payload, tg_id)]
    if ids:
        await session.execute(delete(ReceivedUpdate).where(ReceivedUpdate.update_id.in_(ids)))
    # Replies to them not yet known to be sent (their texts name the person).
    await session.execute(delete(PendingReply).where(PendingReply.chat_id == tg_id))
    # MAX's ids of the messages of their dialog with the bot.
    await session.execute(delete(MaxMessageId).where(MaxMessageId.chat_id == tg_id))
    return len(ids)


async def _drop_sent_files(session: AsyncSession, programme_ids: set[int]) -> None:
    """Files already sent in the person's programmes (registries, exports) may list them;
    Telegram has them now, the outbox does not need them any more."""
    if not programme_ids:
        return
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.programme_id.in_(programme_ids),
            OutboxMessage.status.in_(
                (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNREACHABLE)
            ),
            OutboxMessage.file_bytes.is_not(None),
        )
        .values(file_bytes=None)
    )


def _scrubbed(value: Any, needles: list[str]) -> Any:
    """The value with every needle in its strings replaced by a dash."""
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, "—")
        return value
    if isinstance(value, list):
        return [_scrubbed(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, needles) for key, item in value.items()}
    return value


async def _scrub_texts(session: AsyncSession, secrets_: set[str]) -> None:
    """Remove the person's name and answers from messages kept for others: texts,
    captions and button labels alike."""
    found = {s for s in secrets_ if len(s.strip()) >= MIN_SCRUB_LENGTH}
    found |= {esc(s) for s in found}
    if not found:
        return
    needles = sorted(found, key=len, reverse=True)
    rows = (await session.scalars(select(OutboxMessage))).all()
    for row in rows:
        payload = dict(row.payload or {})
        cleaned = _scrubbed(payload, needles)
        if cleaned != payload:
            row.payload = cleaned
    await session.flush()


async def erase_participations(session: AsyncSession, participants: list[Participant]) -> int:
    """Erase some participations of people who stay (retention: a declined or unanswered
    consent, a programme past its term), the same way as `forget_person` erases all of a
    person's: names, age, answers, consents' personal fields, parent links, preferences,
    feedback texts, pair places, queued messages of those programmes; the participant row
    stays anonymous and withdrawn. Nobody is told (the person did not leave anything:
    the term ran out), and no `Withdrawal` is counted. Returns how many were erased.

    The person themselves (Telegram id and name) is erased by `forget_person` once they
    have nothing left, which the retention job decides."""
    todo = [p for p in participants if p.status != ParticipantStatus.WITHDRAWN or p.person_id]
    if not todo:
        return 0
    ids = [p.id for p in todo]
    secrets_: set[str] = {p.display_name for p in todo if p.display_name}
    result = ForgetResult()
    for participant in todo:
        await _leave_pairs(session, participant, result)
    for participant in todo:
        if participant.person_id is not None:
            await session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.person_id == participant.person_id,
                    OutboxMessage.programme_id == participant.programme_id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
    secrets_ |= await _erase_rows(session, ids)
    await _scrub_texts(session, secrets_)
    await session.flush()
    wipe_after_commit(session, *ERASED_TABLES)
    return len(todo)


async def _erase_rows(session: AsyncSession, ids: list[int]) -> set[str]:
    """Erase what these participations hold of a person: answers, relayed messages, the
    words of their cases, parent links, preferences, feedback texts, consents' personal
    fields; the participant rows stay, anonymous and withdrawn. Returns the texts erased,
    to be scrubbed from wherever else they were copied (queued messages)."""
    secrets_: set[str] = set()
    rows = await session.execute(
        select(FormAnswer.value)
        .join(FormSession, FormSession.id == FormAnswer.session_id)
        .where(FormSession.participant_id.in_(ids))
    )
    for (value,) in rows:
        secrets_.update(_strings(value))
    texts = await session.scalars(
        select(FeedbackAnswer.difficulty).where(FeedbackAnswer.participant_id.in_(ids))
    )
    secrets_.update(s for s in texts if s)
    relayed = await session.scalars(
        select(RelayedMessage.text).where(RelayedMessage.from_participant_id.in_(ids))
    )
    secrets_.update(relayed)
    # The words of calls for help and concerns are the person's too; the case stays
    # (the curator's record and the counts), without them.
    words = await session.scalars(select(Case.words).where(Case.participant_id.in_(ids)))
    secrets_.update(w for w in words if w)
    await session.execute(update(Case).where(Case.participant_id.in_(ids)).values(words=None))
    await session.execute(delete(FormSession).where(FormSession.participant_id.in_(ids)))
    # Messages relayed through the bot to or from the person go with them.
    await session.execute(
        delete(RelayedMessage).where(
            RelayedMessage.from_participant_id.in_(ids) | RelayedMessage.to_participant_id.in_(ids)
        )
    )
    await session.execute(delete(ParentLink).where(ParentLink.participant_id.in_(ids)))
    await session.execute(
        delete(Preference).where((Preference.chooser_id.in_(ids)) | (Preference.target_id.in_(ids)))
    )
    await session.execute(
        update(FeedbackAnswer).where(FeedbackAnswer.participant_id.in_(ids)).values(difficulty=None)
    )
    await session.execute(
        update(Consent)
        .where(Consent.participant_id.in_(ids))
        .values(parent_person_id=None, parent_name=None, recorded_by=None)
    )
    await session.execute(
        update(Participant)
        .where(Participant.id.in_(ids))
        .values(
            person_id=None,
            display_name=None,
            age=None,
            category=None,
            grade=None,
            decline_reason=None,
            curator_note=None,
            status=ParticipantStatus.WITHDRAWN,
            withdrawn_at=now(),
            profile_complete=False,
        )
    )
    return secrets_
