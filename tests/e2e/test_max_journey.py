"""The participants' journeys in MAX, through the MAX emulator, with no request refused by
MAX's schema (`max_app` checks `rejections` at the end of every test)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.max.ids import user_to_core
from bot.services import forms
from bot.texts import t
from storage.models import (
    Consent,
    FormSession,
    MaxMessageId,
    Participant,
    Person,
    Withdrawal,
)
from tests.support.journey import dump_text, programme_with_invitations
from tests.support.max import max_app, max_emulator, max_settings
from tests.support.settle import read_settled

__all__ = ["max_app", "max_emulator", "max_settings"]

NAME = "<b>Вася & Co</b>"
PHONE = "+7 914 555-12-34"
BOT = "nastavnik_school_bot"  # the MAX emulator's bot


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    # A script answers far faster than a person; the 30 requests/s are tested apart.
    return {"rate_limits": False}


async def _participant(
    db: Any, programme_id: int, role: str, until: Callable[[Participant], bool] | None = None
) -> Participant:
    for _ in range(100):
        async with db.read() as s:
            found = await s.scalar(
                select(Participant).where(
                    Participant.programme_id == programme_id, Participant.role == role
                )
            )
        assert found is not None
        if until is None or until(found):
            return found
        await asyncio.sleep(0.02)
    return found


def _done(p: Participant) -> bool:
    return p.profile_complete


async def test_adult_mentee_in_max_from_link_to_profile_and_forget_me(
    max_emulator: Any, max_app: Any
) -> None:
    setup = await programme_with_invitations(max_app.db, 700_001)
    user = max_emulator.create_user("Вася")

    await user.start("no-such-code")  # bot_started with a payload nobody issued
    assert "Не получилось узнать эту ссылку" in (await user.next_message()).text
    await user.start(setup.revoked_code)
    assert "отозвал" in (await user.next_message()).text

    await user.start(setup.mentee_code)
    about = await user.next_message()
    assert "Наставничество 2026/27" in about.text  # a mentee reads plain words, no forms list
    assert "Вопрос 1 из" in (await user.next_message()).text
    await user.send(NAME)
    consent = await user.next_message()
    assert "Согласие на обработку" in consent.text and "ИНН 3804000000" in consent.text
    # The person is known by their MAX id, in MAX's range, never a Telegram id.
    async with max_app.db.read() as s:
        person = await s.scalar(select(Person).where(Person.tg_id == user_to_core(user.id)))
    assert person is not None and person.tg_id >= 2**53
    await user.press("✅ Даю согласие, мне уже есть 18")
    assert "Согласие сохранено" in (await user.next_message()).text
    assert "Сколько вам полных лет" in (await user.next_message()).text
    await user.send("сто")
    assert "Введите число от 10 до 80" in (await user.next_message()).text
    await user.send("24")
    assert "Вопрос 3 из" in (await user.next_message()).text
    await user.send("учитель")
    assert "кнопкой" in (await user.next_message()).text
    await user.press("молодой педагог")
    q4 = await user.next_message()
    assert "Какой предмет" in q4.text
    stale_back = str(q4.find_button("⬅️ Назад")["payload"])
    await user.press("⬅️ Назад")
    back = await user.next_message()
    assert "Кто вы в программе" in back.text and "молодой педагог" in back.text
    # A stale button and a forged one change nothing and are answered with a notice.
    stale = await user.answer(await user.press_payload(stale_back, message=q4))
    assert stale.notification
    await user.next_message()  # the current step again
    forged = await user.answer(await user.press_payload("fm:999999:0:pick:0"))
    assert forged.notification
    await user.press(re.compile("молодой педагог"))
    await user.next_message()
    await user.send("Математика")
    await user.next_message()
    await user.send("2")
    requests = await user.next_message()
    assert "С чем вам хотелось бы помощи" in requests.text
    # A multiple choice: each press edits the message's keyboard in place (PUT /messages).
    await user.press("выбор профессии")
    await user.press("проектная работа")
    await user.press("✅ Готово")
    assert "интересны" in (await user.next_message()).text
    await user.send("Шахматы в клубе")
    hobbies = await user.next_message()
    assert "Пропустить ➡️" in hobbies.button_texts
    await user.press("Пропустить ➡️")
    await user.next_message()
    await user.press("онлайн")
    await user.next_message()
    await user.press("будни, вечер")
    await user.press("✅ Готово")
    await user.next_message()
    await user.send("Вести уроки увереннее")
    await user.next_message()
    await user.send(PHONE)
    assert "Показывать ваш контакт" in (await user.next_message()).text
    await user.press("Да, показывать наставнику")
    review = await user.next_message()
    assert "проверьте ответы" in review.text and NAME in review.text  # shown as typed
    await user.press("✅ Подтвердить")
    assert "Анкета сохранена" in (await user.next_message()).text

    participant = await _participant(max_app.db, setup.programme_id, "mentee", _done)
    assert (participant.status, participant.age, participant.category) == (
        "active",
        24,
        "young_teacher",
    )
    async with max_app.db.read() as s:
        answers = await forms.answers_of(s, participant.id, "mentee_profile") or {}
    assert answers["requests"] == ["career", "project"] and answers["contact"] == PHONE

    # MAX's message ids of the dialog are kept on disk (an edit after a restart)...
    mine = select(MaxMessageId).where(MaxMessageId.chat_id == user_to_core(user.id))
    async with read_settled(max_app) as s:
        assert len((await s.scalars(mine)).all()) > 10
    await user.command("forget_me")
    await user.next_message()
    await user.press("Да, удалить всё")
    assert "данные удалены" in (await user.next_message()).text
    for _ in range(100):
        async with read_settled(max_app) as s:
            if not (await s.scalars(select(FormSession))).all():
                break
        await asyncio.sleep(0.02)
    # ... and erased with the rest (the farewell is sent after the erase; housekeeping
    # forgets its id within the hour, tests/unit/test_max_message_ids.py).
    async with read_settled(max_app) as s:
        assert len((await s.scalars(mine)).all()) <= 1
    dump = await dump_text(max_app.db)
    for secret in ("Вася & Co", "Математика", PHONE, "увереннее", "Шахматы в клубе"):
        assert secret not in dump, secret
    async with read_settled(max_app) as s:
        assert len((await s.scalars(select(Withdrawal))).all()) == 1


async def _fill_mentee_rest(user: Any) -> None:
    await user.press("школьник")
    await user.next_message()
    await user.send("8")
    await user.next_message()
    await user.press("успеваемость")
    await user.press("✅ Готово")
    await user.next_message()
    await user.press("робототехника")
    await user.press("✅ Готово")
    await user.next_message()
    await user.send("Лего")
    await user.next_message()
    await user.press("очно")
    await user.next_message()
    await user.press("выходные")
    await user.press("✅ Готово")
    await user.next_message()
    await user.send("Подтянуть математику")
    await user.next_message()
    await user.press("Пропустить ➡️")
    await user.next_message()
    await user.press("✅ Подтвердить")
    await user.next_message()


async def test_minor_with_a_parent_and_a_mentor_in_max(max_emulator: Any, max_app: Any) -> None:
    curator = max_emulator.create_user("Куратор", started=True)
    setup = await programme_with_invitations(max_app.db, user_to_core(curator.id))
    child = max_emulator.create_user("Петя")
    parent = max_emulator.create_user("Мама")

    await child.start(setup.mentee_code)
    await child.next_message()
    await child.next_message()
    await child.send("Петров Петя")
    assert "нет 18" in (await child.next_message()).text
    await child.press("✅ Даю согласие, мне ещё нет 18")
    link_msg = await child.next_message()
    # The link for the parent is MAX's deep link to the same bot.
    found = re.search(rf"https://max\.ru/{BOT}\?start=(p_[\w-]+)", link_msg.text)
    assert found is not None, link_msg.text
    participant = await _participant(
        max_app.db, setup.programme_id, "mentee", lambda p: p.status == "parent_pending"
    )
    assert participant.is_minor
    await child.send("что-нибудь")
    assert "Ждём согласия" in (await child.next_message()).text

    await parent.start(found.group(1))
    assert "Петров Петя" in (await parent.next_message()).text
    await parent.send("Петрова Анна Ивановна")
    await parent.next_message()
    await parent.press("мама")
    ask = await parent.wait_for(predicate=lambda m: m.find_button("✅ Даю согласие") is not None)
    await parent.press("✅ Даю согласие", message=ask)
    assert "Согласие сохранено" in (await parent.next_message()).text
    await parent.start(found.group(1))
    assert "уже использована" in (await parent.next_message()).text
    await child.wait_for("Родитель дал согласие", timeout=10)
    # The curator hears of consents in the day's digest, here asked for at once, in MAX.
    await curator.command("digest")
    await curator.wait_for("Сейчас в сводке")
    await curator.press(t("digest-btn-now", "ru"))
    await curator.wait_for("Родитель дал согласие (1)", timeout=10)

    await child.start()
    await child.next_message()
    assert "Вопрос 2 из" in (await child.next_message()).text
    await child.send("13")
    assert "Вопрос 3 из" in (await child.next_message()).text
    await _fill_mentee_rest(child)
    participant = await _participant(max_app.db, setup.programme_id, "mentee", _done)
    assert participant.grade == 8
    async with read_settled(max_app) as s:
        kinds = sorted(
            (c.kind, c.decision)
            for c in await s.scalars(
                select(Consent).where(Consent.participant_id == participant.id)
            )
        )
    assert kinds == [("parent", "agreed"), ("self", "agreed")]

    mentor = max_emulator.create_user("Анна")
    await mentor.start(setup.mentor_code)
    await mentor.next_message()
    await mentor.next_message()
    await mentor.send("Анна Сергеевна")
    await mentor.next_message()
    await mentor.press("✅ Даю согласие, мне уже есть 18")
    await mentor.next_message()
    assert "Вопрос 2 из" in (await mentor.next_message()).text
    await mentor.send("41")
    assert "Вопрос 3 из" in (await mentor.next_message()).text
    steps: list[tuple[str, str]] = [
        ("press", "педагог"),
        ("send", "Лицей № 1, учитель информатики"),
        ("press", "Пропустить ➡️"),
        ("send", "15 лет в школе"),
        ("multi", "цифровые навыки"),
        ("press", "Пропустить ➡️"),
        ("multi", "IT и программирование"),
        ("send", "Терпение"),
        ("send", "Хочу делиться опытом"),
        ("press", "Пропустить ➡️"),
        ("press", "4"),
        ("multi", "14–17 лет"),
        ("send", "8"),
        ("press", "раз в две недели"),
        ("send", "2"),
        ("press", "смешанный: очно и онлайн"),
        ("multi", "будни, день"),
        ("send", "anna@example.org"),
        ("press", "Нет, только переписка в боте"),
    ]
    for kind, value in steps:
        if kind == "send":
            await mentor.send(value)
        else:
            await mentor.press(value)
            if kind == "multi":
                await mentor.press("✅ Готово")
        await mentor.next_message()
    await mentor.press("✅ Подтвердить")
    assert "Анкета сохранена" in (await mentor.next_message()).text
    mentor_row = await _participant(max_app.db, setup.programme_id, "mentor", _done)
    assert mentor_row.capacity == 2
