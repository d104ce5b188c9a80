"""The participant's journey through the emulator: invitation → consent → confirmed profile."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import forms
from bot.texts import t
from storage.models import Consent, FormSession, Participant, Withdrawal
from tests.support.journey import dump_text, programme_with_invitations
from tests.support.settle import read_settled

NAME = "<b>Вася & Co</b>"
PHONE = "+7 914 555-12-34"


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # A script answers far faster than a person; Telegram's per-chat limits are the
    # delivery worker's subject, tested there.
    return {"rate_limits": False}


async def _answers(db: Any, participant_id: int, form: str) -> dict[str, Any]:
    async with db.read() as s:
        return await forms.answers_of(s, participant_id, form) or {}


async def _participant(
    db: Any, programme_id: int, role: str, until: Callable[[Participant], bool] | None = None
) -> Participant:
    """The participant row; with `until`, waits (briefly) for the handler's commit, which
    lands just after the bot's reply."""
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


async def test_adult_mentee_full_journey_and_forget_me(emulator: Any, bot_app: Any) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_001)
    user = emulator.create_user("Вася")

    # Garbage, revoked codes get a clear answer and enrol nobody.
    await user.start("no-such-code")
    assert "Не получилось узнать эту ссылку" in (await user.next_message()).text
    await user.start(setup.revoked_code)
    assert "отозвал" in (await user.next_message()).text

    await user.start(setup.mentee_code)
    about = await user.next_message()
    assert "Наставничество 2026/27" in about.text and "наставник" in about.text
    # A mentee (a child, as often as not) reads plain words, not the forms of mentoring.
    assert "Формы наставничества" not in about.text
    assert "Вопрос 1 из" in (await user.next_message()).text
    await user.send(NAME)
    consent = await user.next_message()
    assert "Согласие на обработку" in consent.text and "ИНН 3804000000" in consent.text
    # The terms the consent states are the settings' defaults (30 days, 1 year).
    assert "1 год после неё" in consent.text and "через 30 дней" in consent.text
    # Nothing but the name before consent (domain.md: «nothing but the name is kept»).
    participant = await _participant(
        bot_app.db, setup.programme_id, "mentee", lambda p: p.display_name == NAME
    )
    assert participant.status == "consent_pending" and participant.age is None
    assert set(await _answers(bot_app.db, participant.id, "mentee_profile")) == {"full_name"}
    await user.press("✅ Даю согласие, мне уже есть 18")
    assert "Согласие сохранено" in (await user.next_message()).text
    msg = await user.next_message()
    assert "Вопрос 2 из" in msg.text and "Сколько вам полных лет" in msg.text
    await user.send("сто")
    assert "Введите число от 10 до 80" in (await user.next_message()).text
    await user.send("9")
    assert "Введите число от 10 до 80" in (await user.next_message()).text
    await user.send("24")
    q3 = await user.next_message()
    assert "Вопрос 3 из" in q3.text
    # A typed answer to a buttons-only question is refused kindly.
    await user.send("учитель")
    assert "кнопкой" in (await user.next_message()).text
    await user.press("молодой педагог")
    q4 = await user.next_message()
    assert "Какой предмет" in q4.text
    stale_back = str(q4.find_button("⬅️ Назад")["callback_data"])
    # «Назад» returns to the category with the answer shown.
    await user.press("⬅️ Назад")
    back = await user.next_message()
    assert "Кто вы в программе" in back.text and "молодой педагог" in back.text
    # The stale button of the older message changes nothing.
    answer = await user.press_data(stale_back, message=q4)
    assert answer.alert is not None
    await user.next_message()  # the current step is shown again
    # A forged button.
    answer = await user.press_data("fm:999999:0:pick:0")
    assert answer.alert is not None
    await user.press(re.compile("молодой педагог"))
    await user.next_message()
    await user.send("Математика")
    await user.next_message()  # experience
    await user.send("2")
    requests = await user.next_message()
    assert "С чем вам хотелось бы помощи" in requests.text
    await user.press("✅ Готово")  # nothing chosen yet
    await user.press("выбор профессии")
    await user.press("проектная работа")
    await user.press("✅ Готово")
    interests = await user.next_message()
    assert "интересны" in interests.text
    await user.send("Шахматы в клубе")  # «Другое» as text
    hobbies = await user.next_message()
    assert "Пропустить" in " ".join(hobbies.button_texts)
    await user.press("Пропустить ➡️")
    await user.next_message()
    await user.press("онлайн")
    await user.next_message()
    await user.press("будни, вечер")
    await user.press("✅ Готово")
    await user.next_message()
    await user.send("x" * 1001)
    assert "Слишком длинно" in (await user.next_message()).text
    await user.send("Научиться вести уроки увереннее")
    await user.next_message()
    await user.send(PHONE)
    share = await user.next_message()
    assert "Показывать ваш контакт вашему наставнику" in share.text
    await user.press("Да, показывать наставнику")
    review = await user.next_message()
    assert "проверьте ответы" in review.text
    assert NAME in review.text  # shown as typed, not as markup
    # Edit the goals from the summary.
    goals_item = re.search(r"(\d+)\. Чего вы хотите достичь", review.text)
    assert goals_item is not None
    await user.press(f"✏️ {goals_item.group(1)}")
    await user.next_message()
    await user.send("Вести уроки увереннее и спокойнее")
    review = await user.next_message()
    assert "спокойнее" in review.text
    await user.press("✅ Подтвердить")
    assert "Анкета сохранена" in (await user.next_message()).text

    participant = await _participant(bot_app.db, setup.programme_id, "mentee", _done)
    assert participant.status == "active" and participant.profile_complete
    assert (participant.display_name, participant.age, participant.category) == (
        NAME,
        24,
        "young_teacher",
    )
    assert await _answers(bot_app.db, participant.id, "mentee_profile") == {
        "full_name": NAME,
        "age": 24,
        "category": "young_teacher",
        "subject": "Математика",
        "experience_years": 2,
        "requests": ["career", "project"],
        "interests": ["Шахматы в клубе"],
        "format": "online",
        "times": ["weekday_evening"],
        "goals": "Вести уроки увереннее и спокойнее",
        "contact": PHONE,
        "share_contact": "yes",
    }

    # The same link again is harmless.
    await user.start(setup.mentee_code)
    assert "С возвращением" in (await user.next_message()).text
    assert "заполнена" in (await user.next_message()).text
    # The mentor link of the same programme: a kind answer, no second role.
    await user.start(setup.mentor_code)
    assert "уже участвуете" in (await user.next_message()).text
    await user.command("profile")
    profile = await user.next_message()
    assert NAME in profile.text and "согласие получено" in profile.text

    await user.command("forget_me")
    await user.next_message()
    await user.press("Да, удалить всё")
    assert "данные удалены" in (await user.next_message()).text
    for _ in range(100):  # the handler commits just after its reply
        async with read_settled(bot_app) as s:
            if not (await s.scalars(select(FormSession))).all():
                break
        await asyncio.sleep(0.02)
    dump = await dump_text(bot_app.db)
    for secret in ("Вася & Co", "Математика", PHONE, "спокойнее", "Шахматы в клубе"):
        assert secret not in dump, secret
    async with read_settled(bot_app) as s:
        assert len((await s.scalars(select(Withdrawal))).all()) == 1
        assert (await s.scalars(select(FormSession))).all() == []


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
    await user.next_message()  # the summary
    await user.press("✅ Подтвердить")
    await user.next_message()


