"""A reply lost after the update's work was committed: the update comes again (Telegram
redelivers what the webhook did not confirm) and its journaled reply is sent then, while
the work is not done twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

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
