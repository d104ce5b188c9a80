"""A minor's parent through the emulator: who they are, what they read before deciding,
the news of the child's mentor, and withdrawing the consent."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select

from bot.keyboards.forms import ParentRelCb
from bot.playbook.curator import assign_unmatched, confirm_pairs, run_matching
from bot.services.enrolment.consent import CONSENT_VERSION
from bot.services.programme import programmes
from bot.texts import t
from storage.models import Consent, Participant, Person, Programme
from tests.support.factories import make_participant
from tests.support.journey import programme_with_invitations
from tests.support.settle import read_settled

SCHOOL = "МБОУ «Средняя школа № 5» г. Братска"
ADDRESS = "665700, г. Братск, ул. Мира, 5"
PARENT = "Петрова Анна Ивановна"
PLACEHOLDER = "Моя образовательная организация"


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _named_programme(bot_app: Any, curator_tg: int) -> Any:
    """A programme whose curator has set the organisation's name and address."""
    setup = await programme_with_invitations(bot_app.db, curator_tg)
    async with bot_app.db.session() as s:
        curator = await s.get(Person, setup.curator_id)
        assert curator is not None
        await programmes.update_programme(
            s, curator, setup.programme_id, {"org_name": SCHOOL, "org_address": ADDRESS}
        )
        await programmes.update_programme(s, curator, setup.programme_id, {"operator_name": SCHOOL})
    return setup


async def _child_asks_parent(child: Any, code: str) -> str:
    await child.start(code)
    await child.next_message()
    await child.next_message()
    await child.send("Петров Петя")
    await child.next_message()
    await child.press("✅ Даю согласие, мне ещё нет 18")
    found = re.search(r"start=(p_[\w-]+)", (await child.next_message()).text)
    assert found is not None
    return found.group(1)


async def _mentee(bot_app: Any, programme_id: int) -> Participant:
    async with read_settled(bot_app) as s:
        found = await s.scalar(
            select(Participant).where(
                Participant.programme_id == programme_id, Participant.role == "mentee"
            )
        )
    assert found is not None
    return found


async def _until(check: Any) -> None:
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the database did not reach the expected state")


async def test_the_parent_says_who_they_are_and_reads_what_the_programme_means(
    emulator: Any, bot_app: Any
) -> None:
    setup = await _named_programme(bot_app, 700_301)
    child = emulator.create_user("Петя")
    parent = emulator.create_user("Анна")
    stranger = emulator.create_user("Чужой")
    code = await _child_asks_parent(child, setup.mentee_code)

    await parent.start(code)
    hello = await parent.next_message()
    assert "Петров Петя" in hello.text and SCHOOL in hello.text
    assert "фамилию, имя и отчество" in hello.text
    assert hello.buttons == []  # nothing to decide before the parent is known
    await parent.send("12")
    assert "Не получилось прочитать имя" in (await parent.next_message()).text
    await parent.send(PARENT)
    relation = await parent.next_message()
    assert "Кем вы приходитесь ребёнку" in relation.text
    assert relation.button_texts == ["мама", "папа", "опекун", "другое"]

    # The relation's button, copied by someone who never opened the link, does nothing.
    data = str(relation.find_button("мама")["callback_data"])  # type: ignore[index]
    assert ParentRelCb.unpack(data).r == "mother"
    await stranger.send("привет")
    await stranger.next_message()
    answer = await stranger.press_data(data)
    assert answer.alert is not None and "только у родителя" in answer.alert

    await parent.press("мама")
    screen = await parent.next_message()
    for expected in (
        SCHOOL,
        ADDRESS,
        "Куратор Мария Ивановна",  # the curator of the programme, by name
        "взрослый",  # adult mentors are possible
        "встречаются",
        "Контакты ребёнка видит только его наставник",
        "видит куратор программы",
        "/children",
    ):
        assert expected in screen.text, expected
    assert "Версия текста" not in screen.text and "2026-09-1" not in screen.text
    assert screen.button_texts == [
        "✅ Даю согласие",
        "Не даю согласия",
        "📄 Полный текст согласия",
    ]
    await parent.press("📄 Полный текст согласия", message=screen)
    legal = await parent.next_message()
    assert "законного представителя" in legal.text
    assert PARENT in legal.text and "(мама)" in legal.text and SCHOOL in legal.text
    assert "Версия текста" not in legal.text

    await parent.press("✅ Даю согласие", message=screen)
    assert "Согласие сохранено" in (await parent.next_message()).text
    mentee = await _mentee(bot_app, setup.programme_id)

    async def active() -> bool:
        return (await _mentee(bot_app, setup.programme_id)).status == "active"

    await _until(active)
    async with read_settled(bot_app) as s:
        record = await s.scalar(
            select(Consent).where(Consent.participant_id == mentee.id, Consent.kind == "parent")
        )
        parent_person = await s.scalar(select(Person).where(Person.tg_id == parent.id))
    assert record is not None and parent_person is not None
    # The consents registry: who consented, as whom, when, and to which text.
    assert (record.decision, record.parent_name, record.parent_relation) == (
        "agreed",
        PARENT,
        "mother",
    )
    assert record.parent_person_id == parent_person.id and record.decided_at is not None
    assert record.text_version == CONSENT_VERSION  # kept, though no longer shown
    for user in (parent, child):
        assert PLACEHOLDER not in user.transcript()


