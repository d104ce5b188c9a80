"""«📨 Отправить» of a feedback round pressed twice at once, and by two curators at once,
through the emulator: one round, one form per person, and «Опрос уже рассылается» for
whoever came second; a broadcast's «📨 Отправить» pressed twice: one message each."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from bot.infra.outbox import pending_count
from bot.playbook.hands import has, phrase
from bot.services.pairwork.cycle import on_pairs_confirmed
from storage.models import FeedbackRequest, FeedbackRound
from tests.support.factories import ANY_TIME, make_co_curator
from tests.support.pairwork import make_working_pair, outbox

ASK = "Пара минут о ваших встречах"  # the feedback form's invitation (pairs-feedback-ask)
SENT = "начат"  # pairs-fr-sent
ALREADY = phrase("pairs-fr-already")


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _world(emulator: Any, db: Any) -> tuple[Any, Any, list[Any]]:
    """A curator, a co-curator and two working pairs of one programme."""
    curator, co = emulator.create_user("Мария", started=True), emulator.create_user("Нина")
    members = [emulator.create_user(n, started=True) for n in ("Анна", "Миша", "Олег", "Катя")]
    async with db.session() as s:
        wp = await make_working_pair(
            s, mentor_tg=members[0].id, mentee_tg=members[1].id, curator_tg=curator.id, **ANY_TIME
        )
        other = await make_working_pair(
            s,
            programme=wp.programme,
            curator=wp.curator,
            mentor_tg=members[2].id,
            mentee_tg=members[3].id,
            mentor_name="Олег Сергеевич",
            mentee_name="Катя",
        )
        await make_co_curator(s, wp.programme, tg_id=co.id)
        await on_pairs_confirmed(s, [wp.pair.id, other.pair.id])
    return curator, co, members


async def _confirm_screen(user: Any) -> Any:
    await user.send("/feedback_round")
    await user.wait_for("Обратная связь")
    await user.press("📨 Отправить анкеты всем сейчас")
    return await user.wait_for("прямо сейчас?")


async def _forms_received(members: list[Any], db: Any) -> Counter[str]:
    """The forms people got once the delivery worker has sent everything queued."""
    for member in members:
        await member.wait_for(ASK)
    for _ in range(300):
        async with db.read() as s:
            if await pending_count(s) == 0:
                break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)  # the last message on its way
    return Counter(
        member.first_name
        for member in members
        for message in member.messages
        if ASK in message.text
    )


async def _one_round(db: Any) -> None:
    async with db.read() as s:
        assert len((await s.scalars(select(FeedbackRound))).all()) == 1
        assert len((await s.scalars(select(FeedbackRequest))).all()) == 4


async def test_two_curators_press_send_at_the_same_moment(emulator: Any, bot_app: Any) -> None:
    curator, co, members = await _world(emulator, bot_app.db)
    screens = [await _confirm_screen(curator), await _confirm_screen(co)]
    answers = await asyncio.gather(
        curator.press("📨 Отправить", message=screens[0]),
        co.press("📨 Отправить", message=screens[1]),
    )
    forms = await _forms_received(members, bot_app.db)
    assert forms == {"Анна": 1, "Миша": 1, "Олег": 1, "Катя": 1}
    await _one_round(bot_app.db)
    assert [a.text for a in answers].count(ALREADY) == 1


async def test_send_pressed_twice_at_once(emulator: Any, bot_app: Any) -> None:
    curator, _, members = await _world(emulator, bot_app.db)
    screen = await _confirm_screen(curator)
    answers = await asyncio.gather(
        curator.press("📨 Отправить", message=screen),
        curator.press("📨 Отправить", message=screen),
    )
    forms = await _forms_received(members, bot_app.db)
    assert forms == {"Анна": 1, "Миша": 1, "Олег": 1, "Катя": 1}
    await _one_round(bot_app.db)
    assert [a.text for a in answers].count(ALREADY) == 1
    assert SENT in (await curator.wait_for(SENT)).text


async def test_a_broadcast_pressed_twice_at_once_goes_out_once(emulator: Any, bot_app: Any) -> None:
    curator, _, members = await _world(emulator, bot_app.db)
    await curator.send("/broadcast")
    await curator.wait_for(predicate=has(phrase("broadcast-audience-all")))
    await curator.press(phrase("broadcast-audience-all"))
    await curator.wait_for("Напишите текст")
    await curator.send("В пятницу общее собрание в 15:00, актовый зал")
    preview = await curator.wait_for(predicate=has(phrase("broadcast-btn-send")))
    answers = await asyncio.gather(
        curator.press(phrase("broadcast-btn-send"), message=preview),
        curator.press(phrase("broadcast-btn-send"), message=preview),
    )
    for member in members:
        await member.wait_for("общее собрание")
    async with bot_app.db.read() as s:
        rows = await outbox(s, "broadcast:")
    assert sorted(Counter(r.person_id for r in rows).values()) == [1, 1, 1, 1]
    assert [a.text for a in answers].count(phrase("broadcast-already")) == 1
