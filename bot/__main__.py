"""`python -m bot run | webhook | webhook-secret | migrate | demo | match | backup`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.config import MAX_API_DEFAULT, Settings
from bot.logs import setup_logging

NO_TOKEN = (
    "Не задан ни BOT_TOKEN (Telegram), ни MAX_BOT_TOKEN (MAX): получите токен у @BotFather "
    "в Telegram или на business.max.ru для MAX и впишите его в файл .env (BOT_TOKEN=... "
    "и/или MAX_BOT_TOKEN=...), или запустите демонстрацию без токена: make demo"
)


def _settings_or_exit(need_token: bool) -> Settings:
    settings = Settings()
    if need_token and not (settings.serves_telegram or settings.serves_max):
        print(NO_TOKEN, file=sys.stderr)
        raise SystemExit(2)
    return settings


BAD_MAX_TOKEN = (
    "MAX не принял MAX_BOT_TOKEN: проверьте токен в настройках бота на business.max.ru и "
    "впишите его в .env заново; если указан свой MAX_API_URL, проверьте и этот адрес."
)


def _refused_by_max(refused: BaseException) -> bool:
    """Whether the refused token is MAX's (the MAX session's errors say "MAX ...")."""
    cause = refused.__cause__
    return cause is not None and "MAX " in str(cause)


def _secret_or_exit(settings: Settings) -> None:
    """Webhook mode takes updates only from whoever knows WEBHOOK_SECRET."""
    from bot.webhook_secret import problem

    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    message = problem(secret)
    if message is not None:
        print(message, file=sys.stderr)
        raise SystemExit(2)


def _api_url_or_exit(settings: Settings) -> None:
    from bot.startup import api_url_problem

    urls = []
    if settings.serves_telegram:
        urls.append(("TELEGRAM_API_URL", settings.telegram_api_url))
    if settings.serves_max:
        urls.append(("MAX_API_URL", settings.max_api_url))
    for name, url in urls:
        message = api_url_problem(url)
        if message is not None:
            if name == "MAX_API_URL":
                message = (
                    f"MAX_API_URL задан неверно: нужен адрес вида https://хост, для MAX "
                    f"оставьте {MAX_API_DEFAULT} (или уберите строку из .env)"
                )
            print(message, file=sys.stderr)
            raise SystemExit(2)


def _run(settings: Settings, serve: Callable[..., Coroutine[Any, Any, None]]) -> int:
    """Serve until stopped; a failure is reported without the token (bot.logs.redact)."""
    from bot.startup import BAD_TOKEN, TokenRefused

    try:
        with asyncio.Runner(loop_factory=_loop_factory(settings)) as runner:
            runner.run(_serve(settings, serve))
    except TokenRefused as refused:
        print(BAD_MAX_TOKEN if _refused_by_max(refused) else BAD_TOKEN, file=sys.stderr)
        return 2
    except Exception as exc:
        logging.getLogger("bot").critical("the bot stopped: %s", _failure(exc), exc_info=exc)
        return 1
    return 0


def _loop_factory(settings: Settings) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop (EVENT_LOOP=uvloop, the default), else Python's own."""
    if settings.event_loop != "uvloop":
        return None
    import uvloop

    return uvloop.new_event_loop


def _failure(exc: Exception) -> str:
    """What stopped the bot: the type, and the message of a network or Telegram error
    (other messages may quote what a user wrote; their tracebacks say enough)."""
    from aiogram.exceptions import TelegramAPIError

    from bot.logs import redact

    if isinstance(exc, TelegramAPIError | OSError):
        return f"{type(exc).__name__}: {redact(str(exc))}"
    return type(exc).__name__


async def _serve(settings: Settings, serve: Callable[..., Coroutine[Any, Any, None]]) -> None:
    from bot.app.factory import build_app
    from bot.infra.clock import clock_from_env
    from bot.startup import wait_for_api

    app = await build_app(settings, clock=clock_from_env())
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        reachable = await wait_for_api(app.bot, stop)
        if reachable and app.max_bot is not None and app.max_bot is not app.bot:
            reachable = await wait_for_api(app.max_bot, stop)  # both messengers
    except BaseException:
        await app.stop()
        raise
    if not reachable:  # stopped while waiting for the network
        await app.stop()
        return
    await app.start()
    # What is loaded by now stays for the life of the process: the garbage collector
    # need not look at it again (a full collection went over it all, a quarter second).
    gc.collect()
    gc.freeze()
    ops = await _start_ops_server(app) if settings.metrics_port else None
    serving = asyncio.create_task(serve(app))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    # A graceful stop: no new updates, the ones in hand finish and are answered, then
    # the workers give back what they claimed and the connections close.
    await asyncio.wait_for(app.stop(), timeout=settings.shutdown_timeout + 6)
    if ops is not None:
        await ops.cleanup()
    if not serving.done():
        serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        pass