async def test_minor_with_parent_and_mentor(emulator: Any, bot_app: Any) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_002)
    curator = emulator.create_user("Куратор", id=setup.curator_tg, started=True)
    child = emulator.create_user("Петя")
    parent = emulator.create_user("Мама")

    await child.start(setup.mentee_code)
    await child.next_message()
    await child.next_message()
    await child.send("Петров Петя")
    consent = await child.next_message()
    assert "нет 18" in consent.text
    await child.press("✅ Даю согласие, мне ещё нет 18")
    link_msg = await child.next_message()
    found = re.search(r"start=(p_[\w-]+)", link_msg.text)
    assert found is not None
    participant = await _participant(
        bot_app.db, setup.programme_id, "mentee", lambda p: p.status == "parent_pending"
    )
    assert participant.is_minor
    # The child cannot answer further questions yet.
    await child.send("что-нибудь")
    assert "Ждём согласия" in (await child.next_message()).text
    # The child cannot confirm for the parent.
    await child.start(found.group(1))
    assert "переслать родителю" in (await child.next_message()).text

    ask = await _parent_to_decision(parent, found.group(1))
    await parent.press("✅ Даю согласие", message=ask)
    assert "Согласие сохранено" in (await parent.next_message()).text
    # A second press of the used link is refused kindly.
    await parent.start(found.group(1))
    assert "уже использована" in (await parent.next_message()).text

    note = await child.wait_for("Родитель дал согласие", timeout=10)
    assert note is not None
    # The curator hears of consents in the day's digest, here asked for at once.
    await curator.command("digest")
    await curator.wait_for("Сейчас в сводке")
    await curator.press(t("digest-btn-now", "ru"))
    told = await curator.wait_for("Родитель дал согласие (1)", timeout=10)
    assert "Ждут согласия родителя (1)" in told.text

    await child.start()
    await child.next_message()  # welcome back
    assert "Вопрос 2 из" in (await child.next_message()).text
    await child.send("13")
    assert "Вопрос 3 из" in (await child.next_message()).text
    await _fill_mentee_rest(child)
    participant = await _participant(bot_app.db, setup.programme_id, "mentee", _done)
    assert participant.grade == 8
    async with read_settled(bot_app) as s:
        kinds = sorted(
            (c.kind, c.decision)
            for c in await s.scalars(
                select(Consent).where(Consent.participant_id == participant.id)
            )
        )
    assert kinds == [("parent", "agreed"), ("self", "agreed")]

    mentor = emulator.create_user("Анна")
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
        elif kind == "press":
            await mentor.press(value)
        else:
            await mentor.press(value)
            await mentor.press("✅ Готово")
        await mentor.next_message()
    await mentor.press("✅ Подтвердить")
    await mentor.next_message()
    participant = await _participant(bot_app.db, setup.programme_id, "mentor", _done)
    assert participant.capacity == 2
    answers = await _answers(bot_app.db, participant.id, "mentor_profile")
    assert answers["competencies"] == ["digital"]
    assert answers["readiness"] == 4 and answers["contacts"] == "anna@example.org"
    assert answers["share_contacts"] == "no"
    assert "education" not in answers and "strengths" in answers


