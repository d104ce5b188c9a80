"""The mentors' community chat: binding, who may be in it, invitations, removals, the digest.

Messenger actions (rights, invite links, join requests, adding and removing members) go
through a `ChatAdmin` given by the caller, so this module knows nothing of aiogram and is
tested with a fake. Everything the bot says in the group goes through the outbox (kind
"group").

Telegram's chat is gated by join requests: approved mentors get a link and the bot
approves their requests. MAX has no join requests: the bot adds approved mentors itself
and removes anyone else who is added by hand (`adds_members`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale, programme_zone
from bot.infra.outbox import enqueue
from bot.max.ids import is_max
from bot.services.access import can_manage, current_programme
from bot.services.buttons import LinkButton, keyboard
from bot.services.people import TelegramUser, person_by_tg
from bot.texts import esc, normalize_locale, t
from storage.models import (
    AuditRecord,
    CommunityChat,
    CommunityMember,
    GroupMeeting,
    Meeting,
    MeetingStatus,
    OutboxMessage,
    Pair,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
    RegistryStatus,
    Role,
)

GROUP_LOCALE = "ru"
DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(10, 0)
UPCOMING_WINDOW = timedelta(days=14)
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
ADMIN_STATUSES = frozenset({"creator", "administrator"})
# The rights the bot needs, in the order they are explained to the curator.
NEEDED_RIGHTS = ("can_invite_users", "can_restrict_members")


# ----------------------------------------------------------------------------- Telegram side


@dataclass(frozen=True)
class BotRights:
    """The bot's own standing in a group."""

    status: str
    can_invite_users: bool = False
    can_restrict_members: bool = False

    @property
    def missing(self) -> list[str]:
        if self.status == "creator":
            return []
        is_admin = self.status == "administrator"
        return [right for right in NEEDED_RIGHTS if not (is_admin and getattr(self, right))]


class ChatAdmin(Protocol):
    """What the community needs Telegram to do; implemented with aiogram by the callers."""

    async def bot_rights(self, chat_id: int) -> BotRights: ...
    async def create_join_link(self, chat_id: int, name: str) -> str: ...
    async def revoke_link(self, chat_id: int, link: str) -> None: ...
    async def approve(self, chat_id: int, user_id: int) -> bool: ...
    async def decline(self, chat_id: int, user_id: int) -> bool: ...
    async def remove(self, chat_id: int, user_id: int) -> bool: ...
    async def tell(self, chat_id: int, text: str) -> bool: ...
    async def add(self, chat_id: int, user_ids: list[int]) -> list[int] | None:
        """MAX only: add people to the group; returns those added (the others MAX
        refused), or None if the call failed (asked again later)."""
        ...


def adds_members(chat_id: int) -> bool:
    """MAX's groups have no join requests: the bot adds and removes members itself."""
    return is_max(chat_id)


def same_messenger(chat_id: int, tg_id: int) -> bool:
    """Only a person of the group's messenger can be in it."""
    return is_max(chat_id) == is_max(tg_id)


# ----------------------------------------------------------------------------- who belongs


def is_eligible_mentor(participant: Participant, programme: Programme) -> bool:
    """An approved, active mentor of a running programme (or of the long-term base)."""
    if participant.role != Role.MENTOR or participant.programme_id != programme.id:
        return False
    if participant.registry_status != RegistryStatus.APPROVED:
        return False
    if participant.status != ParticipantStatus.ACTIVE:
        return False
    return programme.status != ProgrammeStatus.FINISHED or participant.in_long_term_base


async def _mentor_row(
    session: AsyncSession, programme_id: int, person_id: int
) -> Participant | None:
    return await session.scalar(
        select(Participant).where(
            Participant.programme_id == programme_id,
            Participant.person_id == person_id,
            Participant.role == Role.MENTOR,
        )
    )


