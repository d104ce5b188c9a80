"""A reply lost after the update's work was committed: the update comes again (Telegram
redelivers what the webhook did not confirm) and its journaled reply is sent then, while
the work is not done twice."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, func, select

from storage.models import FormAnswer, PendingReply
from tests.support.journey import programme_with_invitations
from tests.support.settle import read_settled

NAME = "Тимофей Звягинцев"


async def test_webhook_a_reply_lost_after_the_commit_arrives_with_the_redelivery(
    emulator: Any, bot_app_webhook: Any
) -> None:
    app = bot_app_webhook
    setup = await programme_with_invitations(app.db, 700_111)
    user = emulator.create_user("Тима")
    await user.start(setup.mentee_code)
    await user.next_message()  # about the programme
    assert "Вопрос 1 из" in (await user.next_message()).text

    # The reply to the name fails once on Telegram's side, after the answer is stored.
    fault = emulator.faults.add("500", method="sendMessage", chat_id=user.id)
    await user.send(NAME)
    await user.wait_for("что-то пошло не так", timeout=30)  # the apology for the failure
    assert fault.hits == 1
    async with read_settled(app) as s:
        journal = list(await s.scalars(select(PendingReply.method)))
    assert "SendMessage" in journal  # the lost reply waits in the journal, with the answer

    reply = await user.wait_for("Согласие на обработку", timeout=30)
    assert reply is not None
    async with read_settled(app) as s:
        names = select(func.count()).select_from(FormAnswer)
        stored = await s.scalar(names.where(FormAnswer.question_id == "full_name"))
        left = await s.scalar(select(func.count()).select_from(PendingReply))
    assert stored == 1  # the answer once, not twice
    assert left == 0  # sent, so the journal is gone


async def test_webhook_journals_of_sent_replies_go_without_a_write_per_update(
    emulator: Any, bot_app_webhook: Any
) -> None:
    """Many people at once: the journal of an update whose replies went out is deleted
    in the transaction of an update still on its way, not in a write of its own; when
    the people stop, every journal is gone but the answers given in the webhook's HTTP
    answer (kept for a copy of their update)."""
    app = bot_app_webhook
    setup = await programme_with_invitations(app.db, 700_112)
    people = [emulator.create_user(f"Человек {i}") for i in range(20)]
    writes: list[int] = []

    def begun(connection: Any) -> None:
        if not connection.get_execution_options().get("readonly", False):
            writes.append(1)

    async def journey(user: Any, index: int) -> None:
        await user.start(setup.mentee_code)
        await user.wait_for("Вопрос 1 из", timeout=60)
        await user.send(f"Участник Номер{index:02d}")
        await user.wait_for("Согласие на обработку", timeout=60)
        await user.press("✅ Даю согласие, мне уже есть 18")
        await user.wait_for("Согласие сохранено", timeout=60)

    event.listen(app.db.engine.sync_engine, "begin", begun)
    try:
        await asyncio.gather(*(journey(user, i) for i, user in enumerate(people)))
        async with read_settled(app) as s:
            left = list(await s.scalars(select(PendingReply.method)))
    finally:
        event.remove(app.db.engine.sync_engine, "begin", begun)
    updates = 3 * len(people)
    # A write per update and one per journal would be two per update.
    assert len(writes) < 1.5 * updates, (len(writes), updates)
    assert sorted(set(left)) == ["AnswerCallbackQuery"]
    assert len(left) == len(people)
