"""Both messengers in one process and one database: the same programme has people in
Telegram and in MAX, each reached in their own messenger by replies and by the outbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.max.ids import user_to_core
from bot.playbook.participant import Parent, give_parent_consent
from emulator.testing import InProcessBot
from storage.models import Consent, Person
from tests.support.factories import ANY_TIME, make_curator, make_participant, make_programme
from tests.support.max import max_emulator
from tests.support.settle import read_settled

__all__ = ["max_emulator"]

CURATOR = 760_001
OLYA_TG = 760_010
TG_LINK = r"https://t\.me/\w+\?start=p_[\w-]+"
MAX_LINK = r"https://max\.ru/\w+\?start=p_[\w-]+"


def _code(text: str, link: str) -> str:
    found = re.search(link, text)
    assert found is not None, text
    return found.group(0).rsplit("start=", 1)[1]


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
async def both_app(
    emulator: Any, max_emulator: Any, test_clock: Any, tmp_path: Path
) -> AsyncIterator[Any]:
    """The real bot with BOT_TOKEN and MAX_BOT_TOKEN: one process, one database."""
    from bot.app.factory import build_app
    from bot.config import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        max_bot_token=max_emulator.token,
        max_api_url=max_emulator.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        webhook_secret="emulator-secret",
        throttle_rate=1000,
    )
    max_emulator.clock = test_clock
    app = await build_app(settings, clock=test_clock)
    runner = InProcessBot(app, emulator)
    await runner.start()
    await max_emulator.wait_for_polling()
    try:
        yield app
    finally:
        await runner.stop()
        assert max_emulator.rejections == []


async def test_people_in_both_messengers_are_served_in_their_own(
    emulator: Any, max_emulator: Any, both_app: Any
) -> None:
    anya = max_emulator.create_user("Аня", started=True)
    async with both_app.db.session() as s:
        programme = await make_programme(
            s, name="Городская программа", organisation="Гимназия", **ANY_TIME
        )
        await make_curator(s, programme, tg_id=CURATOR)
        await make_participant(s, programme, "mentee", name="Оля", tg_id=OLYA_TG)
        await make_participant(s, programme, "mentee", name="Аня", tg_id=user_to_core(anya.id))
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    olya = emulator.create_user("Оля", id=OLYA_TG, started=True)

    # Replies go back to the messenger the update came from.
    await olya.command("profile")
    await olya.next_message()
    await anya.command("profile")
    assert (await anya.next_message()).text
    assert max_emulator.requests_of("/messages", "POST") >= 1

    # A Telegram curator's broadcast reaches a MAX mentee through the one outbox.
    await curator.command("broadcast")
    await curator.wait_for("Кому отправить")
    await curator.press(re.compile("Наставляемым"))
    await curator.wait_for("Напишите текст")
    await curator.send("Завтра в 15:00 — встреча в актовом зале")
    await curator.wait_for("Так увидят сообщение")
    await curator.press(re.compile("Отправить"))
    await curator.wait_for("Отправляю: 2")
    in_telegram = await olya.wait_for("Сообщение куратора программы", timeout=10)
    in_max = await anya.wait_for("Сообщение куратора программы", timeout=10)
    assert "актовом зале" in in_telegram.text and "актовом зале" in in_max.text
    async with read_settled(both_app) as s:
        ids = set(await s.scalars(select(Person.tg_id)))
    assert {OLYA_TG, user_to_core(anya.id)} <= ids


async def test_a_max_person_gets_max_links_and_a_telegram_person_telegram_links(
    emulator: Any, max_emulator: Any, both_app: Any
) -> None:
    from tests.support.journey import programme_with_invitations

    setup = await programme_with_invitations(both_app.db, CURATOR)
    vasya = emulator.create_user("Вася")
    petya = max_emulator.create_user("Петя")
    for child in (vasya, petya):
        await child.start(setup.mentee_code)
        await child.next_message()
        await child.next_message()
        await child.send("Петров Петя")
        await child.next_message()
        await child.press("✅ Даю согласие, мне ещё нет 18")
    told_tg = await vasya.next_message()
    told_max = await petya.next_message()
    # Each child's own messenger first, and the other one too: a parent may use either.
    for told, first, second in ((told_tg, TG_LINK, MAX_LINK), (told_max, MAX_LINK, TG_LINK)):
        found = [m.group(0) for m in re.finditer(f"{TG_LINK}|{MAX_LINK}", told.text)]
        assert len(found) == 2 and re.match(first, found[0]) and re.match(second, found[1])
        codes = {link.rsplit("start=", 1)[1] for link in found}
        assert len(codes) == 1, told.text  # one code, a link in each messenger

    # Vasya (Telegram) has a mother in MAX, Petya (MAX) a father in Telegram: both agree.
    mother = Parent(max_emulator.create_user("Мама"), "Петрова Анна Ивановна")
    father = Parent(emulator.create_user("Папа"), "Петров Иван Сергеевич", "father")
    await give_parent_consent(mother, _code(told_tg.text, MAX_LINK))
    await give_parent_consent(father, _code(told_max.text, TG_LINK))
    await vasya.wait_for("Родитель дал согласие", timeout=10)
    await petya.wait_for("Родитель дал согласие", timeout=10)
    async with read_settled(both_app) as s:
        parents = set(
            await s.scalars(
                select(Person.tg_id).join(Consent, Consent.parent_person_id == Person.id)
            )
        )
    assert parents == {user_to_core(mother.user.id), father.user.id}


async def test_invitations_are_offered_for_both_messengers(
    emulator: Any, max_emulator: Any, both_app: Any
) -> None:
    from bot.services.programme.programmes import qr_png
    from tests.support.journey import programme_with_invitations

    await programme_with_invitations(both_app.db, CURATOR)
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    await curator.command("invite")
    screen = await curator.wait_for("Приглашения в программу")
    telegram = re.findall(r"https://t\.me/\w+\?start=(\S+)", screen.text)
    in_max = re.findall(r"в MAX: https://max\.ru/(\w+)\?start=(\S+)", screen.text)
    assert telegram and len(in_max) == len(telegram), screen.text
    assert {code for _, code in in_max} == set(telegram)  # the same codes, both messengers
    assert {bot for bot, _ in in_max} == {max_emulator.bot.username}

    # A QR code for each messenger, of the same code.
    await curator.press(re.compile("QR: наставляемые"))
    shown = [await curator.wait_for(predicate=lambda m: m.photo is not None) for _ in range(2)]
    links = []
    for photo, (where, base) in zip(
        shown, (("в Telegram", "https://t.me/"), ("в MAX", "https://max.ru/")), strict=True
    ):
        assert photo.caption is not None and where in photo.caption
        found = re.search(rf"{re.escape(base)}\w+\?start=\S+", photo.caption)
        assert found is not None, photo.caption
        assert photo.photo.content == qr_png(found.group(0))  # the picture is of that link
        links.append(found.group(0))
    assert links[0].split("start=")[1] == links[1].split("start=")[1]  # one code


async def test_materials_cross_the_messengers_both_ways(
    emulator: Any, max_emulator: Any, both_app: Any
) -> None:
    """A Telegram curator's file reaches a MAX mentor (fetched from Telegram, uploaded to
    MAX), and a MAX curator's file a Telegram mentor (downloaded from MAX's URL)."""
    from bot.services.pairwork.cycle import on_pairs_confirmed
    from tests.support.pairwork import make_working_pair

    guide, plan = b"%PDF-1.4 guide from Telegram", b"%PDF-1.4 plan from MAX"
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    anna = max_emulator.create_user("Анна", started=True)  # a mentor in MAX
    boris = emulator.create_user("Борис", id=760_020, started=True)  # a mentor in Telegram
    maria = max_emulator.create_user("Мария", started=True)  # a curator in MAX
    async with both_app.db.session() as s:
        in_max = await make_working_pair(
            s, curator_tg=CURATOR, mentor_tg=user_to_core(anna.id), mentee_tg=760_030, **ANY_TIME
        )
        in_tg = await make_working_pair(
            s,
            curator_tg=user_to_core(maria.id),
            mentor_tg=boris.id,
            mentee_tg=760_040,
            mentor_name="Борис Ильич Орлов",
            **ANY_TIME,
        )

    await curator.command("materials")
    await curator.wait_for("Материалы для наставников")
    await curator.send_document(guide, "guide.pdf")
    await curator.wait_for("Сохранено")
    await maria.command("materials")
    await maria.wait_for("Материалы для наставников")
    await maria.send_document(plan, "plan.pdf")
    await maria.wait_for("Сохранено")

    async with both_app.db.session() as s:
        await on_pairs_confirmed(s, [in_max.pair.id, in_tg.pair.id])
    await anna.wait_for("У вас появилась пара", timeout=10)
    await anna.press("📎 Материалы")
    await anna.wait_for(predicate=lambda m: m.document is not None, timeout=10)
    assert anna.documents[-1].document.content == guide
    await boris.wait_for("У вас появилась пара", timeout=10)
    await boris.press("📎 Материалы")
    got = await boris.wait_for(predicate=lambda m: m.document is not None, timeout=10)
    assert got.document.content == plan


async def test_a_new_curator_is_invited_in_both_messengers(
    emulator: Any, max_emulator: Any, both_app: Any
) -> None:
    """A coordinator in Telegram invites a curator who uses MAX: the one-off link is
    offered for both, and the MAX one works."""
    from bot.playbook.curator import invitation_codes
    from bot.texts import t
    from storage.models import StaffMember

    async with both_app.db.session() as s:
        await make_programme(s, name="Городская программа", organisation="Гимназия", **ANY_TIME)
        person = Person(tg_id=CURATOR)
        s.add(person)
        await s.flush()
        s.add(StaffMember(person_id=person.id, role="coordinator", organisation_id=None))
    coordinator = emulator.create_user("Координатор", id=CURATOR, started=True)
    await invitation_codes(coordinator)
    await coordinator.press(t("invite-btn-curator", "ru"))
    told = await coordinator.wait_for("Одноразовая ссылка для нового куратора")
    assert re.search(r"в Telegram: https://t\.me/\w+\?start=\S+", told.text), told.text
    found = re.search(r"в MAX: https://max\.ru/\w+\?start=(\S+)", told.text)
    assert found is not None, told.text
    newcomer = max_emulator.create_user("Новый куратор")
    await newcomer.start(found.group(1))
    await newcomer.wait_for("Теперь вы куратор организации «Гимназия»", timeout=10)