async def _fill_mentee_rest(user: Any) -> None:
    await user.start()
    await user.next_message()  # welcome back
    await user.next_message()
    for kind, value in (
        ("send", "13"),  # the age: the first question after consent
        ("press", "школьник"),
        ("send", "8"),
        ("multi", "успеваемость"),
        ("multi", "робототехника"),
        ("send", "Лего"),
        ("press", "очно"),
        ("multi", "выходные"),
        ("send", "Подтянуть математику"),
        ("press", "Пропустить ➡️"),
        ("press", "✅ Подтвердить"),
    ):
        if kind == "send":
            await user.send(value)
        else:
            await user.press(value)
            if kind == "multi":
                await user.press("✅ Готово")
        await user.next_message()


async def test_the_parent_hears_the_mentor_and_can_withdraw_the_consent(
    emulator: Any, bot_app: Any
) -> None:
    setup = await _named_programme(bot_app, 700_302)
    curator = emulator.create_user("Мария", id=setup.curator_tg, started=True)
    child = emulator.create_user("Петя")
    parent = emulator.create_user("Анна")
    code = await _child_asks_parent(child, setup.mentee_code)
    await parent.start(code)
    await parent.next_message()
    await parent.send(PARENT)
    await parent.next_message()
    await parent.press("мама")
    screen = await parent.next_message()
    await parent.press("✅ Даю согласие", message=screen)
    await parent.next_message()
    await child.wait_for("Родитель дал согласие", timeout=10)
    await _fill_mentee_rest(child)

    async def complete() -> bool:
        return (await _mentee(bot_app, setup.programme_id)).profile_complete

    await _until(complete)
    async with bot_app.db.session() as s:
        programme = await s.get(Programme, setup.programme_id)
        assert programme is not None
        await make_participant(
            s,
            programme,
            "mentor",
            name="Анна Сергеевна Ким",
            tg_id=710_302,
            approved=True,
            trained=True,
            category="teacher",
            capacity=2,
        )
    emulator.create_user("Анна Сергеевна", id=710_302, started=True)

    # The curator pairs them through the console.
    await run_matching(curator)
    await assign_unmatched(curator)
    await confirm_pairs(curator)
    news = await parent.wait_for("появился наставник", timeout=15)
    assert "У Петрова Пети появился наставник" in news.text  # the child named in the genitive
    assert "Анна Сергеевна Ким" in news.text and "педагог" in news.text
    assert "Куратор Мария Ивановна" in news.text  # how to reach the curator
    assert "/children" in news.text

    # Someone else's /children shows nothing to withdraw.
    other = emulator.create_user("Чужой")
    await other.command("children")
    assert "не давали" in (await other.next_message()).text

    await parent.command("children")
    listing = await parent.next_message()
    assert "Петров Петя" in listing.text
    await parent.press(re.compile("Отозвать согласие"))
    ask = await parent.wait_for("Отозвать согласие за ребёнка")
    assert "Отменить это будет нельзя" in ask.text
    withdraw_data = str(ask.find_button("Да, отозвать согласие")["callback_data"])  # type: ignore[index]
    # The confirmation's button, pressed by another person, is refused.
    answer = await other.press_data(withdraw_data)
    assert answer.alert is not None
    assert (await _mentee(bot_app, setup.programme_id)).status == "active"

    await parent.press("Да, отозвать согласие", message=ask)
    assert "согласие отозвано" in (await parent.wait_for("согласие отозвано")).text

    async def withdrawn() -> bool:
        return (await _mentee(bot_app, setup.programme_id)).status == "withdrawn"

    await _until(withdrawn)
    mentee = await _mentee(bot_app, setup.programme_id)
    assert mentee.person_id is None and mentee.display_name is None
    # Routine news for the curator's digest, here asked for at once.
    await curator.command("digest")
    await curator.wait_for("Сейчас в сводке")
    await curator.press(t("digest-btn-now", "ru"))
    told = await curator.wait_for("Родители отозвали согласие", timeout=15)
    assert programme.name in told.text
    await parent.command("children")
    assert "не давали" in (await parent.next_message()).text
