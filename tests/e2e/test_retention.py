"""Retention on the test clock, through the emulator: what the consent text promises.

People decline, never answer, or are declined by a parent through the bot; a programme
finished long ago holds its people. The daily job erases each after its term (30 days,
1 year: the settings' defaults the consent text states) and not a day before; the
curator is told how many, without names.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.infra.scheduler import registered_jobs, run_all_jobs
from bot.texts import t
from storage.models import Consent, Participant, Person, Programme
from tests.support.factories import make_participant
from tests.support.journey import dump_text, programme_with_invitations
from tests.support.settle import read_settled

CURATOR = 770_001
START = datetime(2026, 10, 5, 4, 0, tzinfo=UTC)  # noon in Irkutsk, the programmes' zone

DECLINER = "Отказова Дарья"
SILENT = "Молчунов Максим"
CHILD = "Петров Петя"
PARENT = "Мама Пети"
PARENT_NAME = "Петрова Анна Ивановна"
OLD_MENTEE = "Прошлогодняя Ученица"
BOTH = "Наставник Двух Программ"


@pytest.fixture
def clock_start() -> datetime:
    return START


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
def bot_settings(emulator: Any, db_url: str) -> Any:
    """The bot on every configured backend (SQLite, and PostgreSQL when it is set up)."""
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=db_url,
        webhook_secret="emulator-secret",
        throttle_rate=1000,
    )


async def _people_through_the_bot(emulator: Any, code: str) -> set[int]:
    """One declines, one never answers, a child agrees and the parent declines."""
    decliner = emulator.create_user("Дарья")
    await decliner.start(code)
    await decliner.wait_for("Вопрос 1 из")
    await decliner.send(DECLINER)
    await decliner.wait_for("Согласие на обработку")
    await decliner.press(t("journey-btn-decline", "ru"))
    await decliner.wait_for("без согласия")

    silent = emulator.create_user("Максим")
    await silent.start(code)
    await silent.wait_for("Вопрос 1 из")
    await silent.send(SILENT)
    await silent.wait_for("Согласие на обработку")

    child = emulator.create_user("Петя")
    parent = emulator.create_user(PARENT)
    await child.start(code)
    await child.wait_for("Вопрос 1 из")
    await child.send(CHILD)
    await child.wait_for("Согласие на обработку")
    await child.press(t("journey-btn-agree-minor", "ru"))
    link = await child.wait_for(regex=r"start=p_")
    code_for_parent = link.text.split("start=")[1].split()[0]
    await parent.start(code_for_parent)
    await parent.wait_for(CHILD)
    await parent.send(PARENT_NAME)  # the parent introduces themselves before deciding
    await parent.wait_for("Кем вы приходитесь")
    await parent.press(t("parent-rel-mother", "ru"))
    await parent.wait_for("Что значит участие")
    await parent.press(t("journey-btn-decline", "ru"))
    await child.wait_for("Родитель не дал согласия", timeout=10)
    return {decliner.id, silent.id, child.id, parent.id}


async def _finished_programme(app: Any, organisation_id: int, active_programme_id: int) -> None:
    """A programme finished 300 days before the start, in the same school; one of its
    mentors is also a mentor of the running programme."""
    async with app.db.session() as s:
        old = Programme(
            organisation_id=organisation_id,
            name="Наставничество 2025/26",
            forms=["student_student"],
            timezone="Asia/Irkutsk",
            quiet_start=time(0, 0),
            quiet_end=time(0, 0),
            status="finished",
            finished_at=START - timedelta(days=300),
        )
        s.add(old)
        await s.flush()
        await make_participant(s, old, "mentee", name=OLD_MENTEE, grade=9)
        mentor = await make_participant(s, old, "mentor", name=BOTH, approved=True)
        current = await s.get(Programme, active_programme_id)
        assert current is not None and mentor.person_id is not None
        person = await s.get(Person, mentor.person_id)
        await make_participant(s, current, "mentor", name=BOTH, person=person, approved=True)


async def _status(app: Any, name: str) -> list[tuple[str | None, str]]:
    async with read_settled(app) as s:
        rows = await s.scalars(select(Participant).where(Participant.display_name == name))
        return [(p.display_name, p.status) for p in rows]


async def test_declined_unanswered_and_expired_data_is_gone_after_its_term(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    spec = next(s for s in registered_jobs() if s.name == "retention")
    assert spec.seconds == 24 * 3600  # a daily job (run by the leader's scheduler)

    setup = await programme_with_invitations(bot_app.db, CURATOR)
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    async with bot_app.db.session() as s:
        programme = await s.get(Programme, setup.programme_id)
        assert programme is not None
        org_id = programme.organisation_id
    await _finished_programme(bot_app, org_id, setup.programme_id)
    telegram_ids = await _people_through_the_bot(emulator, setup.mentee_code)
    gone_soon = (DECLINER, SILENT, CHILD, PARENT_NAME)  # the names they typed

    # 29 days on: everything is still kept (the short term is 30 days).
    test_clock.advance(days=29)
    await run_all_jobs(bot_app)
    text = await dump_text(bot_app.db)
    for name in (*gone_soon, OLD_MENTEE, BOTH):
        assert name in text, name
    async with read_settled(bot_app) as s:
        assert telegram_ids <= set(await s.scalars(select(Person.tg_id)))

    # 31 days on: declined, unanswered and the child of a declining parent are gone,
    # with the parent; the finished programme (330 days ago) is kept.
    test_clock.advance(days=2)
    await run_all_jobs(bot_app)
    note = await curator.wait_for("удалены данные по сроку", timeout=10)
    assert "«Наставничество 2026/27»" in note.text
    assert t("retention-curator-declined", "ru", term="30 дней", count=1) in note.text
    assert t("retention-curator-parent-declined", "ru", term="30 дней", count=1) in note.text
    assert t("retention-curator-unanswered", "ru", term="30 дней", count=1) in note.text
    text = await dump_text(bot_app.db)
    for name in gone_soon:
        assert name not in text, name
        assert name not in note.text
    assert OLD_MENTEE in text and BOTH in text
    async with read_settled(bot_app) as s:
        tg_ids = set(await s.scalars(select(Person.tg_id)))
        assert not telegram_ids & tg_ids  # the people themselves (Telegram ids) are gone
        parents = await s.scalars(select(Consent.parent_person_id))
        assert all(p is None for p in parents)

    # 70 days on: the programme finished 370 days ago is past its year: its people are
    # gone; the mentor who is also in the running programme stays there.
    test_clock.advance(days=39)
    await run_all_jobs(bot_app)
    note = await curator.wait_for("«Наставничество 2025/26»", timeout=10)
    assert t("retention-curator-expired", "ru", term="1 год", count=2) in note.text
    assert OLD_MENTEE not in note.text and BOTH not in note.text
    text = await dump_text(bot_app.db)
    assert OLD_MENTEE not in text
    assert await _status(bot_app, BOTH) == [(BOTH, "active")]

    # Nothing is removed or told twice.
    test_clock.advance(days=1)
    await run_all_jobs(bot_app)
    await curator.expect_silence(0.5)
    assert await _status(bot_app, BOTH) == [(BOTH, "active")]
