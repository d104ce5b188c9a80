"""Operations of one bot: failed updates handed back to Telegram, /healthz, /metrics,
logs without personal data, and a graceful stop that finishes the update in hand."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.handlers import common
from bot.handlers.errors import MAX_ATTEMPTS
from bot.logs import JsonFormatter, setup_logging
from storage.models import FailedUpdate, ProcessedUpdate
from tests.support.journey import programme_with_invitations

APOLOGY = "что-то пошло не так"


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False, "webhook_retry_delay": 0.05, "webhook_retry_max_delay": 0.2}


def _texts(user: Any) -> list[str]:
    return [str(m.text) for m in user.chat.messages.values() if m.from_bot]


async def _failed(db: Any) -> dict[int, int]:
    async with db.read() as s:
        return {r.update_id: r.attempts for r in await s.scalars(select(FailedUpdate))}


async def _processed(db: Any) -> set[int]:
    async with db.read() as s:
        return set(await s.scalars(select(ProcessedUpdate.update_id)))


async def test_a_failing_update_is_handed_back_and_apologised_for_once(
    emulator: Any, bot_app_webhook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        raise RuntimeError("Вася Пупкин")  # a message that must not reach the logs

    monkeypatch.setattr(common, "staff_roles", broken)
    user = emulator.create_user("Вася")
    sent = await user.command("help")
    assert APOLOGY in (await user.next_message()).text
    await emulator.wait_idle(10)
    update_id = max(await _failed(bot_app_webhook.db))
    # Telegram was told to send it again (non-2xx) until the attempts ran out.
    assert calls == MAX_ATTEMPTS
    assert emulator.stats.webhook_failures == MAX_ATTEMPTS - 1
    assert (await _failed(bot_app_webhook.db))[update_id] == MAX_ATTEMPTS
    assert update_id not in await _processed(bot_app_webhook.db)
    assert sum(APOLOGY in text for text in _texts(user)) == 1
    assert sent is not None


async def test_a_passing_fault_is_healed_by_the_redelivery(
    emulator: Any, bot_app_webhook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = common.staff_roles
    calls = 0

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")
        return await real(*args, **kwargs)

    monkeypatch.setattr(common, "staff_roles", flaky)
    user = emulator.create_user("Оля")
    await user.command("help")
    await user.wait_for(APOLOGY, timeout=10)
    await user.wait_for(regex=re.compile(r"/profile|/settings"), timeout=10)
    await emulator.wait_idle(10)
    failed = await _failed(bot_app_webhook.db)
    assert list(failed.values()) == [1]
    # The second delivery did the work and is recorded as processed, once.
    assert set(failed) <= await _processed(bot_app_webhook.db)
    assert sum(APOLOGY in text for text in _texts(user)) == 1


async def test_the_webhook_answers_only_when_the_update_is_done(
    emulator: Any, bot_app_webhook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiogram's own handler answers 200 after 55 s and finishes in the background; ours
    waits, so Telegram never sends a user's next update before this one is stored."""
    from aiogram import Dispatcher

    monkeypatch.setattr(Dispatcher.feed_webhook_update, "__defaults__", (0.2,))  # 55 s → 0.2 s
    real = common.staff_roles
    answered_meanwhile: list[int] = []

    async def slow(*args: Any, **kwargs: Any) -> Any:
        before = emulator.stats.webhook_deliveries
        await asyncio.sleep(1.0)
        answered_meanwhile.append(emulator.stats.webhook_deliveries - before)
        return await real(*args, **kwargs)

    monkeypatch.setattr(common, "staff_roles", slow)
    user = emulator.create_user("Нина")
    await user.command("help")
    await user.wait_for(regex=re.compile(r"/profile|/settings"), timeout=10)
    await emulator.wait_idle(10)
    assert answered_meanwhile == [0]
    assert emulator.stats.webhook_deliveries >= 1


async def test_healthz_and_metrics(emulator: Any, bot_app_webhook: Any) -> None:
    user = emulator.create_user("Петя")
    await user.command("help")
    await user.next_message()
    port = bot_app_webhook.settings.webhook_port
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
            health = await resp.json()
            assert resp.status == 200
        async with http.get(f"http://127.0.0.1:{port}/metrics") as resp:
            assert resp.status == 200
            body = await resp.text()
    assert health["database"] is True and health["redis"] is None
    assert health["leader"] is True and health["stopping"] is False
    handled = re.search(r'nastavnik_updates_total\{outcome="handled",type="message"\} (\d+)', body)
    assert handled is not None and float(handled.group(1)) >= 1
    assert "nastavnik_handler_seconds_bucket" in body
    assert re.search(r"^nastavnik_outbox_depth \d", body, re.M)
    assert re.search(r"^nastavnik_leader 1\.0", body, re.M)


async def test_healthz_reports_a_broken_database(emulator: Any, bot_app_webhook: Any) -> None:
    # Reads go to a database nobody answers; the running app's own engine is left alone
    # (disposing it under the running workers crashed the sqlite driver now and then).
    from storage.db import make_engine

    db = bot_app_webhook.db
    broken = make_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    db.read_factory.configure(bind=broken.execution_options(readonly=True))
    try:
        report = await bot_app_webhook.health()
    finally:
        db.read_factory.configure(bind=db.engine.execution_options(readonly=True))
        await broken.dispose()
    assert report["database"] is False and report["ok"] is False
    assert (await bot_app_webhook.health())["database"] is True  # and back to the real one