async def test_a_killed_bot_process_continues_at_the_same_question(
    emulator: Any, bot_process: Any
) -> None:
    """`python -m bot run` is killed (SIGKILL) in the middle of the questionnaire and an
    answer is typed while it is down: after the restart the person goes on at the same
    question, the earlier answers intact and the answer typed meanwhile not lost."""
    from storage.db import Database

    db = Database(bot_process.env["DATABASE_URL"])
    try:
        setup = await programme_with_invitations(db, 700_003)
        user = emulator.create_user("Оля")
        await user.start(setup.mentee_code)
        await user.wait_for("Как вас зовут")
        await user.send("Оля")
        await user.wait_for("Согласие")
        await user.press("✅ Даю согласие, мне уже есть 18")
        await user.wait_for("Сколько вам")
        await user.send("30")
        await user.wait_for("Кто вы в программе")
        await user.press("студент колледжа")
        asked = await user.wait_for("учебная группа")
        assert "Вопрос 4 из" in asked.text

        assert await bot_process.kill(signal.SIGKILL) == -signal.SIGKILL
        await user.send("ИС-21, 2 курс")  # typed while the bot is down
        await bot_process.start()
        assert "С чем вам хотелось бы" in (await user.wait_for("Вопрос 5 из", timeout=30)).text

        await user.start()  # /start again: the same question, not the beginning
        again = await user.wait_for("Вопрос 5 из", timeout=30)
        assert "С чем вам хотелось бы" in again.text
        participant = await _participant(
            db, setup.programme_id, "mentee", lambda p: p.category is not None
        )
        answers: dict[str, Any] = {}
        for _ in range(100):  # the commit of the last answer lands just after the reply
            answers = await _answers(db, participant.id, "mentee_profile")
            if "group" in answers:
                break
            await asyncio.sleep(0.02)
        assert answers == {
            "full_name": "Оля",
            "age": 30,
            "category": "college_student",
            "group": "ИС-21, 2 курс",
        }
    finally:
        await db.dispose()