async def may_be_in_chat(session: AsyncSession, programme: Programme, person: Person) -> bool:
    """Approved mentors of the programme and the people who manage it."""
    mentor = await _mentor_row(session, programme.id, person.id)
    if mentor is not None and is_eligible_mentor(mentor, programme):
        return True
    return await can_manage(session, person.id, programme.id)


async def eligible_mentors(
    session: AsyncSession, programme: Programme
) -> list[tuple[Participant, Person]]:
    rows = await session.execute(
        select(Participant, Person)
        .join(Person, Person.id == Participant.person_id)
        .where(
            Participant.programme_id == programme.id,
            Participant.role == Role.MENTOR,
            Participant.registry_status == RegistryStatus.APPROVED,
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Participant.id)
    )
    return [(p, person) for p, person in rows if is_eligible_mentor(p, programme)]


async def chat_by_telegram_id(session: AsyncSession, chat_id: int) -> CommunityChat | None:
    return await session.scalar(
        select(CommunityChat).where(CommunityChat.chat_id == chat_id).order_by(CommunityChat.id)
    )


async def chat_of_programme(session: AsyncSession, programme_id: int) -> CommunityChat | None:
    return await session.scalar(
        select(CommunityChat).where(CommunityChat.programme_id == programme_id)
    )


# ----------------------------------------------------------------------------- time


def next_digest_time(after: datetime, tz: ZoneInfo) -> datetime:
    """The first Monday 10:00 in the programme's time zone strictly after `after` (UTC)."""
    local = after.astimezone(tz)
    days = (DIGEST_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days), DIGEST_TIME, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(
            local.date() + timedelta(days=days + 7), DIGEST_TIME, tzinfo=tz
        )
    return candidate.astimezone(after.tzinfo)


# ----------------------------------------------------------------------------- binding


@dataclass(frozen=True)
class BindResult:
    """`outcome`: bound, missing_rights, taken (another programme's chat) or ignored."""

    outcome: str
    programme_name: str = ""
    missing: list[str] = field(default_factory=list)
    invites: int = 0
    added: bool = False  # MAX: the mentors were added, not invited by a link


def missing_rights(rights: BotRights, chat_id: int) -> list[str]:
    """What the bot lacks, named as the group's messenger names it (MAX has one right,
    «add and remove members», for Telegram's two)."""
    if rights.missing and adds_members(chat_id):
        return ["add_remove_members"]
    return rights.missing


def rights_text(missing: list[str], locale: str) -> str:
    return "\n".join(t(f"community-right-{right.replace('_', '-')}", locale) for right in missing)


async def bind_group(
    session: AsyncSession,
    admin: ChatAdmin,
    *,
    person: Person,
    chat_id: int,
    title: str | None,
) -> BindResult:
    """/group in a group: bind it to the sender's current programme, or change nothing.

    Only someone who manages the programme may bind; everyone else is ignored. The rights
    are checked before anything is created, so a refusal leaves no link and no row.
    """
    programme = await current_programme(session, person)
    if programme is None or not await can_manage(session, person.id, programme.id):
        return BindResult("ignored")
    name = programme.name
    other = await chat_by_telegram_id(session, chat_id)
    if (
        other is not None
        and other.programme_id != programme.id
        and not await can_manage(session, person.id, other.programme_id)
    ):
        return BindResult("taken", name)
    missing = missing_rights(await admin.bot_rights(chat_id), chat_id)
    if missing:
        return BindResult("missing_rights", name, missing)
    if other is not None and other.programme_id != programme.id:
        await session.delete(other)
        await session.flush()
    row = await chat_of_programme(session, programme.id)
    link: str | None
    if adds_members(chat_id):
        link = None  # no links in MAX: the mentors are added below
    elif row is not None and row.chat_id == chat_id and row.invite_link:
        link = row.invite_link  # the mentors' invitations carry it: keep it working
    else:
        link = await admin.create_join_link(chat_id, t("community-link-name", GROUP_LOCALE))
    if row is None:
        row = CommunityChat(programme_id=programme.id, chat_id=chat_id)
        session.add(row)
    elif row.chat_id != chat_id:
        await _forget_previous_chat(session, admin, row)
    row.chat_id = chat_id
    row.title = title
    row.invite_link = link
    row.bound_by = person.id
    row.bound_at = now()
    row.next_digest_at = next_digest_time(now(), programme_zone(programme))
    await session.flush()
    session.add(
        AuditRecord(
            programme_id=programme.id,
            actor_person_id=person.id,
            action="community_bind",
            details={"chat_id": chat_id},
        )
    )
    if adds_members(chat_id):
        invites = 0
        for addition in await additions_due(session, only_chat_id=row.id):
            added = await admin.add(chat_id, addition.tg_ids)
            if added is not None:
                invites += await record_added(session, addition, added)
    else:
        invites = await send_invites(session, row)
    return BindResult("bound", name, invites=invites, added=adds_members(chat_id))


