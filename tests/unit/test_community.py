"""The community chat service: binding, join requests, removals and the weekly digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from bot.infra.clock import TestClock
from bot.services.community import chat as community
from bot.services.community.chat import BotRights
from bot.services.people import TelegramUser
from storage.db import Database
from storage.models import (
    AuditRecord,
    CommunityChat,
    CommunityMember,
    GroupMeeting,
    Meeting,
    OutboxMessage,
    Person,
    Programme,
)
from tests.support.community import FakeChatAdmin
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_person,
    make_programme,
)

CHAT = -1001234567890
WEDNESDAY_NOON_UTC = datetime(2026, 10, 7, 12, 0, tzinfo=UTC)  # 20:00 in Irkutsk


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return WEDNESDAY_NOON_UTC


async def _world(session):  # type: ignore[no-untyped-def]
    programme = await make_programme(session)
    curator = await make_curator(session, programme)
    mentor = await make_participant(session, programme, "mentor", name="Анна", approved=True)
    candidate = await make_participant(session, programme, "mentor", name="Борис")
    return programme, curator, mentor, candidate


async def _bind(db: Database, admin: FakeChatAdmin, curator_id: int) -> community.BindResult:
    async with db.session() as s:
        curator = await s.get(Person, curator_id)
        assert curator is not None
        return await community.bind_group(s, admin, person=curator, chat_id=CHAT, title="Чат")


async def _outbox(db: Database, prefix: str) -> list[OutboxMessage]:
    async with db.read() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.idempotency_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def test_curator_binds_group_and_approved_mentors_get_one_invitation(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        programme, curator, mentor, candidate = await _world(s)
        ids = programme.id, curator.id, mentor.person_id, candidate.person_id
    admin = FakeChatAdmin()
    result = await _bind(db, admin, ids[1])
    assert result.outcome == "bound" and result.invites == 1
    assert admin.links == [(CHAT, "https://t.me/+link1")]
    async with db.read() as s:
        row = await s.scalar(select(CommunityChat))
        assert row is not None and row.programme_id == ids[0] and row.chat_id == CHAT
        assert row.invite_link == "https://t.me/+link1" and row.bound_by == ids[1]
        # Monday 12 October, 10:00 in Irkutsk (UTC+8)
        assert row.next_digest_at == datetime(2026, 10, 12, 2, 0, tzinfo=UTC)
        audit = await s.scalar(select(AuditRecord).where(AuditRecord.action == "community_bind"))
        assert audit is not None and audit.actor_person_id == ids[1]
    invites = await _outbox(db, "community-invite:")
    assert [r.idempotency_key for r in invites] == [f"community-invite:{ids[0]}:{ids[2]}"]
    button = invites[0].payload["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == "https://t.me/+link1"
    # it is 20:00 in Irkutsk: quiet hours from 21:00, so the invitation goes now
    assert invites[0].not_before == WEDNESDAY_NOON_UTC
    # binding again (same chat) keeps the link the mentors already have, and sends nothing new
    again = await _bind(db, admin, ids[1])
    assert again.outcome == "bound" and again.invites == 0
    assert len(admin.links) == 1 and admin.revoked == []
    assert len(await _outbox(db, "community-invite:")) == 1


async def test_someone_else_cannot_bind_and_nothing_is_created(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, _curator, mentor, _candidate = await _world(s)
        stranger = await make_person(s, name="Посторонний")
        ids = stranger.id, mentor.person_id
    admin = FakeChatAdmin()
    for person_id in ids:
        assert (await _bind(db, admin, person_id)).outcome == "ignored"  # type: ignore[arg-type]
    assert admin.links == []
    async with db.read() as s:
        assert await s.scalar(select(func.count()).select_from(CommunityChat)) == 0


@pytest.mark.parametrize(
    ("rights", "missing"),
    [
        (BotRights("member"), ["can_invite_users", "can_restrict_members"]),
        (BotRights("administrator", True, False), ["can_restrict_members"]),
        (BotRights("administrator", False, True), ["can_invite_users"]),
    ],
)
async def test_missing_rights_are_named_and_nothing_is_half_done(
    db: Database, clock: TestClock, rights: BotRights, missing: list[str]
) -> None:
    async with db.session() as s:
        _programme, curator, _mentor, _candidate = await _world(s)
        curator_id = curator.id
    admin = FakeChatAdmin(rights=rights)
    result = await _bind(db, admin, curator_id)
    assert result.outcome == "missing_rights" and result.missing == missing
    assert admin.links == []
    async with db.read() as s:
        assert await s.scalar(select(func.count()).select_from(CommunityChat)) == 0
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    text = community.rights_text(result.missing, "ru")
    assert ("Блокировка пользователей" in text) == ("can_restrict_members" in missing)
    assert ("Пригласительные ссылки" in text) == ("can_invite_users" in missing)


async def test_join_requests_mentor_in_stranger_and_candidate_out(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        programme, curator, mentor, candidate = await _world(s)
        mentor_tg = (await s.get(Person, mentor.person_id)).tg_id  # type: ignore[union-attr]
        candidate_tg = (await s.get(Person, candidate.person_id)).tg_id  # type: ignore[union-attr]
        curator_tg = curator.tg_id
        curator_id = curator.id
    admin = FakeChatAdmin()
    async with db.session() as s:  # before binding the chat is not ours: nothing is decided
        out = await community.handle_join_request(
            s, admin, chat_id=CHAT, user=TelegramUser(id=mentor_tg), user_chat_id=mentor_tg
        )
        assert out.outcome == "unbound"
    assert admin.approved == admin.declined == []
    await _bind(db, admin, curator_id)
    stranger_tg = 777_000_111
    outcomes = {}
    for tg in (mentor_tg, candidate_tg, stranger_tg, curator_tg):
        async with db.session() as s:
            outcomes[tg] = await community.handle_join_request(
                s,
                admin,
                chat_id=CHAT,
                user=TelegramUser(id=tg, language_code="ru"),
                user_chat_id=tg,
            )
    assert outcomes[mentor_tg].outcome == "approved"
    assert outcomes[curator_tg].outcome == "approved"
    assert outcomes[candidate_tg].outcome == outcomes[stranger_tg].outcome == "declined"
    assert admin.approved == [(CHAT, mentor_tg), (CHAT, curator_tg)]
    assert admin.declined == [(CHAT, candidate_tg), (CHAT, stranger_tg)]
    assert [chat for chat, _ in admin.told] == [candidate_tg, stranger_tg]
    assert all(programme.name in text for _, text in admin.told)
    async with db.read() as s:
        members = set(await s.scalars(select(CommunityMember.tg_id)))
    assert members == {mentor_tg, curator_tg}


async def test_declined_mentor_is_removed_via_the_hook_and_forgotten_after(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, curator, mentor, _candidate = await _world(s)
        mentor_tg = (await s.get(Person, mentor.person_id)).tg_id  # type: ignore[union-attr]
        curator_id, mentor_id = curator.id, mentor.id
    admin = FakeChatAdmin()
    await _bind(db, admin, curator_id)
    async with db.session() as s:
        await community.handle_join_request(
            s, admin, chat_id=CHAT, user=TelegramUser(id=mentor_tg), user_chat_id=mentor_tg
        )
    async with db.read() as s:
        assert await community.removals_due(s) == []
    async with db.session() as s:
        from storage.models import Participant

        p = await s.get(Participant, mentor_id)
        assert p is not None
        p.registry_status = "declined"
        await community.on_mentor_status_changed(s, mentor_id)
    async with db.read() as s:
        due = await community.removals_due(s)
    assert [(r.chat_id, r.tg_id) for r in due] == [(CHAT, mentor_tg)]
    async with db.session() as s:
        await community.mark_removed(s, due[0])
    async with db.read() as s:
        assert await s.scalar(select(func.count()).select_from(CommunityMember)) == 0
        assert await community.removals_due(s) == []


async def test_forget_me_removal_survives_the_person_being_deleted(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, curator, mentor, _candidate = await _world(s)
        person_id = mentor.person_id
        mentor_tg = (await s.get(Person, person_id)).tg_id  # type: ignore[union-attr]
        curator_id, mentor_id = curator.id, mentor.id
    admin = FakeChatAdmin()
    await _bind(db, admin, curator_id)
    async with db.session() as s:
        await community.record_member_status(s, chat_id=CHAT, tg_id=mentor_tg, status="member")
    async with db.session() as s:
        from storage.models import Participant

        p = await s.get(Participant, mentor_id)
        assert p is not None
        p.status = "withdrawn"
        await community.on_mentor_status_changed(s, mentor_id)
        await s.execute(delete(Person).where(Person.id == person_id))
    async with db.read() as s:
        due = await community.removals_due(s)
    assert [r.tg_id for r in due] == [mentor_tg]


async def test_reconcile_finds_leavers_without_the_hook_and_spares_others(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        programme, curator, mentor, _candidate = await _world(s)
        kept = await make_participant(s, programme, "mentor", name="Вера", approved=True)
        long_term = await make_participant(
            s, programme, "mentor", name="Галина", approved=True, in_long_term_base=True
        )
        guest = await make_person(s, name="Психолог")  # added by the admins themselves
        tgs = {
            "mentor": (await s.get(Person, mentor.person_id)).tg_id,  # type: ignore[union-attr]
            "kept": (await s.get(Person, kept.person_id)).tg_id,  # type: ignore[union-attr]
            "long": (await s.get(Person, long_term.person_id)).tg_id,  # type: ignore[union-attr]
            "guest": guest.tg_id,
            "admin": 555_000_001,
            "curator": curator.tg_id,
        }
        curator_id, mentor_id, programme_id = curator.id, mentor.id, programme.id
    admin = FakeChatAdmin()
    await _bind(db, admin, curator_id)
    async with db.session() as s:
        for key in ("mentor", "kept", "long", "curator"):
            await community.record_member_status(
                s, chat_id=CHAT, tg_id=tgs[key], status="member", via_request=True
            )
        await community.record_member_status(s, chat_id=CHAT, tg_id=tgs["guest"], status="member")
        await community.record_member_status(
            s, chat_id=CHAT, tg_id=tgs["admin"], status="administrator"
        )
    async with db.session() as s:
        from storage.models import Participant, Programme

        p = await s.get(Participant, mentor_id)
        assert p is not None
        p.registry_status = "declined"  # no hook called
    async with db.read() as s:
        assert [r.tg_id for r in await community.removals_due(s)] == [tgs["mentor"]]
    async with db.session() as s:
        prog = await s.get(Programme, programme_id)
        assert prog is not None
        prog.status = "finished"
    async with db.read() as s:
        due = {r.tg_id for r in await community.removals_due(s)}
    assert due == {tgs["mentor"], tgs["kept"]}  # the long-term base, curator, guest, admin stay
    # members leaving on their own are forgotten
    async with db.session() as s:
        await community.record_member_status(s, chat_id=CHAT, tg_id=tgs["kept"], status="left")
    async with db.read() as s:
        assert {r.tg_id for r in await community.removals_due(s)} == {tgs["mentor"]}


async def test_reapproved_mentor_is_no_longer_marked_for_removal(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, curator, mentor, _candidate = await _world(s)
        mentor_tg = (await s.get(Person, mentor.person_id)).tg_id  # type: ignore[union-attr]
        curator_id, mentor_id = curator.id, mentor.id
    await _bind(db, FakeChatAdmin(), curator_id)
    async with db.session() as s:
        await community.record_member_status(
            s, chat_id=CHAT, tg_id=mentor_tg, status="member", via_request=True
        )
    from storage.models import Participant

    for status, expected in (("declined", [mentor_tg]), ("approved", [])):
        async with db.session() as s:
            p = await s.get(Participant, mentor_id)
            assert p is not None
            p.registry_status = status
            await community.on_mentor_status_changed(s, mentor_id)
        async with db.read() as s:
            assert [r.tg_id for r in await community.removals_due(s)] == expected


async def test_candidate_approved_later_gets_the_invitation_through_the_hook(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        programme, curator, _mentor, candidate = await _world(s)
        curator_id, candidate_id = curator.id, candidate.id
        key = f"community-invite:{programme.id}:{candidate.person_id}"
    await _bind(db, FakeChatAdmin(), curator_id)
    assert await _outbox(db, key) == []
    async with db.session() as s:
        from storage.models import Participant

        p = await s.get(Participant, candidate_id)
        assert p is not None
        p.registry_status = "approved"
        await community.on_mentor_status_changed(s, candidate_id)
    assert len(await _outbox(db, key)) == 1


async def test_moving_to_another_chat_revokes_the_old_link_and_reinvites(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, curator, _mentor, _candidate = await _world(s)
        curator_id = curator.id
    admin = FakeChatAdmin()
    await _bind(db, admin, curator_id)
    async with db.session() as s:
        curator = await s.get(Person, curator_id)
        assert curator is not None
        result = await community.bind_group(
            s, admin, person=curator, chat_id=CHAT - 1, title="Новый чат"
        )
    assert result.outcome == "bound" and result.invites == 1
    assert admin.revoked == ["https://t.me/+link1"]
    invites = await _outbox(db, "community-invite:")
    assert len(invites) == 1
    assert invites[0].payload["reply_markup"]["inline_keyboard"][0][0]["url"] == (
        "https://t.me/+link2"
    )


@pytest.mark.parametrize(
    ("after", "zone"),
    [
        (datetime(2026, 10, 7, 12, 0, tzinfo=UTC), "Asia/Irkutsk"),
        (datetime(2026, 10, 12, 2, 0, tzinfo=UTC), "Asia/Irkutsk"),  # exactly Monday 10:00
        (datetime(2026, 10, 12, 1, 59, tzinfo=UTC), "Asia/Irkutsk"),
        (datetime(2026, 10, 11, 23, 30, tzinfo=UTC), "Asia/Yekaterinburg"),
        (datetime(2026, 3, 29, 8, 0, tzinfo=UTC), "Europe/Berlin"),  # the clocks go forward
    ],
)
def test_next_digest_time_is_the_next_monday_ten_local(after: datetime, zone: str) -> None:
    tz = ZoneInfo(zone)
    moment = community.next_digest_time(after, tz)
    local = moment.astimezone(tz)
    assert moment > after and moment - after <= timedelta(days=7)
    assert local.weekday() == 0 and (local.hour, local.minute) == (10, 0)
    assert moment.tzinfo is not None


async def test_weekly_digest_counts_only_once_a_week_in_the_group(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        programme, curator, mentor, _candidate = await _world(s)
        mentee = await make_participant(s, programme, "mentee", name="Секретный Подросток")
        pair = await make_pair(s, programme, mentor, [mentee])
        monday = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)
        s.add_all(
            [
                Meeting(pair_id=pair.id, starts_at=monday - timedelta(days=2), status="held"),
                Meeting(pair_id=pair.id, starts_at=monday - timedelta(days=3), status="confirmed"),
                Meeting(pair_id=pair.id, starts_at=monday - timedelta(days=9), status="held"),
                Meeting(pair_id=pair.id, starts_at=monday + timedelta(days=2), status="scheduled"),
                GroupMeeting(
                    programme_id=programme.id,
                    starts_at=monday + timedelta(days=3, hours=6),  # Thursday 16:00 local
                    place="Актовый зал <b>",
                ),
            ]
        )
        curator_id = curator.id
    await _bind(db, FakeChatAdmin(), curator_id)
    async with db.session() as s:
        assert await community.send_due_digests(s) == 0  # not Monday yet
    clock.set(datetime(2026, 10, 12, 2, 5, tzinfo=UTC))
    async with db.session() as s:
        assert await community.send_due_digests(s) == 1
    async with db.session() as s:
        assert await community.send_due_digests(s) == 0  # once a week
    rows = await _outbox(db, "digest:")
    assert [(r.idempotency_key, r.chat_id, r.kind) for r in rows] == [
        (f"digest:{CHAT}:2026-W42", CHAT, "group")
    ]
    text = rows[0].payload["text"]
    assert "Наставнических пар в работе: 1" in text
    assert "Встреч за прошедшую неделю: 2" in text
    assert "Встреч запланировано на эту неделю: 1" in text
    assert "Наставников в реестре: 1" in text
    assert "15.10 в 16:00, Актовый зал &lt;b&gt;" in text
    assert "Подросток" not in text and "Анна" not in text
    async with db.read() as s:
        row = await s.scalar(select(CommunityChat))
        assert row is not None
        assert row.next_digest_at == datetime(2026, 10, 19, 2, 0, tzinfo=UTC)
    # a finished programme gets no more digests
    clock.set(datetime(2026, 10, 19, 3, 0, tzinfo=UTC))
    async with db.session() as s:
        from storage.models import Programme

        prog = await s.get(Programme, programme.id)
        assert prog is not None
        prog.status = "finished"
        assert await community.send_due_digests(s) == 0
    assert len(await _outbox(db, "digest:")) == 1


async def test_bot_removed_from_group_unbinds_and_tells_the_curator(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        _programme, curator, _mentor, _candidate = await _world(s)
        curator_id = curator.id
    await _bind(db, FakeChatAdmin(), curator_id)
    async with db.session() as s:
        assert await community.unbind_chat(s, CHAT, None) == 1
    async with db.read() as s:
        assert await s.scalar(select(func.count()).select_from(CommunityChat)) == 0
    told = await _outbox(db, "community-unbound:")
    assert len(told) == 1 and "/group" in told[0].payload["text"]


async def test_a_max_group_adds_mentors_itself_and_removes_anyone_else(
    db: Database, clock: TestClock
) -> None:
    """MAX has no join requests: binding adds the approved mentors of MAX (no link), one
    MAX refuses is told how to get in and not asked for again, one not added because MAX
    did not answer is asked for next time, a Telegram mentor is not added to a MAX
    group, and someone added by hand who is not an approved mentor is removed."""
    from bot.max.ids import chat_to_core, user_to_core

    max_chat = chat_to_core(70_000_001)
    async with db.session() as s:
        programme = await make_programme(s)
        curator = await make_curator(s, programme, tg_id=user_to_core(1))
        ids = {}
        for name, tg_id in (("Анна", user_to_core(2)), ("Вера", user_to_core(3)), ("Тоня", 4)):
            await make_participant(s, programme, "mentor", name=name, tg_id=tg_id, approved=True)
            ids[name] = tg_id
        await make_participant(s, programme, "mentor", name="Ждёт", tg_id=user_to_core(5))
        curator_id = curator.id
    admin = FakeChatAdmin(refuse_adding={ids["Вера"]})
    async with db.session() as s:
        person = await s.get(Person, curator_id)
        assert person is not None
        result = await community.bind_group(
            s, admin, person=person, chat_id=max_chat, title="Наставники"
        )
    assert result.outcome == "bound" and result.added and result.invites == 1
    assert admin.links == [] and admin.added == [(max_chat, ids["Анна"])]
    invited = await _outbox(db, "community-invite:")
    assert [m.chat_id for m in invited] == [ids["Анна"]]
    assert "inline_keyboard" not in (invited[0].payload.get("reply_markup") or {})
    refused = await _outbox(db, "community-add-refused:")
    assert [m.chat_id for m in refused] == [ids["Вера"]]
    async with db.read() as s:
        assert await community.additions_due(s) == []  # Тоня is in Telegram
    # A mentor approved while MAX does not answer is asked for again.
    async with db.session() as s:
        programme_row = await s.get(Programme, programme.id)
        assert programme_row is not None
        await make_participant(
            s, programme_row, "mentor", name="Ира", tg_id=user_to_core(7), approved=True
        )
    admin.reachable = False
    async with db.read() as s:
        (addition,) = await community.additions_due(s)
    assert await admin.add(max_chat, addition.tg_ids) is None
    async with db.read() as s:
        assert [a.tg_ids for a in await community.additions_due(s)] == [[user_to_core(7)]]

    async with db.session() as s:
        # the candidate waiting for approval, and an unknown account, added by hand
        for tg_id in (user_to_core(5), user_to_core(6)):
            removal = await community.record_member_status(
                s, chat_id=max_chat, tg_id=tg_id, status="member", name="Кто-то"
            )
            assert removal is not None and removal.tg_id == tg_id
        # the mentor the bot added is welcome, whoever reports it
        assert (
            await community.record_member_status(
                s, chat_id=max_chat, tg_id=ids["Анна"], status="member"
            )
            is None
        )
    told = await _outbox(db, "community-stranger:")
    assert len(told) == 2 and {m.chat_id for m in told} == {user_to_core(1)}
    async with db.read() as s:
        assert {r.tg_id for r in await community.removals_due(s)} == {
            user_to_core(5),
            user_to_core(6),
        }

    # Анна leaves by herself: not added again, and nothing to remove while she is a mentor.
    async with db.session() as s:
        await community.record_member_status(
            s, chat_id=max_chat, tg_id=ids["Анна"], status="left", by_self=True
        )
    async with db.read() as s:
        assert [a.tg_ids for a in await community.additions_due(s)] == [[user_to_core(7)]]
        assert ids["Анна"] not in {r.tg_id for r in await community.removals_due(s)}
