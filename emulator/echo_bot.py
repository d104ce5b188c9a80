"""A bare aiogram 3 echo bot: the emulator's own test subject and a benchmark baseline.

`python -m emulator.echo_bot --api URL --token TOKEN` polls;
`--webhook-port P [--webhook-host H] [--secret S]` serves a webhook and sets it.
The object returned by `build_echo_app` has the same shape as the real bot's BotApp
(start, run_polling, webhook_app, run_webhook, stop), so one harness runs either.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    ChatJoinRequest,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

WEBHOOK_PATH = "/webhook"


def keyboard(count: int = 0) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Ping", callback_data="ping"),
                InlineKeyboardButton(text="Alert", callback_data="alert"),
            ],
            [InlineKeyboardButton(text=f"Count {count}", callback_data=f"count:{count}")],
        ]
    )


def build_router() -> Router:
    router = Router(name="echo")

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        name = html.escape(message.from_user.first_name if message.from_user else "")
        payload = html.escape(command.args or "-")
        await message.answer(
            f"Hello, <b>{name}</b>! payload: {payload}", parse_mode="HTML", reply_markup=keyboard()
        )

    @router.message(Command("bad_html"))
    async def bad_html(message: Message) -> None:
        try:
            await message.answer("<b>unclosed", parse_mode="HTML")
        except TelegramBadRequest as exc:
            await message.answer(f"error: {exc.message}")

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        data = await bot.download(message.document)
        assert data is not None
        content = data.read()
        await message.answer_document(
            BufferedInputFile(content[::-1], filename=f"reversed-{message.document.file_name}"),
            caption=f"size {len(content)}",
        )

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        assert message.contact is not None
        await message.answer(f"contact {message.contact.phone_number}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"<i>echo:</i> {html.escape(message.text or '')}", parse_mode="HTML")

    @router.callback_query(F.data == "ping")
    async def ping(query: CallbackQuery) -> None:
        await query.answer("pong")

    @router.callback_query(F.data == "alert")
    async def alert(query: CallbackQuery) -> None:
        await query.answer("Alert!", show_alert=True)

    @router.callback_query(F.data.startswith("count:"))
    async def count(query: CallbackQuery) -> None:
        # The bot decides what a press means: a stale or forged one is refused.
        message = query.message
        value = (query.data or "").split(":", 1)[1]
        if not value.isdigit() or not isinstance(message, Message):
            await query.answer("This button is no longer valid", show_alert=True)
            return
        current = int(value)
        shown = (
            message.reply_markup.inline_keyboard[1][0].callback_data
            if message.reply_markup
            else None
        )
        if shown != query.data:
            await query.answer("This button is no longer valid", show_alert=True)
            return
        await message.edit_text(f"Count: {current + 1}", reply_markup=keyboard(current + 1))
        await query.answer()

    @router.callback_query()
    async def unknown(query: CallbackQuery) -> None:
        await query.answer("Unknown button", show_alert=True)

    @router.chat_join_request()
    async def join_request(request: ChatJoinRequest) -> None:
        if request.from_user.first_name.startswith("Bad"):
            await request.decline()
        else:
            await request.approve()

    return router


class EchoApp:
    """The echo bot with the real bot's lifecycle."""

    def __init__(self, api_url: str, token: str, *, webhook_secret: str | None = None) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token, session=session)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(build_router())
        self.webhook_secret = webhook_secret
        self._polling: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        await self.bot.set_my_commands([BotCommand(command="start", description="Start")])

    async def run_polling(self) -> None:
        await self.bot.delete_webhook()
        await self.dispatcher.start_polling(
            self.bot,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=10,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        )

    def webhook_app(self) -> web.Application:
        app = web.Application()
        SimpleRequestHandler(self.dispatcher, self.bot, secret_token=self.webhook_secret).register(
            app, path=WEBHOOK_PATH
        )
        return app

    async def set_webhook(self, base_url: str) -> None:
        await self.bot.set_webhook(
            base_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=self.webhook_secret,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        )

    async def run_webhook(self, host: str, port: int, base_url: str | None = None) -> None:
        self._runner = web.AppRunner(self.webhook_app())
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        await self.set_webhook(base_url or f"http://{host}:{port}")
        await asyncio.Event().wait()

    async def stop(self) -> None:
        if self.dispatcher._running_lock.locked():
            await self.dispatcher.stop_polling()
        if self._runner is not None:
            await self._runner.cleanup()
        await self.bot.session.close()


def build_echo_app(api_url: str, token: str, **kwargs: Any) -> EchoApp:
    return EchoApp(api_url, token, **kwargs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator.echo_bot", description=__doc__)
    parser.add_argument("--api", required=True, help="Bot API base URL (the emulator)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--webhook-port", type=int, help="serve a webhook instead of polling")
    parser.add_argument("--webhook-host", default="127.0.0.1")
    parser.add_argument("--secret", help="webhook secret token")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    app = build_echo_app(args.api, args.token, webhook_secret=args.secret)

    async def run() -> None:
        await app.start()
        try:
            if args.webhook_port:
                await app.run_webhook(args.webhook_host, args.webhook_port)
            else:
                await app.dispatcher.start_polling(
                    app.bot, allowed_updates=app.dispatcher.resolve_used_update_types()
                )
        finally:
            await app.stop()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
