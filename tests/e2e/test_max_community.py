"""The mentors' chat in MAX, end to end through the MAX emulator.

MAX has no join requests (its schema has no such update nor method): the bot adds
approved mentors itself (`POST /chats/{chatId}/members`), removes those who leave the
programme (`DELETE /chats/{chatId}/members`) and anyone added by hand who is not an
approved mentor, telling the curator — and never offers a Telegram invite link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.infra.scheduler import run_all_jobs
from bot.max.ids import chat_to_core, user_to_core
from bot.services.community import chat as community
from storage.models import CommunityChat, CommunityMember, Participant, Programme
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.max import max_app, max_emulator, max_settings
from tests.support.settle import read_settled

__all__ = ["max_app", "max_emulator", "max_settings"]

# Wednesday 7 October 2026, 12:00 in Irkutsk: outside quiet hours, so notices go at once.
START = datetime(2026, 10, 7, 4, 0, tzinfo=UTC)


@pytest.fixture
def clock_start() -> datetime:
    return START


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _programme(app: Any, curator: Any, **mentors: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with app.db.session() as s:
        programme = await make_programme(s, name="Наставничество 2026/27")
        await make_curator(s, programme, tg_id=user_to_core(curator.id))
        for key, user in mentors.items():
            p = await make_participant(
                s,
                programme,
                "mentor",
                name=user.first_name,
                tg_id=user_to_core(user.id),
                approved=True,
            )
            ids[key] = p.id
        ids["programme"] = programme.id
    return ids


async def _approved_mentor(app: Any, programme_id: int, user: Any) -> None:
    async with app.db.session() as s:
        programme = await s.get(Programme, programme_id)
        assert programme is not None
        await make_participant(
            s,
            programme,
            "mentor",
            name=user.first_name,
            tg_id=user_to_core(user.id),
            approved=True,
        )


async def test_the_bot_adds_approved_mentors_and_removes_everyone_else(
    max_emulator: Any, max_app: Any, test_clock: Any
) -> None:
    emu = max_emulator
    curator = emu.create_user("Мария", started=True)
    anna = emu.create_user("Анна", started=True)
    boris = emu.create_user("Борис", started=True)
    stranger = emu.create_user("Гость", started=True)
    ids = await _programme(max_app, curator, anna=anna, boris=boris)

    # The curator creates the group and adds the bot as an administrator: a private hint.
    group = emu.create_group("Наставники лицея", owner=curator)
    hint = await curator.wait_for("/group", timeout=10)
    assert "Наставничество 2026/27" in hint.text

    # /group binds it; the approved mentors are added by the bot itself, no link anywhere.
    await curator.send("/group", chat=group)
    done = await curator.wait_for("Готово", timeout=10)
    assert "добавлено: 2" in done.text and "ссылк" not in done.text
    await emu.wait_until(lambda: group.is_member(anna) and group.is_member(boris))
    assert emu.requests_of("/chats/{chatId}/members", "POST") == 1
    async with read_settled(max_app) as s:
        chat = await s.scalar(select(CommunityChat))
    assert chat is not None and chat.chat_id == chat_to_core(group.id)
    assert chat.invite_link is None
    for mentor in (anna, boris):
        notice = await mentor.wait_for("Я добавил вас", timeout=10)
        assert "Наставники лицея" in notice.text and not notice.buttons

    # Someone added by hand who is not an approved mentor is removed; the curator is told.
    await group.add_member(stranger, by=curator)
    told = await curator.wait_for("Я убрал этот аккаунт", timeout=10)
    assert "Гость" in told.text
    await emu.wait_until(lambda: not group.is_member(stranger))

    # The curator declines Boris: the reconcile job removes him from the chat.
    async with max_app.db.session() as s:
        boris_row = await s.get(Participant, ids["boris"])
        assert boris_row is not None
        boris_row.registry_status = "declined"
        await community.on_mentor_status_changed(s, ids["boris"])
    await run_all_jobs(max_app)
    await emu.wait_until(lambda: not group.is_member(boris))
    assert group.is_member(anna) and group.is_member(curator)

    # A mentor approved later is added by the next reconcile, and told once.
    vera = emu.create_user("Вера", started=True)
    await _approved_mentor(max_app, ids["programme"], vera)
    await run_all_jobs(max_app)
    await emu.wait_until(lambda: group.is_member(vera))
    await vera.wait_for("Я добавил вас", timeout=10)
    await run_all_jobs(max_app)
    assert emu.requests_of("/chats/{chatId}/members", "POST") == 2  # nobody asked twice

    # A mentor whose MAX privacy settings forbid being added is told so, once.
    galya = emu.create_user("Галя", started=True)
    galya.record.no_adding = True
    await _approved_mentor(max_app, ids["programme"], galya)
    await run_all_jobs(max_app)
    refused = await galya.wait_for("не смог", timeout=10)
    assert "напишите куратору" in refused.text and not group.is_member(galya)
    await run_all_jobs(max_app)
    assert emu.requests_of("/chats/{chatId}/members", "POST") == 3  # not asked again
    await galya.expect_silence(0.3)

    # A mentor who leaves the chat by herself is not added back.
    await group.leave(vera)
    await emu.wait_until(lambda: not group.is_member(vera))
    async with read_settled(max_app) as s:
        left = await s.scalar(
            select(CommunityMember).where(CommunityMember.tg_id == user_to_core(vera.id))
        )
    assert left is not None and left.left_at is not None
    await run_all_jobs(max_app)
    await run_all_jobs(max_app)
    assert not group.is_member(vera)
    assert emu.requests_of("/chats/{chatId}/members", "POST") == 3
    assert emu.requests_of("/chats/{chatId}/members", "DELETE") == 2  # Гость and Борис
    assert emu.rejections == []


async def test_without_the_members_right_the_bot_asks_for_it_and_changes_nothing(
    max_emulator: Any, max_app: Any
) -> None:
    curator = max_emulator.create_user("Мария", started=True)
    anna = max_emulator.create_user("Анна", started=True)
    await _programme(max_app, curator, anna=anna)
    group = max_emulator.create_group("Наставники", owner=curator, bot_admin=False)
    hint = await curator.wait_for("права администратора", timeout=10)
    assert "Добавлять и удалять участников" in hint.text
    assert "Пригласительные ссылки" not in hint.text
    await curator.send("/group", chat=group)
    answer = await curator.wait_for("/group ещё раз", timeout=10)
    assert "Добавлять и удалять участников" in answer.text
    async with read_settled(max_app) as s:
        assert await s.scalar(select(CommunityChat)) is None
    assert not group.is_member(anna)
    assert max_emulator.requests_of("/chats/{chatId}/members", "POST") == 0