async def _forget_previous_chat(
    session: AsyncSession, admin: ChatAdmin, row: CommunityChat
) -> None:
    """The programme moves to another chat: the old link and invitations are void."""
    if row.invite_link:
        try:
            await admin.revoke_link(row.chat_id, row.invite_link)
        except Exception:  # the old chat may be gone; the new binding matters more
            pass
    await session.execute(
        delete(CommunityMember).where(CommunityMember.community_chat_id == row.id)
    )
    # Invitations with the old link: new ones (same keys) go out with the new link.
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.idempotency_key.startswith(f"community-invite:{row.programme_id}:")
        )
    )


async def unbind_chat(session: AsyncSession, chat_id: int, actor_person_id: int | None) -> int:
    """The bot was removed from a group: forget the binding and tell the curator."""
    rows = (
        await session.scalars(select(CommunityChat).where(CommunityChat.chat_id == chat_id))
    ).all()
    for row in rows:
        programme = await session.get(Programme, row.programme_id)
        session.add(
            AuditRecord(
                programme_id=row.programme_id,
                actor_person_id=actor_person_id,
                action="community_unbind",
                details={"chat_id": chat_id},
            )
        )
        curator = await session.get(Person, row.bound_by) if row.bound_by else None
        if curator is not None and programme is not None:
            await notify(
                session,
                person=curator,
                key=f"community-unbound:{row.id}:{int(now().timestamp())}",
                text=t(
                    "community-unbound",
                    person_locale(curator),
                    title=esc(row.title or ""),
                    programme=esc(programme.name),
                ),
                programme=programme,
                kind="community",
            )
        await session.delete(row)
    await session.flush()
    return len(rows)


