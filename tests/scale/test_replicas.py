"""Three replicas of the real bot behind a round-robin webhook, on PostgreSQL and Redis.

- 200 people fill in their questionnaires at once (/start <code>); one replica is killed
  with SIGKILL in the middle: Telegram (the emulator) redelivers what was not answered
  2xx, and every answer is in the database exactly once.
- A redelivered update (the same update_id, to two replicas at once) has one effect.
- The leader is killed while its sends hang: another replica takes over and an outbox
  batch enqueued once reaches each recipient exactly once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.infra.outbox import enqueue
from bot.services import forms
from emulator.api import Emulator
from storage.db import Database
from storage.models import FormAnswer, OutboxMessage, OutboxStatus, Participant, Person
from tests.scale.cluster import (
    Cluster,
    expected_answers,
    fill_questionnaire,
    person_goal,
    person_name,
)
from tests.support.journey import programme_with_invitations, start_update

PEOPLE = 200
# Subprocesses and 200 people: minutes on a busy 2-core machine, seconds of real work.
pytestmark = pytest.mark.timeout(600)


async def _cluster(emulator: Emulator, pg_url: str, redis_url: str, tmp_path: Path) -> Cluster:
    cluster = Cluster(
        emulator, database_url=pg_url, redis_url=redis_url, replicas=3, log_dir=tmp_path
    )
    try:
        await cluster.start()
    except BaseException:
        await cluster.stop()
        raise
    return cluster


async def test_200_people_and_a_replica_killed_midway(
    emulator: Emulator, pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    db = Database(pg_url)
    setup = await programme_with_invitations(db, 700_201)
    cluster = await _cluster(emulator, pg_url, redis_url, tmp_path)
    try:
        users = [emulator.create_user(f"Человек{i}") for i in range(PEOPLE)]
        finished = 0

        async def one(index: int) -> None:
            nonlocal finished
            await fill_questionnaire(users[index], setup.mentee_code, index)
            finished += 1

        tasks = [asyncio.create_task(one(i)) for i in range(PEOPLE)]
        leader = await cluster.wait_for_leader()
        victim = (leader + 1) % 3
        while finished < PEOPLE // 4 and not all(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        assert finished < PEOPLE, "the load ended before the kill"
        await cluster.kill(victim)
        await asyncio.gather(*tasks)
        await emulator.wait_idle(30)

        assert emulator.stats.webhook_failures > 0  # deliveries to the dead replica failed
        tg_index = {u.id: i for i, u in enumerate(users)}
        async with db.read() as s:
            rows = (
                await s.execute(
                    select(Participant, Person.tg_id)
                    .join(Person, Person.id == Participant.person_id)
                    .where(Participant.programme_id == setup.programme_id)
                )
            ).all()
            assert len(rows) == PEOPLE
            for participant, tg_id in rows:
                assert participant.profile_complete and participant.status == "active"
                answers = await forms.answers_of(s, participant.id, "mentee_profile")
                assert answers == expected_answers(tg_index[tg_id])
            answer_rows = await s.scalar(select(func.count(FormAnswer.id)))
        assert answer_rows == PEOPLE * len(expected_answers(0))
        # Everybody got the end of the questionnaire. A reply sent by the killed replica
        # for an update it had not committed is sent again by the replica that handles
        # the redelivery (at least once): only updates in its hands at the kill.
        repeats = 0
        for user in users:
            done = [m for m in user.chat.messages.values() if "Анкета сохранена" in m.text]
            assert done, user.chat.transcript()
            repeats += len(done) - 1
        assert repeats <= PEOPLE // 3
        # JSON logs of every replica, without names or answers.
        logs = cluster.logs()
        for i in (0, 57, 199):
            assert person_name(i) not in logs and person_goal(i) not in logs
        survivor = next(i for i in range(3) if i != victim)
        assert "nastavnik_updates_total" in await cluster.metrics(survivor)
    finally:
        await cluster.stop()
        await db.dispose()


async def test_redelivery_and_leader_takeover(
    emulator: Emulator, pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    db = Database(pg_url)
    setup = await programme_with_invitations(db, 700_202)
    cluster = await _cluster(emulator, pg_url, redis_url, tmp_path)
    try:
        # The same update twice, to two replicas at once: one effect.
        user = emulator.create_user("Повтор", started=True)
        body = start_update(990_000_001, user, f"/start {setup.mentee_code}")
        http = await cluster.http()
        headers = {"X-Telegram-Bot-Api-Secret-Token": "emulator-secret"}

        async def post(index: int) -> int:
            async with http.post(cluster.url(index), json=body, headers=headers) as resp:
                return resp.status

        assert await asyncio.gather(post(0), post(1)) == [200, 200]
        assert await post(2) == 200
        await user.wait_for("Как вас зовут", timeout=30)
        async with db.read() as s:
            count = await s.scalar(
                select(func.count(Participant.id)).where(
                    Participant.programme_id == setup.programme_id
                )
            )
        assert count == 1
        questions = [m for m in user.chat.messages.values() if "Как вас зовут" in m.text]
        assert len(questions) == 1

        # The leader dies with sends in the air; an outbox batch enqueued once.
        leader = await cluster.wait_for_leader()
        recipients = [emulator.create_user(f"Получатель{i}", started=True) for i in range(30)]
        emulator.hang_next(4, method="sendMessage", seconds=20)
        calls_before = emulator.calls("sendMessage")
        async with db.session() as s:
            for person in recipients:
                await enqueue(s, key=f"batch:{person.id}", chat_id=person.id, text="Раунд")
        while emulator.calls("sendMessage") < calls_before + 4:
            await asyncio.sleep(0.02)
        await cluster.kill(leader)
        killed_at = time.monotonic()
        new_leader = await cluster.wait_for_leader(timeout=30, exclude=leader)
        takeover = time.monotonic() - killed_at
        async with db.session() as s:  # enqueueing again changes nothing
            for person in recipients:
                await enqueue(s, key=f"batch:{person.id}", chat_id=person.id, text="Раунд")
        for person in recipients:
            await person.wait_for("Раунд", timeout=60)
        statuses: set[str] = set()
        for _ in range(100):  # results are recorded in small batches just after the sends
            async with db.read() as s:
                statuses = set(await s.scalars(select(OutboxMessage.status)))
            if statuses == {OutboxStatus.SENT}:
                break
            await asyncio.sleep(0.1)
        assert statuses == {OutboxStatus.SENT}
        await asyncio.sleep(0.5)  # anything sent twice would show up by now
        for person in recipients:
            got = [m for m in person.chat.messages.values() if m.from_bot]
            assert len(got) == 1, person.chat.transcript()
        assert new_leader != leader
        print(f"takeover after {takeover:.1f}s")
    finally:
        await cluster.stop()
        await db.dispose()
