"""The delivery worker against a fake sender, and leadership among replicas."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from sqlalchemy import select, update

from bot.infra import delivery as delivery_module
from bot.infra.clock import TestClock
from bot.infra.delivery import MAX_ATTEMPTS, DeliveryWorker
from bot.infra.leader import Leadership
from bot.infra.outbox import enqueue
from bot.infra.ratelimit import SendLimiter
from storage.db import Database
from storage.models import Alert, OutboxMessage, Person, SchedulerLease
from tests.support import delivery as support
from tests.support.delivery import FakeSender, method
from tests.support.factories import make_curator, make_participant, make_person, make_programme

service_clock = support.service_clock


def worker(db: Database, sender: FakeSender, clock: TestClock, **kwargs: Any) -> DeliveryWorker:
    kwargs.setdefault("limiter", SendLimiter(1000.0, 50.0, 600.0))
    return DeliveryWorker(db, sender, clock, idle_sleep=0.02, **kwargs)  # type: ignore[arg-type]


async def queue(db: Database, chats: list[int], **kwargs: Any) -> None:
    async with db.session() as session:
        for n, chat in enumerate(chats):
            await enqueue(session, key=f"m:{chat}:{n}", chat_id=chat, text=f"n{n}", **kwargs)


async def outbox(db: Database) -> dict[int, OutboxMessage]:
    async with db.read() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    return {row.chat_id: row for row in rows}


async def test_sends_concurrently_within_the_bound_and_one_at_a_time_per_chat(
    db: Database, service_clock: TestClock
) -> None:
    chats = [1000 + n for n in range(60)] + [7] * 4
    await queue(db, chats)
    sender = FakeSender(delay=0.02)
    await worker(db, sender, service_clock, max_in_flight=8).run_until_idle()
    assert sorted(chat for chat, _ in sender.sent) == sorted(chats)
    assert 1 < sender.max_in_flight <= 8
    assert sender.same_chat_overlap == 0
    assert [p["text"] for chat, p in sender.sent if chat == 7] == ["n60", "n61", "n62", "n63"]
    async with db.read() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    assert all(row.message_id and row.sent_at for row in rows)


async def test_each_telegram_answer_is_handled_as_it_should(
    db: Database, service_clock: TestClock
) -> None:
    async with db.session() as session:
        programme = await make_programme(session)
        curator = await make_curator(session, programme, tg_id=5)
        blocked = await make_person(session, tg_id=2)
        await make_participant(session, programme, "mentee", person=blocked, name="Оля")
    async with db.session() as session:
        for chat in (1, 2, 3, 4):
            await enqueue(
                session,
                key=f"form:{chat}",
                chat_id=chat,
                text="Анкета",
                programme_id=programme.id,
                person_id=blocked.id if chat == 2 else None,
            )
    sender = FakeSender()
    sender.script = {
        1: [sender.raise_(TelegramRetryAfter(method(1), "Too Many Requests", 1))],
        2: [sender.raise_(TelegramForbiddenError(method(2), "bot was blocked by the user"))],
        3: [sender.raise_(TelegramBadRequest(method(3), "can't parse entities"))],
        4: [sender.raise_(TelegramServerError(method(4), "Internal Server Error"))],
    }
    work = worker(db, sender, service_clock)
    await work.run_until_idle()
    rows = await outbox(db)
    assert (rows[1].status, work.stats.counts["rate_limited"]) == ("sent", 1)
    assert rows[2].status == "unreachable"
    assert (rows[3].status, sender.calls.count(3)) == ("failed", 1)
    assert (rows[4].status, rows[4].attempts) == ("pending", 1)
    assert rows[4].not_before == service_clock.now() + timedelta(seconds=1)
    # the curator heard about the blocked participant, by name only
    assert rows[curator.tg_id].status == "sent" and rows[curator.tg_id].urgent
    assert "участницы <b>Оли</b>" in rows[curator.tg_id].payload["text"]  # the name declined
    async with db.read() as session:
        assert (await session.get(Person, blocked.id)).unreachable  # type: ignore[union-attr]
        alerts = (await session.scalars(select(Alert))).all()
    assert [alert.kind for alert in alerts] == ["unreachable"]
    # the 5xx is retried after its backoff, and then it goes
    service_clock.advance(seconds=2)
    await work.run_until_idle()
    rows = await outbox(db)
    assert (rows[4].status, rows[4].attempts) == ("sent", 2)
    assert (rows[3].status, sender.calls.count(3)) == ("failed", 1)


async def test_timeouts_are_retried_with_growing_backoff_up_to_the_cap(
    db: Database, service_clock: TestClock
) -> None:
    await queue(db, [9])
    sender = FakeSender()
    sender.script = {9: [sender.raise_(TelegramNetworkError(method(9), "timeout"))] * 50}
    work = worker(db, sender, service_clock)
    waits = []
    for _ in range(MAX_ATTEMPTS):
        await work.run_until_idle()
        row = (await outbox(db))[9]
        if row.status != "pending":
            break
        waits.append((row.not_before - service_clock.now()).total_seconds())
        service_clock.advance(seconds=waits[-1])
    assert waits == [2.0**n for n in range(MAX_ATTEMPTS - 1)]
    assert (row.status, row.attempts, sender.calls.count(9)) == ("failed", MAX_ATTEMPTS, 10)


async def test_rows_claimed_by_a_dead_worker_are_sent_after_a_restart(
    db: Database, service_clock: TestClock
) -> None:
    await queue(db, list(range(100, 130)))
    dead = worker(db, FakeSender(), service_clock)
    claimed = await dead.claim(20)  # claimed, then the process died before sending
    assert len(claimed) == 20
    assert {row.status for row in (await outbox(db)).values()} == {"sending", "pending"}
    sender = FakeSender()
    fresh = worker(db, sender, service_clock)
    await fresh.run_until_idle()
    assert fresh.stats.resumed == 20
    assert sorted(chat for chat, _ in sender.sent) == list(range(100, 130))


async def test_a_commit_that_queues_a_message_wakes_the_worker(
    db: Database, service_clock: TestClock
) -> None:
    work = worker(db, FakeSender(), service_clock)
    work._listen(True)
    try:
        work._claim_now = False
        async with db.session():
            pass
        assert not work._claim_now
        await queue(db, [1])
        assert work._claim_now
    finally:
        work._listen(False)


async def test_only_one_replica_leads_and_the_next_takes_over(db: Database) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    first = Leadership(db, "scheduler", holder="host-a:1:x", wall=lambda: now[0])
    second = Leadership(db, "scheduler", holder="host-b:1:y", wall=lambda: now[0])
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert await first.acquire()  # renews / still holds
        assert first.is_leader and not second.is_leader
        await first.release()
        assert await second.acquire()
        assert not await first.acquire()
        if db.is_sqlite:
            # a holder that stops renewing loses the lease when it runs out
            now[0] += timedelta(seconds=9)
            assert not second.is_leader
            assert await first.acquire()
    finally:
        await first.release()
        await second.release()


async def test_sqlite_lease_of_a_dead_process_on_this_machine_is_taken_at_once(
    sqlite_db: Database,
) -> None:
    import socket

    gone = 2**22 + 12345  # beyond pid_max on this machine: no such process
    try:
        os.kill(gone, 0)
    except ProcessLookupError:
        pass
    async with sqlite_db.session() as session:
        session.add(
            SchedulerLease(
                name="scheduler",
                holder=f"{socket.gethostname()}:{gone}:dead",
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
    assert await Leadership(sqlite_db, "scheduler").acquire()
    alive = Leadership(sqlite_db, "other", holder=f"{socket.gethostname()}:1:init")
    async with sqlite_db.session() as session:
        session.add(
            SchedulerLease(
                name="other",
                holder=f"{socket.gethostname()}:{os.getppid()}:alive",
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
    assert not await alive.acquire()


def test_backoff_doubles_and_stops_at_the_cap() -> None:
    assert [delivery_module.backoff(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert delivery_module.backoff(30) == delivery_module.BACKOFF_CAP


async def test_housekeeping_forgets_old_finished_rows_but_keeps_pending_ones(
    db: Database, service_clock: TestClock
) -> None:
    from types import SimpleNamespace

    from bot.jobs.housekeeping import prune_outbox

    await queue(db, [1, 2, 3])
    async with db.session() as session:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.chat_id != 3).values(status="sent")
        )
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.chat_id == 2).values(file_bytes=b"pdf")
        )
    service_clock.advance(days=3)
    await prune_outbox(SimpleNamespace(db=db, clock=service_clock))  # type: ignore[arg-type]
    rows = await outbox(db)
    assert rows[2].file_bytes is None and set(rows) == {1, 2, 3}
    service_clock.advance(days=90)
    await prune_outbox(SimpleNamespace(db=db, clock=service_clock))  # type: ignore[arg-type]
    assert set(await outbox(db)) == {3}
