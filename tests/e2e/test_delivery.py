"""Delivery through the emulator: a crash in the middle of a round, and Telegram's answers."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.infra.delivery import MAX_IN_FLIGHT
from bot.infra.outbox import enqueue
from emulator.api import Emulator
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Alert, OutboxMessage, Person
from tests.support.factories import make_curator, make_participant, make_person, make_programme

ROUND = 500


async def until(predicate: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError("the condition was not reached in time")
        await asyncio.sleep(0.02)


async def statuses(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {str(status): int(count) for status, count in rows.all()}


async def test_a_round_of_500_forms_survives_sigkill_with_duplicates_only_in_flight(
    emulator: Emulator, bot_process_factory: Callable[..., Awaitable[Any]], tmp_path: Path
) -> None:
    emulator.set_rate_limits(global_per_s=250, global_burst=250)
    users = [emulator.create_user(f"Ученик {n}", started=True) for n in range(ROUND)]
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    db = Database(url)
    try:
        async with db.session() as session:
            programme = await make_programme(session)
            for user in users:
                person = await make_person(session, tg_id=user.id)
                await enqueue(
                    session,
                    key=f"form:{programme.id}:{person.id}",
                    chat_id=user.id,
                    text="Пожалуйста, заполните анкету",
                    kind="form",
                    programme_id=programme.id,
                    person_id=person.id,
                )
        bot = await bot_process_factory(env={"DELIVERY_GLOBAL_PER_S": "200"})
        await emulator.wait_until(lambda: emulator.stats.messages_sent >= ROUND // 3, 60)
        await bot.kill(signal.SIGKILL)
        at_kill = emulator.stats.messages_sent
        assert at_kill < ROUND, "the round was over before the bot was killed"
        left_sending = (await statuses(db)).get("sending", 0)

        await bot.start()
        await emulator.wait_until(lambda: all(user.messages for user in users), 60)

        async def all_recorded() -> bool:
            return (await statuses(db)) == {"sent": ROUND}

        await until(all_recorded)
        counts = [len(user.messages) for user in users]
        lost = counts.count(0)
        duplicates = sum(count - 1 for count in counts if count > 1)
        print(
            f"\nkilled after {at_kill} of {ROUND} sent, {left_sending} rows were 'sending'; "
            f"lost {lost}, duplicates {duplicates} (in-flight bound {MAX_IN_FLIGHT})"
        )
        assert lost == 0
        assert duplicates <= MAX_IN_FLIGHT
        assert "delivery: " in bot.log_text()  # the restart said what it resumed
    finally:
        await db.dispose()


async def test_429_403_400_and_500_from_telegram_during_a_round(
    emulator: Emulator, bot_app: Any
) -> None:
    db: Database = bot_app.db
    curator_user = emulator.create_user("Мария Ивановна", started=True)
    blocked_user = emulator.create_user("Оля", started=True)
    retried_user = emulator.create_user("Петя", started=True)
    bad_user = emulator.create_user("Коля", started=True)
    crowd = [emulator.create_user(f"Ученик {n}", started=True) for n in range(12)]
    async with db.session() as session:
        programme = await make_programme(session, name="Наставничество 2026")
        await make_curator(session, programme, tg_id=curator_user.id)
        blocked = await make_person(session, tg_id=blocked_user.id, name="Ольга Смирнова")
        await make_participant(session, programme, "mentee", person=blocked, name="Оля С.")
        retried = await make_person(session, tg_id=retried_user.id)
    await blocked_user.block_bot()

    async def row(key: str) -> OutboxMessage:
        async with db.read() as session:
            found = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
            )
        assert found is not None
        return found

    # 500: the first try fails, the retry after its backoff goes through
    emulator.fail_next(1, status=500, method="sendMessage")
    async with db.session() as session:
        await enqueue(
            session, key="retry", chat_id=retried_user.id, text="Анкета", person_id=retried.id
        )

    async def retried_once() -> bool:
        return (await row("retry")).attempts == 1

    await until(retried_once)
    assert (await row("retry")).status == "pending"
    bot_app.clock.advance(seconds=2)
    await emulator.wait_until(lambda: len(retried_user.messages) == 1, 15)

    async def recorded() -> bool:
        return (await row("retry")).status == "sent"

    await until(recorded)
    assert (await row("retry")).attempts == 2

    # 429: Telegram allows less than the bot thinks; it waits and loses nothing
    emulator.set_rate_limits(global_per_s=4, global_burst=2)
    async with db.session() as session:
        for user in crowd:
            await enqueue(session, key=f"crowd:{user.id}", chat_id=user.id, text="Объявление")
    await emulator.wait_until(lambda: all(user.messages for user in crowd), 30)
    assert emulator.stats.rate_limited > 0
    assert [len(user.messages) for user in crowd] == [1] * len(crowd)
    emulator.set_rate_limits(global_per_s=30, global_burst=30)

    # 403 and 400
    errors_400 = emulator.stats.errors[400]
    async with db.session() as session:
        await enqueue(
            session,
            key="blocked",
            chat_id=blocked_user.id,
            text="Анкета",
            programme_id=programme.id,
            person_id=blocked.id,
        )
        await enqueue(session, key="bad", chat_id=bad_user.id, text="<b>незакрытый тег")

    async def settled() -> bool:
        return (await row("blocked")).status == "unreachable" and (
            await row("bad")
        ).status == "failed"

    await until(settled)
    await emulator.wait_until(lambda: bool(curator_user.messages), 15)
    notice = curator_user.messages[-1].text
    assert "Оля С." in notice and "Наставничество 2026" in notice
    assert "Смирнова" not in notice and str(blocked_user.id) not in notice
    async with db.read() as session:
        assert (await session.get(Person, blocked.id)).unreachable  # type: ignore[union-attr]
        kinds = (await session.scalars(select(Alert.kind))).all()
    assert list(kinds) == ["unreachable"]
    bad = await row("bad")
    assert bad.attempts == 1 and bad.last_error and bad.last_error.startswith("400")
    # not retried: one more message through the same worker, and still one 400
    async with db.session() as session:
        await enqueue(session, key="after", chat_id=retried_user.id, text="Ещё")
    await emulator.wait_until(lambda: len(retried_user.messages) == 2, 15)
    assert emulator.stats.errors[400] == errors_400 + 1
    assert bad_user.messages == []
