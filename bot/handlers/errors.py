"""The last resort: an update that failed is logged (without personal data) and answered.

The user gets one apology per update. In webhook mode the update is also handed back
(`RedeliverUpdate` makes the webhook answer 500), so Telegram sends it again: nothing of
the failed attempt was committed (`processed_updates` included), and a passing fault is
healed by the retry. After `MAX_ATTEMPTS` failures the update is let go (answered 200).
A handler's replies are sent only after its work is committed (see
`bot.middlewares.replies`), so a failed update has told the person nothing but the
apology; one whose reply failed after the commit is recorded as processed and is not
handled twice.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import ErrorEvent
from sqlalchemy.exc import IntegrityError

from bot.handlers.routing import Handlers
from bot.texts import normalize_locale, t
from storage.db import Database
from storage.models import FailedUpdate

log = logging.getLogger(__name__)
router = Handlers(__name__)

MAX_ATTEMPTS = 3


class RedeliverUpdate(Exception):
    """Raised to the webhook server: answer non-2xx so that the update comes again."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} failed and is handed back")
        self.update_id = update_id


async def count_failure(db: Database, update_id: int) -> int:
    """Record one more failed attempt at an update (shared by replicas); returns the count."""
    for _ in range(2):
        try:
            async with db.session() as session:
                row = await session.get(FailedUpdate, update_id, with_for_update=True)
                if row is None:
                    session.add(FailedUpdate(update_id=update_id, attempts=1))
                    return 1
                row.attempts += 1
                return row.attempts
        except IntegrityError:  # another replica recorded the first failure just now
            continue
    return MAX_ATTEMPTS


@router.errors()
async def on_error(
    event: ErrorEvent,
    bot: Bot,
    db: Database | None = None,
    redeliver_failed: bool = False,
) -> bool:
    update = event.update
    attempts = 1
    if db is not None:
        try:
            attempts = await count_failure(db, update.update_id)
        except Exception as exc:  # the database itself may be what failed
            log.warning(
                "could not record the failure of update %s: %s",
                update.update_id,
                type(exc).__name__,
            )
    log.error(
        "update %s failed (attempt %s): %s",
        update.update_id,
        attempts,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    if attempts == 1:
        await _apologise(event, bot)
    if redeliver_failed and attempts < MAX_ATTEMPTS:
        raise RedeliverUpdate(update.update_id) from None
    return True


async def _apologise(event: ErrorEvent, bot: Bot) -> None:
    update = event.update
    user = None
    chat_id = None
    if update.message is not None:
        user, chat_id = update.message.from_user, update.message.chat.id
    elif update.callback_query is not None:
        user = update.callback_query.from_user
        msg = update.callback_query.message
        chat_id = msg.chat.id if msg is not None else user.id
    if user is None or chat_id is None:
        return
    text = t("error-generic", normalize_locale(user.language_code))
    try:
        if update.callback_query is not None:
            try:
                await update.callback_query.answer(text, show_alert=True)
                return
            except Exception:  # answered already (a repeated attempt): say it in the chat
                pass
        await bot.send_message(chat_id, text)
    except Exception as exc:  # the apology itself failed: nothing more to do
        log.warning("could not apologise for update %s: %s", update.update_id, type(exc).__name__)
