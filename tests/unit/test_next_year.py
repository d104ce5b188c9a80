"""Next year: the long-term base of an organisation is invited to its new programme in one
step, through the outbox, with the new mentor link (consent asked again on joining);
another organisation's base and people already enrolled are left alone."""

from __future__ import annotations

from typing import Any

import pytest

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.completion.next_year import invite_long_term_base
from storage.db import Database
from storage.models import Person, Programme
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.pairwork import outbox
from tests.support.report_fixture import NOW


async def _next_programme(s: Any, old: Programme, curator: Person) -> Programme:
    """The organisation's new programme, the curator's current one."""
    new = Programme(
        organisation_id=old.organisation_id,
        name="Наставничество 2026/27",
        operator_name="МБОУ «Лицей № 1»",
        operator_details="8 (3953) 00-00-00",
    )
    s.add(new)
    await s.flush()
    curator.current_programme_id = new.id
    return new


async def test_the_base_is_invited_to_the_new_programme(
    db: Database, test_clock: TestClock
) -> None:
    test_clock.set(NOW)
    async with db.session() as s:
        old = await make_programme(s, name="Наставничество 2025/26")
        old.status = "finished"
        curator = await make_curator(s, old)
        new = await _next_programme(s, old, curator)
        mentor = await make_participant(s, old, "mentor", name="Анна", in_long_term_base=True)
        former = await make_participant(
            s, old, "mentee", name="Боря", in_long_term_base=True, wants_to_mentor=True
        )
        await make_participant(s, old, "mentor", name="Не продолжает")
        enrolled = await make_participant(
            s, old, "mentor", name="Уже в новой", in_long_term_base=True
        )
        await make_participant(
            s, new, "mentor", name="Уже в новой", person=await s.get(Person, enrolled.person_id)
        )
        elsewhere = await make_programme(s, name="Чужая", organisation="Другая школа")
        await make_participant(s, elsewhere, "mentor", name="Чужой", in_long_term_base=True)
        stranger = await make_curator(s, elsewhere)
        with pytest.raises(AccessDenied):
            await invite_long_term_base(s, stranger, new.id, "nastavnik_bot")
        sent = await invite_long_term_base(s, curator, new.id, "nastavnik_bot")
        expected = {mentor.person_id, former.person_id}
    assert sent == 2
    async with db.read() as s:
        messages = await outbox(s, f"next-year:{new.id}:")
    assert {m.person_id for m in messages} == expected
    assert all("https://t.me/nastavnik_bot?start=" in m.payload["text"] for m in messages)
    assert all(
        "Согласие на обработку данных мы спросим заново" in m.payload["text"] for m in messages
    )


async def test_each_person_of_the_base_gets_a_link_of_their_own_messenger(
    db: Database, test_clock: TestClock
) -> None:
    """The curator acts from MAX; the base has a mentor in Telegram and one in MAX (one
    deployment serving both): each link opens their own messenger's bot."""
    import asyncio

    from bot.max.ids import user_to_core
    from bot.services.messenger import MAX, TELEGRAM, remember_bots, use_messenger

    async def invite() -> int:
        use_messenger(MAX)  # this task's context only
        async with db.session() as s:
            old = await make_programme(s, name="Наставничество 2025/26")
            old.status = "finished"
            curator = await make_curator(s, old, tg_id=user_to_core(5))
            new = await _next_programme(s, old, curator)
            for name, tg_id in (("Анна", 700_100), ("Вера", user_to_core(700_200))):
                await make_participant(
                    s, old, "mentor", name=name, tg_id=tg_id, in_long_term_base=True
                )
            await invite_long_term_base(s, curator, new.id, "max_school_bot")
            return new.id

    test_clock.set(NOW)
    remember_bots({TELEGRAM: "tg_school_bot", MAX: "max_school_bot"})
    try:
        new_id = await asyncio.create_task(invite())
    finally:
        remember_bots({})
    async with db.read() as s:
        messages = await outbox(s, f"next-year:{new_id}:")
    by_chat = {m.chat_id: m.payload["text"] for m in messages}
    assert "https://t.me/tg_school_bot?start=" in by_chat[700_100]
    assert "https://max.ru/max_school_bot?start=" in by_chat[user_to_core(700_200)]