async def _parent_to_decision(parent: Any, code: str) -> Any:
    """The parent opens the link, gives their name and relation; the decision screen."""
    await parent.start(code)
    hello = await parent.next_message()
    assert "Петров Петя" in hello.text
    await parent.send("Петрова Анна Ивановна")
    await parent.next_message()
    await parent.press("мама")
    return await parent.wait_for(predicate=lambda m: m.find_button("✅ Даю согласие") is not None)


async def _child_waits_for_parent(emulator: Any, bot_app: Any, curator_tg: int) -> tuple[Any, str]:
    """A 13-year-old joins and agrees; the setup and the code of the link for the parent."""
    setup = await programme_with_invitations(bot_app.db, curator_tg)
    child = emulator.create_user("Петя")
    await child.start(setup.mentee_code)
    await child.next_message()
    await child.next_message()
    await child.send("Петров Петя")
    await child.next_message()
    await child.press("✅ Даю согласие, мне ещё нет 18")
    found = re.search(r"start=(p_[\w-]+)", (await child.next_message()).text)
    assert found is not None
    await _participant(
        bot_app.db, setup.programme_id, "mentee", lambda p: p.status == "parent_pending"
    )
    return setup, found.group(1)


@pytest.mark.parametrize("forged", ["✅ Даю согласие", "Не даю согласия"])
async def test_a_stranger_replaying_the_parents_button_changes_nothing(
    emulator: Any, bot_app: Any, forged: str
) -> None:
    """The consent buttons' data names a sequential link id: whoever copies it (or
    guesses it) without having opened the link is refused, and the parent still decides."""
    setup, code = await _child_waits_for_parent(emulator, bot_app, 700_004)
    parent = emulator.create_user("Мама")
    stranger = emulator.create_user("Чужой")

    ask = await _parent_to_decision(parent, code)
    button = ask.find_button(forged)
    assert button is not None
    data = str(button["callback_data"])

    await stranger.send("привет")
    await stranger.next_message()
    answer = await stranger.press_data(data)
    assert answer.alert is not None and "только у родителя" in answer.alert
    await stranger.expect_silence()
    participant = await _participant(bot_app.db, setup.programme_id, "mentee")
    assert participant.status == "parent_pending"
    async with read_settled(bot_app) as s:
        decisions = (
            await s.scalars(select(Consent).where(Consent.participant_id == participant.id))
        ).all()
    assert [(c.kind, c.decision) for c in decisions] == [("self", "agreed")]

    # The real parent, on the same screen, decides as if nothing had happened.
    await parent.press("✅ Даю согласие", message=ask)
    assert "Согласие сохранено" in (await parent.next_message()).text
    participant = await _participant(
        bot_app.db, setup.programme_id, "mentee", lambda p: p.status == "active"
    )
    assert participant.status == "active"
    # Once used, the parent's button is worth nothing to the stranger either.
    answer = await stranger.press_data(data)
    assert answer.alert is not None
