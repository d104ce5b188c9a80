"""Bot API calls that may be repeated when an update is handled again.

A replica that dies in the middle of an update (or an update handed back after a
failure) is handled once more from the start, and some of its calls were already carried
out the first time: the button press is answered ("query is too old") and the message
already shows the new text ("message is not modified"). Both are harmless; here they
count as done instead of failing the second, complete attempt.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)

log = logging.getLogger(__name__)

EDITS = (EditMessageText, EditMessageCaption, EditMessageReplyMarkup)


def already_done(method: TelegramMethod[Any], error: TelegramBadRequest) -> bool:
    text = error.message.lower()
    if isinstance(method, AnswerCallbackQuery):
        return "query is too old" in text or "query id is invalid" in text
    if isinstance(method, EDITS):
        return "message is not modified" in text
    return False


class RepeatableCalls(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as exc:
            if not already_done(method, exc):
                raise
            log.info("%s was already carried out; taken as done", type(method).__name__)
            return True
