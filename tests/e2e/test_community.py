"""The mentors' community chat end to end: the real bot, the emulator, people in a group."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.infra.outbox import enqueue
from bot.infra.scheduler import run_all_jobs
from bot.services.community import chat as community
from emulator.api import Emulator
from emulator.scripted import ScriptedGroup, ScriptedUser
from storage.models import CommunityChat, OutboxMessage, Participant
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.settle import read_settled

# Wednesday 7 October 2026, 12:00 in Irkutsk: outside quiet hours, so invitations go at once.
START = datetime(2026, 10, 7, 4, 0, tzinfo=UTC)
INVITE_BUTTON = "Вступить в чат наставников"


@pytest.fixture
def clock_start() -> datetime:
    # The bot's background jobs start on START too: time never moves back under them.
    return START


async def _programme_with_people(
    app: Any, curator: ScriptedUser, **mentors: ScriptedUser
) -> dict[str, int]:
    """A programme with its curator and approved mentors; returns participant ids by name."""
    ids: dict[str, int] = {}
    async with app.db.session() as s:
        programme = await make_programme(s, name="Наставничество 2026/27")
        await make_curator(s, programme, tg_id=curator.id)
        for key, user in mentors.items():
            p = await make_participant(
                s, programme, "mentor", name=user.first_name, tg_id=user.id, approved=True
            )
            ids[key] = p.id
        ids["programme"] = programme.id
    return ids


async def _bound_chat(app: Any) -> CommunityChat | None:
    async with read_settled(app) as s:
        return await s.scalar(select(CommunityChat))


async def test_community_chat_from_binding_to_the_weekly_digest(
    emulator: Emulator, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(START)
    curator = emulator.create_user("Мария", started=True)
    anna = emulator.create_user("Анна", started=True)
    boris = emulator.create_user("Борис", started=True)
    stranger = emulator.create_user("Гость", started=True)
    ids = await _programme_with_people(bot_app, curator, anna=anna, boris=boris)
    group: ScriptedGroup = emulator.create_group("Наставники лицея", owner=curator, bot=None)

    # The curator adds the bot as an admin: a private hint, and not a word in the group.
    await group.add_bot(by=curator, admin=True)
    hint = await curator.wait_for("/group")
    assert "Наставничество 2026/27" in hint.text

    # /group@bot binds the chat; the answer comes privately.
    await curator.command("group", chat=group)
    done = await curator.wait_for("Готово")
    assert "Наставники лицея" in done.text and "Наставничество 2026/27" in done.text
    chat = await _bound_chat(bot_app)
    assert chat is not None and chat.chat_id == group.id and chat.programme_id == ids["programme"]
    assert group.invite_links == [chat.invite_link]
    assert group.record.invite_links[chat.invite_link].creates_join_request

    # Every approved mentor gets the join link through the outbox.
    invitations = {}
    for mentor in (anna, boris):
        msg = await mentor.wait_for("рабочий чат", timeout=10)
        button = msg.find_button(INVITE_BUTTON)
        assert button is not None and button["url"] == chat.invite_link
        invitations[mentor.id] = button["url"]

    # Join requests: the mentors are let in, a stranger is declined with a kind word.
    assert await anna.join(invitations[anna.id]) == "requested"
    assert await boris.join(invitations[boris.id]) == "requested"
    await emulator.wait_until(lambda: group.is_member(anna) and group.is_member(boris))
    assert await stranger.join(chat.invite_link) == "requested"
    declined = await stranger.wait_for("отклонил")
    assert "Наставничество 2026/27" in declined.text
    await emulator.wait_until(lambda: not group.join_requests)
    assert not group.is_member(stranger)

    # The curator declines Boris (the curator console calls the hook); he is removed.
    async with bot_app.db.session() as s:
        boris_row = await s.get(Participant, ids["boris"])
        assert boris_row is not None
        boris_row.registry_status = "declined"
        await community.on_mentor_status_changed(s, ids["boris"])
    await run_all_jobs(bot_app)
    await emulator.wait_until(lambda: not group.is_member(boris))
    assert group.member_status(boris) == "left"  # banned and unbanned: he may come back later
    assert group.is_member(anna)

    # An announcement into the chat goes through the outbox and arrives.
    async with bot_app.db.session() as s:
        await enqueue(
            s,
            key=f"broadcast:test:{group.id}",
            chat_id=group.id,
            text="Объявление: встреча наставников в пятницу",
            kind="group",
            programme_id=ids["programme"],
        )
    await group.wait_for("Объявление: встреча наставников", timeout=10)

    # The weekly digest: move the clock to Monday 10:00 local, run the jobs.
    assert chat.next_digest_at is not None
    test_clock.set(chat.next_digest_at + timedelta(minutes=1))
    await run_all_jobs(bot_app)
    digest = await group.wait_for("Неделя в программе", timeout=10)
    assert "Наставников в реестре: 1" in digest.text  # Anna; Boris was declined
    async with read_settled(bot_app) as s:
        group_rows = (
            await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == group.id))
        ).all()
    # everything the bot said in the group came from the outbox, and it said nothing else
    assert {r.kind for r in group_rows} == {"group"}
    assert len(group.messages) == len(group_rows) == 2
    assert any(re.fullmatch(rf"digest:{group.id}:2026-W42", r.idempotency_key) for r in group_rows)


async def test_bot_is_silent_in_the_group_for_talk_and_foreign_commands(
    emulator: Emulator, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(START)
    curator = emulator.create_user("Мария", started=True)
    anna = emulator.create_user("Анна", started=True)
    stranger = emulator.create_user("Гость", started=True)
    await _programme_with_people(bot_app, curator, anna=anna)
    group = emulator.create_group(
        "Наставники", owner=curator, members=[anna, stranger], bot="administrator"
    )
    used = set(bot_app.dispatcher.resolve_used_update_types())
    assert {"chat_member", "my_chat_member", "chat_join_request"} <= used
    await anna.send("Всем привет! Кто идёт в пятницу?", chat=group)
    await anna.command("start", chat=group)
    await anna.command("help", chat=group)
    await anna.send("/settings", chat=group)
    await stranger.command("group", chat=group)  # not a curator: /group does not exist for him
    await curator.send("/group@some_other_bot", chat=group)  # the curator, but not to us
    await emulator.wait_idle()
    await anna.expect_silence(0.5, chat=group)
    await anna.expect_silence(0.1)
    await stranger.expect_silence(0.1)
    await curator.expect_silence(0.1)
    assert group.messages == []
    assert await _bound_chat(bot_app) is None
    assert emulator.calls("createChatInviteLink") == 0


async def test_missing_admin_rights_named_and_nothing_half_done(
    emulator: Emulator, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(START)
    curator = emulator.create_user("Мария", started=True)
    anna = emulator.create_user("Анна", started=True)
    await _programme_with_people(bot_app, curator, anna=anna)
    rights = {"can_invite_users": True, "can_restrict_members": False, "can_manage_chat": True}
    group = emulator.create_group(
        "Наставники", owner=curator, bot="administrator", bot_rights=rights
    )
    await curator.command("group", chat=group)
    answer = await curator.wait_for("права администратора")
    assert "Блокировка пользователей" in answer.text
    assert "Пригласительные ссылки" not in answer.text
    assert await _bound_chat(bot_app) is None
    assert group.invite_links == [] and emulator.calls("createChatInviteLink") == 0
    assert group.messages == []
    async with read_settled(bot_app) as s:
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0

    # With the right given, the same command binds the chat.
    await group.promote_bot({**rights, "can_restrict_members": True}, by=curator)
    await curator.command("group", chat=group)
    await curator.wait_for("Готово")
    assert await _bound_chat(bot_app) is not None
    assert len(group.invite_links) == 1
    await anna.wait_for("рабочий чат", timeout=10)


async def test_an_applicant_who_never_wrote_to_the_bot_hears_why_before_the_decline(
    emulator: Emulator, bot_app: Any, test_clock: Any
) -> None:
    """Telegram lets the bot write to such an applicant only while the request is pending
    (ChatJoinRequest.user_chat_id); the emulator refuses it afterwards, as Telegram does."""
    test_clock.set(START)
    curator = emulator.create_user("Мария", started=True)
    await _programme_with_people(bot_app, curator)
    group = emulator.create_group("Наставники", owner=curator, bot="administrator")
    await curator.command("group", chat=group)
    await curator.wait_for("Готово")
    chat = await _bound_chat(bot_app)
    assert chat is not None

    applicant = emulator.create_user("Гость")  # has never written to the bot
    assert await applicant.join(chat.invite_link) == "requested"
    explained = await applicant.wait_for("отклонил", timeout=10)
    assert "Наставничество 2026/27" in explained.text
    await emulator.wait_until(lambda: not group.join_requests)
    assert not group.is_member(applicant)
    assert emulator.calls("declineChatJoinRequest") == 1
    assert emulator.stats.errors[403] == 0