async def move_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: Telegram gave it a new id."""
    rows = (
        await session.scalars(select(CommunityChat).where(CommunityChat.chat_id == old_chat_id))
    ).all()
    for row in rows:
        row.chat_id = new_chat_id
    await session.flush()


async def bot_added_hint(
    session: AsyncSession, person: Person, chat_id: int, rights: BotRights
) -> str | None:
    """A private hint for a curator who added (or promoted) the bot in a group."""
    programme = await current_programme(session, person)
    if programme is None:
        return None
    locale = person_locale(person)
    bound = await chat_by_telegram_id(session, chat_id)
    if rights.missing:
        missing = missing_rights(rights, chat_id)
        return t("community-added-need-rights", locale, rights=rights_text(missing, locale))
    if bound is None:
        return t("community-added-ready", locale, programme=esc(programme.name))
    return None


# ----------------------------------------------------------------------------- invitations


async def send_invites(
    session: AsyncSession, chat: CommunityChat, *, only_person_id: int | None = None
) -> int:
    """Queue the invite link for every approved mentor not known to be in the chat yet.

    The key `community-invite:{programme}:{person}` makes it one invitation per mentor.
    """
    programme = await session.get(Programme, chat.programme_id)
    if programme is None or not chat.invite_link:
        return 0
    inside = set(
        await session.scalars(
            select(CommunityMember.tg_id).where(CommunityMember.community_chat_id == chat.id)
        )
    )
    queued = 0
    for _participant, person in await eligible_mentors(session, programme):
        if only_person_id is not None and person.id != only_person_id:
            continue
        if person.tg_id in inside or not same_messenger(chat.chat_id, person.tg_id):
            continue
        locale = person_locale(person)
        markup = keyboard([LinkButton(t("community-invite-button", locale), chat.invite_link)])
        if await notify(
            session,
            person=person,
            key=f"community-invite:{programme.id}:{person.id}",
            text=t("community-invite", locale, programme=esc(programme.name)),
            programme=programme,
            reply_markup=markup,
            kind="community",
        ):
            queued += 1
    return queued


@dataclass(frozen=True)
class Addition:
    """Approved mentors to add to a MAX group (core ids), with their person ids."""

    community_chat_id: int
    chat_id: int
    programme_id: int
    people: dict[int, int]  # tg_id -> person id

    @property
    def tg_ids(self) -> list[int]:
        return list(self.people)


async def additions_due(
    session: AsyncSession, *, only_chat_id: int | None = None
) -> list[Addition]:
    """MAX's groups: the approved mentors (of MAX) not known to be in them yet (nor
    known to have left, or to be refused by MAX)."""
    query = select(CommunityChat).order_by(CommunityChat.id)
    if only_chat_id is not None:
        query = query.where(CommunityChat.id == only_chat_id)
    due: list[Addition] = []
    for chat in (await session.scalars(query)).all():
        if not adds_members(chat.chat_id):
            continue
        programme = await session.get(Programme, chat.programme_id)
        if programme is None:
            continue
        inside = set(
            await session.scalars(
                select(CommunityMember.tg_id).where(CommunityMember.community_chat_id == chat.id)
            )
        )
        people = {
            person.tg_id: person.id
            for _participant, person in await eligible_mentors(session, programme)
            if person.tg_id not in inside and same_messenger(chat.chat_id, person.tg_id)
        }
        if people:
            due.append(Addition(chat.id, chat.chat_id, programme.id, people))
    return due


async def record_added(session: AsyncSession, addition: Addition, added: list[int]) -> int:
    """The mentors MAX added: members now (as if admitted on request), each told once
    in private where to find the chat. Those MAX refused (their privacy settings do
    not let bots add them) are told once how to get in, and not asked for again (a row
    as if they had left; if someone adds them by hand, they are welcome). Returns how
    many were added."""
    chat = await session.get(CommunityChat, addition.community_chat_id)
    programme = await session.get(Programme, addition.programme_id)
    if chat is None or programme is None:
        return 0
    count = 0
    for tg_id, person_id in addition.people.items():
        person = await session.get(Person, person_id)
        if person is None:
            continue
        member = await _remember_member(session, chat, tg_id, via_request=True)
        if tg_id in added:
            key, text_key = (
                f"community-invite:{programme.id}:{person.id}",
                "community-added-to-chat",
            )
            count += 1
        else:
            member.left_at = now()
            key, text_key = (
                f"community-add-refused:{programme.id}:{person.id}",
                "community-add-refused",
            )
        await notify(
            session,
            person=person,
            key=key,
            text=t(
                text_key,
                person_locale(person),
                programme=esc(programme.name),
                title=esc(chat.title or ""),
            ),
            programme=programme,
            kind="community",
        )
    await session.flush()
    return count


async def send_all_invites(session: AsyncSession) -> int:
    total = 0
    for chat in (await session.scalars(select(CommunityChat).order_by(CommunityChat.id))).all():
        total += await send_invites(session, chat)
    return total


# ----------------------------------------------------------------------------- membership


async def _remember_member(
    session: AsyncSession,
    chat: CommunityChat,
    tg_id: int,
    *,
    is_admin: bool = False,
    via_request: bool = False,
) -> CommunityMember:
    row = await session.scalar(
        select(CommunityMember).where(
            CommunityMember.community_chat_id == chat.id, CommunityMember.tg_id == tg_id
        )
    )
    person = await person_by_tg(session, tg_id)
    if row is None:
        row = CommunityMember(community_chat_id=chat.id, tg_id=tg_id, joined_at=now())
        session.add(row)
    row.person_id = person.id if person is not None else None
    row.is_admin = is_admin
    row.via_request = row.via_request or via_request
    row.left_at = None
    await session.flush()
    return row


@dataclass(frozen=True)
class JoinOutcome:
    """`outcome`: approved, declined or unbound (not our chat: left to its admins)."""

    outcome: str
    told: bool = False


async def handle_join_request(
    session: AsyncSession,
    admin: ChatAdmin,
    *,
    chat_id: int,
    user: TelegramUser,
    user_chat_id: int | None,
) -> JoinOutcome:
    """Approve approved mentors of the chat's programme (and its curators); decline others,
    with a kind private word first.

    The word goes while the request is still pending: Telegram lets a bot write to an
    applicant who never started it (by `user_chat_id`) only until the request is
    processed, and within 5 minutes of it; after the decline it answers 403."""
    chat = await chat_by_telegram_id(session, chat_id)
    if chat is None:
        return JoinOutcome("unbound")
    programme = await session.get(Programme, chat.programme_id)
    person = await person_by_tg(session, user.id)
    if programme is not None and person is not None:
        if await may_be_in_chat(session, programme, person):
            if await admin.approve(chat_id, user.id):
                await _remember_member(session, chat, user.id, via_request=True)
            return JoinOutcome("approved")
    told = False
    if user_chat_id is not None:
        locale = (
            person.locale
            if person is not None and person.locale
            else normalize_locale(user.language_code)
        )
        name = programme.name if programme is not None else ""
        told = await admin.tell(
            user_chat_id, t("community-join-declined", locale, programme=esc(name))
        )
    await admin.decline(chat_id, user.id)
    return JoinOutcome("declined", told)


async def record_member_status(
    session: AsyncSession,
    *,
    chat_id: int,
    tg_id: int,
    status: str,
    via_request: bool = False,
    name: str = "",
    by_self: bool = False,
) -> Removal | None:
    """A chat_member update: keep the list of who is in a bound chat.

    In MAX (no join requests) someone added by hand who may not be in the chat is
    marked for removal, the curator who bound the chat is told, and the caller gets
    the `Removal` to carry out at once; a member who leaves by themselves (`by_self`)
    is remembered as gone, so that the bot does not add them again."""
    chat = await chat_by_telegram_id(session, chat_id)
    if chat is None:
        return None
    if status not in MEMBER_STATUSES and by_self and adds_members(chat_id):
        member = await _remember_member(session, chat, tg_id)
        member.left_at = now()
        await session.flush()
        return None
    if status not in MEMBER_STATUSES:
        await session.execute(
            delete(CommunityMember).where(
                CommunityMember.community_chat_id == chat.id, CommunityMember.tg_id == tg_id
            )
        )
        return None
    is_admin = status in ADMIN_STATUSES
    member = await _remember_member(
        session, chat, tg_id, is_admin=is_admin, via_request=via_request
    )
    if is_admin or not adds_members(chat_id) or member.via_request:
        return None
    programme = await session.get(Programme, chat.programme_id)
    person = await person_by_tg(session, tg_id)
    if programme is None:
        return None
    if person is not None and await may_be_in_chat(session, programme, person):
        member.via_request = True  # an approved mentor, whoever added them
        await session.flush()
        return None
    member.remove_requested_at = now()
    await session.flush()
    curator = await session.get(Person, chat.bound_by) if chat.bound_by else None
    if curator is not None:
        await notify(
            session,
            person=curator,
            key=f"community-stranger:{chat.id}:{tg_id}:{int(now().timestamp())}",
            text=t(
                "community-stranger-removed",
                person_locale(curator),
                name=esc(name or "—"),
                title=esc(chat.title or ""),
                programme=esc(programme.name),
            ),
            programme=programme,
            kind="community",
        )
    return Removal(member.id, chat.chat_id, tg_id, programme.id)


async def on_mentor_status_changed(session: AsyncSession, participant_id: int) -> None:
    """Call after a mentor's registry or participant status changed (approve, decline,
    /forget_me, finish), BEFORE personal data is destroyed.

    An approved mentor gets the invitation; one who left the programme is marked for removal
    from the chat (the reconcile job removes them). Only flushes.
    """
    participant = await session.get(Participant, participant_id)
    if participant is None or participant.role != Role.MENTOR or participant.person_id is None:
        return
    chat = await chat_of_programme(session, participant.programme_id)
    programme = await session.get(Programme, participant.programme_id)
    person = await session.get(Person, participant.person_id)
    if chat is None or programme is None or person is None:
        return
    member = await session.scalar(
        select(CommunityMember).where(
            CommunityMember.community_chat_id == chat.id, CommunityMember.tg_id == person.tg_id
        )
    )
    if is_eligible_mentor(participant, programme):
        if member is not None:
            member.remove_requested_at = None
        await send_invites(session, chat, only_person_id=person.id)
        await session.flush()
        return
    if await can_manage(session, person.id, programme.id):
        return
    if member is None:
        # Not seen in the chat, but it costs one call to make sure they are not there.
        member = CommunityMember(community_chat_id=chat.id, tg_id=person.tg_id, joined_at=now())
        session.add(member)
    member.person_id = person.id
    member.is_admin = False
    member.remove_requested_at = now()
    await session.flush()


@dataclass(frozen=True)
class Removal:
    member_id: int
    chat_id: int
    tg_id: int
    programme_id: int
    present: bool = True  # False: they left by themselves, only the row goes


async def removals_due(session: AsyncSession) -> list[Removal]:
    """Who must leave the chats now: marked by the hook, or found by reconciling.

    Administrators are never touched; people the admins added themselves stay unless they
    are (former) mentors of the programme.
    """
    due: list[Removal] = []
    chats = (await session.scalars(select(CommunityChat).order_by(CommunityChat.id))).all()
    for chat in chats:
        programme = await session.get(Programme, chat.programme_id)
        if programme is None:
            continue
        members = (
            await session.scalars(
                select(CommunityMember)
                .where(CommunityMember.community_chat_id == chat.id)
                .order_by(CommunityMember.id)
            )
        ).all()
        for member in members:
            if member.is_admin:
                continue
            present = member.left_at is None
            removal = Removal(member.id, chat.chat_id, member.tg_id, programme.id, present)
            if member.remove_requested_at is not None:
                due.append(removal)
                continue
            person = await session.get(Person, member.person_id) if member.person_id else None
            if not present:  # left by themselves: forgotten once no longer a mentor
                if person is None or not await may_be_in_chat(session, programme, person):
                    due.append(removal)
                continue
            # In MAX the bot alone admits people: anyone else is removed.
            gated = member.via_request or adds_members(chat.chat_id)
            if person is None:
                if gated:  # admitted as a mentor, and now gone from the bot
                    due.append(removal)
                continue
            if await may_be_in_chat(session, programme, person):
                continue
            mentor = await _mentor_row(session, programme.id, person.id)
            if gated or mentor is not None:
                due.append(removal)
    return due


async def mark_removed(session: AsyncSession, removal: Removal) -> None:
    """The person is out of the chat: forget them (nothing is kept about former members)."""
    await session.execute(delete(CommunityMember).where(CommunityMember.id == removal.member_id))
    session.add(
        AuditRecord(
            programme_id=removal.programme_id,
            actor_person_id=None,
            action="community_remove",
            details={"chat_id": removal.chat_id},
        )
    )
    await session.flush()


# ----------------------------------------------------------------------------- digest


@dataclass(frozen=True)
class DigestFigures:
    active_pairs: int
    meetings_last_week: int
    meetings_next_week: int
    mentors: int
    group_meeting_at: datetime | None
    group_meeting_place: str | None


async def digest_figures(
    session: AsyncSession, programme: Programme, moment: datetime
) -> DigestFigures:
    """Counts only: nothing about any mentee, no names."""
    pairs = await session.scalar(
        select(func.count())
        .select_from(Pair)
        .where(Pair.programme_id == programme.id, Pair.status == PairStatus.CONFIRMED)
    )
    week_ago, week_ahead = moment - timedelta(days=7), moment + timedelta(days=7)
    held = await session.scalar(
        select(func.count())
        .select_from(Meeting)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.programme_id == programme.id,
            Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.CONFIRMED]),
            Meeting.starts_at >= week_ago,
            Meeting.starts_at <= moment,
        )
    )
    planned = await session.scalar(
        select(func.count())
        .select_from(Meeting)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.programme_id == programme.id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > moment,
            Meeting.starts_at <= week_ahead,
        )
    )
    upcoming = await session.scalar(
        select(GroupMeeting)
        .where(
            GroupMeeting.programme_id == programme.id,
            GroupMeeting.starts_at > moment,
            GroupMeeting.starts_at <= moment + UPCOMING_WINDOW,
        )
        .order_by(GroupMeeting.starts_at)
        .limit(1)
    )
    return DigestFigures(
        active_pairs=int(pairs or 0),
        meetings_last_week=int(held or 0),
        meetings_next_week=int(planned or 0),
        mentors=len(await eligible_mentors(session, programme)),
        group_meeting_at=upcoming.starts_at if upcoming is not None else None,
        group_meeting_place=upcoming.place if upcoming is not None else None,
    )


def digest_text(programme: Programme, figures: DigestFigures, locale: str = GROUP_LOCALE) -> str:
    parts = [
        t(
            "community-digest",
            locale,
            programme=esc(programme.name),
            pairs=figures.active_pairs,
            held=figures.meetings_last_week,
            planned=figures.meetings_next_week,
            mentors=figures.mentors,
        )
    ]
    if figures.group_meeting_at is not None:
        local = figures.group_meeting_at.astimezone(programme_zone(programme))
        parts.append(
            t(
                "community-digest-group-meeting",
                locale,
                date=local.strftime("%d.%m"),
                time=local.strftime("%H:%M"),
                place=esc(figures.group_meeting_place or ""),
            )
        )
    parts.append(t("community-digest-closing", locale))
    return "\n\n".join(parts)


async def send_due_digests(session: AsyncSession) -> int:
    """Queue the weekly digest of every chat whose time has come; one per ISO week."""
    moment = now()
    rows = (
        await session.scalars(
            select(CommunityChat)
            .where(
                CommunityChat.next_digest_at.is_not(None), CommunityChat.next_digest_at <= moment
            )
            .order_by(CommunityChat.id)
        )
    ).all()
    queued = 0
    for row in rows:
        programme = await session.get(Programme, row.programme_id)
        if programme is None or programme.status == ProgrammeStatus.FINISHED:
            row.next_digest_at = None
            continue
        tz = programme_zone(programme)
        assert row.next_digest_at is not None
        year, week, _ = row.next_digest_at.astimezone(tz).isocalendar()
        figures = await digest_figures(session, programme, moment)
        if await enqueue(
            session,
            key=f"digest:{row.chat_id}:{year}-W{week:02d}",
            chat_id=row.chat_id,
            text=digest_text(programme, figures),
            kind="group",
            programme_id=programme.id,
        ):
            queued += 1
        # After a long pause one digest catches up; the next is the coming Monday.
        row.next_digest_at = next_digest_time(moment, tz)
    await session.flush()
    return queued