async def _start_ops_server(app: object) -> Any:
    """/healthz and /metrics on METRICS_PORT."""
    from aiohttp import web

    from bot.app.factory import BotApp

    assert isinstance(app, BotApp)
    runner = web.AppRunner(app.ops_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, app.settings.webhook_host, app.settings.metrics_port).start()
    return runner


async def _polling(app: object) -> None:
    from bot.app.factory import BotApp

    assert isinstance(app, BotApp)
    if app.settings.serves_telegram:
        await app.bot.delete_webhook(drop_pending_updates=False)
    dashboard = await _start_dashboard(app)
    try:
        await app.run_polling()
    finally:
        if dashboard is not None:
            await dashboard.cleanup()


async def _start_dashboard(app: object) -> Any:
    """The web dashboard on DASHBOARD_HOST:DASHBOARD_PORT, when DASHBOARD_BASE_URL says
    where browsers find it; a port already taken costs the dashboard, not the bot."""
    from aiohttp import web

    from bot.app.factory import BotApp

    assert isinstance(app, BotApp)
    settings = app.settings
    if not settings.dashboard_base_url:
        return None
    runner = web.AppRunner(app.dashboard_app(), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.dashboard_host, settings.dashboard_port).start()
    except OSError as exc:
        logging.getLogger("bot").warning("the dashboard could not start: %s", exc.strerror)
        await runner.cleanup()
        return None
    return runner


async def _webhook(app: object) -> None:
    from aiohttp import web

    from bot.app.factory import BotApp

    assert isinstance(app, BotApp)
    settings = app.settings
    runner = web.AppRunner(app.webhook_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    if settings.webhook_base_url and settings.serves_max:
        from bot.max.webhook import subscribe

        base = settings.webhook_base_url.rstrip("/")
        await subscribe(app, base + settings.max_webhook_path, app.webhook_secret or "")
    if settings.webhook_base_url and settings.serves_telegram:
        await app.bot.set_webhook(
            settings.webhook_base_url.rstrip("/") + settings.webhook_path,
            secret_token=app.webhook_secret,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Наставник: бот программы наставничества"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="запустить бота (long polling)")
    sub.add_parser("webhook", help="запустить бота в режиме webhook")
    sub.add_parser("migrate", help="применить миграции базы данных")
    secret = sub.add_parser("webhook-secret", help="записать новый WEBHOOK_SECRET в .env")
    secret.add_argument("rest", nargs=argparse.REMAINDER)
    demo = sub.add_parser("demo", help="демонстрация без токена на эмуляторе")
    demo.add_argument("rest", nargs=argparse.REMAINDER)
    match = sub.add_parser("match", help="подбор пар по файлу INSTANCE.json")
    match.add_argument("rest", nargs=argparse.REMAINDER)
    backup = sub.add_parser("backup", help="резервная копия базы SQLite")
    backup.add_argument("path", nargs="?", help="файл или папка (по умолчанию BACKUP_DIR)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        # argparse's REMAINDER does not take options (`demo --fast`): hand them over as is.
        from bot.demo import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["match"]:
        from bot.services.matching.cli import main as match_main

        return match_main(argv[1:])
    if argv[:1] == ["webhook-secret"]:
        from bot.webhook_secret import main as secret_main

        return secret_main(argv[1:])
    args = parser.parse_args(argv)

    if args.command in ("run", "webhook"):
        settings = _settings_or_exit(need_token=True)
        _api_url_or_exit(settings)
        if args.command == "webhook":
            _secret_or_exit(settings)
        setup_logging(settings.log_level, settings.log_json, secrets=settings.secrets)
        return _run(settings, _polling if args.command == "run" else _webhook)
    if args.command == "migrate":
        settings = _settings_or_exit(need_token=False)
        setup_logging(settings.log_level, settings.log_json)
        from storage.migrate import upgrade

        asyncio.run(upgrade(settings.database_url))
        print("Миграции применены.")
        return 0
    if args.command == "demo":
        from bot.demo import main as demo_main

        return demo_main(args.rest)
    if args.command == "match":
        from bot.services.matching.cli import main as match_main

        return match_main(args.rest)
    if args.command == "backup":
        from storage.backup import main as backup_main

        return backup_main(args.path)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