def test_json_logs_have_no_exception_messages() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "update %s failed", (7,), None)
    name, phone = "Анна Сергеевна", "+7 914 555-12-34"  # what a user typed
    try:
        try:
            raise KeyError(name)
        except KeyError as exc:
            raise ValueError(phone) from exc
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "update 7 failed" and entry["exception"] == "ValueError"
    assert "KeyError" in entry["traceback"] and "test_operations.py" in entry["traceback"]
    assert "Анна" not in line and "914 555" not in line


async def test_logs_of_a_full_journey_have_no_personal_data(emulator: Any, bot_app: Any) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("INFO", json_lines=True)
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        setup = await programme_with_invitations(bot_app.db, 700_101)
        user = emulator.create_user("Зиновий")
        await user.start(setup.mentee_code)
        await user.wait_for("Вопрос 1 из")
        secrets = await _fill_mentee(user)
        logging.getLogger("probe").info("journey finished for update %s", 1)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert any('"probe"' in line for line in lines)  # the capture works
    for line in lines:
        json.loads(line)  # every line is one JSON object
    text = stream.getvalue()
    for secret in ("Зиновий", *secrets):
        assert secret not in text, secret


async def _fill_mentee(user: Any) -> tuple[str, ...]:
    name, group, goal, contact = "Зиновий Карлович", "ИС-31", "Научиться паять", "zk@example.org"
    await user.send(name)
    await user.wait_for("Согласие на обработку")
    await user.press("✅ Даю согласие, мне уже есть 18")
    await user.wait_for("Вопрос 2 из")
    await user.send("33")
    await user.wait_for("Вопрос 3 из")
    await user.press("студент колледжа")
    await user.wait_for("учебная группа")
    await user.send(group)
    await user.wait_for("С чем вам хотелось бы")
    await user.press("выбор профессии")
    await user.press("✅ Готово")
    await user.wait_for("интересны")
    await user.press("робототехника")
    await user.press("✅ Готово")
    await user.wait_for("увлекаетесь")
    await user.press("Пропустить ➡️")
    await user.wait_for("встречаться с наставником")
    await user.press("онлайн")
    await user.wait_for("Когда вам удобно")
    await user.press("будни, вечер")
    await user.press("✅ Готово")
    await user.wait_for("Чего вы хотите достичь")
    await user.send(goal)
    await user.wait_for("связаться")
    await user.send(contact)
    await user.wait_for("Показывать ваш контакт")
    await user.press("Да, показывать наставнику")
    await user.wait_for("проверьте ответы")
    await user.press("✅ Подтвердить")
    await user.wait_for("Анкета сохранена")
    return name, group, goal, contact


SLOW_BOT = Path(__file__).resolve().parent.parent / "support" / "slow_bot.py"


async def test_sigterm_finishes_the_update_in_hand(emulator: Any, bot_process_factory: Any) -> None:
    process = await bot_process_factory(
        [sys.executable, str(SLOW_BOT), "webhook"],
        mode="webhook",
        env={"SLOW_SECONDS": "2"},
        timeout=90,
    )
    user = emulator.create_user("Лена")
    await user.command("slow")
    await user.wait_for("начала", timeout=15)  # the handler is in the middle of its work
    assert process.proc is not None
    process.proc.send_signal(signal.SIGTERM)
    done = await user.wait_for("готово", timeout=15)
    assert done is not None
    code = await asyncio.wait_for(process.proc.wait(), 20)
    assert code == 0, process.log_text()
    await emulator.wait_idle(5)
    assert emulator.stats.webhook_failures == 0  # the update was answered 2xx, not retried


async def test_polling_mode_serves_healthz_and_metrics_on_their_own_port(
    emulator: Any, bot_app: Any
) -> None:
    from aiohttp import web

    from emulator.server import free_port

    port = free_port()
    runner = web.AppRunner(bot_app.ops_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                assert resp.status == 200
                assert (await resp.json())["database"] is True
            async with http.get(f"http://127.0.0.1:{port}/metrics") as resp:
                assert "nastavnik_outbox_depth" in await resp.text()
    finally:
        await runner.cleanup()


async def test_calls_repeated_by_a_second_attempt_count_as_done() -> None:
    from aiogram.exceptions import TelegramBadRequest
    from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

    from bot.middlewares.replay import RepeatableCalls

    middleware = RepeatableCalls()

    def failing(text: str) -> Any:
        async def make_request(_bot: Any, method: Any) -> Any:
            raise TelegramBadRequest(method=method, message=f"Bad Request: {text}")

        return make_request

    answer = AnswerCallbackQuery(callback_query_id="1")
    edit = EditMessageText(text="x", chat_id=1, message_id=2)
    too_old = failing("query is too old and response timeout expired or query ID is invalid")
    assert await middleware(too_old, None, answer) is True  # type: ignore[arg-type]
    not_modified = failing("message is not modified: specified new message content ...")
    assert await middleware(not_modified, None, edit) is True  # type: ignore[arg-type]
    with pytest.raises(TelegramBadRequest):  # any other refusal still fails
        await middleware(failing("chat not found"), None, SendMessage(chat_id=1, text="x"))  # type: ignore[arg-type]
    with pytest.raises(TelegramBadRequest):
        await middleware(not_modified, None, answer)  # type: ignore[arg-type]
