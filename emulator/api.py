"""`Emulator`: the server, the state, and the factories for scripted users and groups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .core import EmulatorCore, default_admin_rights
from .limits import Fault
from .records import MemberRecord
from .scripted import ScriptedGroup, ScriptedUser
from .server import EmulatorServer


class Emulator(EmulatorCore):
    """A Telegram Bot API server for tests; see emulator/README.md.

    ```
    emu = Emulator(rate_limits=False)
    await emu.start()
    bot = Bot(emu.token, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.url)))
    alice = emu.create_user("Алиса")
    ```
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server = EmulatorServer(self)
        self._scripted: dict[int, ScriptedUser] = {}

    @property
    def url(self) -> str:
        """The base URL for `TelegramAPIServer.from_base` / TELEGRAM_API_URL."""
        return self.server.url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Emulator:
        await self.server.start(host, port)
        return self

    async def stop(self) -> None:
        await self.server.stop()

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- people ----------------------------------------------------------------

    def create_user(
        self,
        first_name: str = "User",
        *,
        id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        started: bool = False,
    ) -> ScriptedUser:
        """A Telegram user. Until they write to the bot (or `started=True`) the bot gets
        403 "bot can't initiate conversation with a user" when it writes first."""
        record = self.add_user(
            first_name,
            id=id,
            last_name=last_name,
            username=username,
            language_code=language_code,
            started=started,
        )
        user = ScriptedUser(self, record)
        self._scripted[record.id] = user
        return user

    def user(self, user_id: int) -> ScriptedUser:
        return self._scripted[user_id]

    def create_group(
        self,
        title: str = "Group",
        *,
        owner: ScriptedUser | None = None,
        members: Iterable[ScriptedUser] = (),
        admins: Iterable[ScriptedUser] = (),
        bot: str | None = "administrator",
        bot_rights: dict[str, bool] | None = None,
        chat_type: str = "supergroup",
        id: int | None = None,
        username: str | None = None,
    ) -> ScriptedGroup:
        """A group as it is before the test starts (no updates are sent for its setup).

        `bot`: "administrator", "member" or None (not in the group). Use
        `group.add_bot(...)` to have the bot added during the test instead.
        """
        chat = self.add_group(
            title,
            id=id,
            chat_type=chat_type,
            owner=owner.record if owner is not None else None,
            username=username,
        )
        for user in admins:
            chat.members[user.id] = MemberRecord(
                user.record, "administrator", default_admin_rights()
            )
        for user in members:
            chat.members.setdefault(user.id, MemberRecord(user.record, "member"))
        if bot is not None:
            rights = bot_rights if bot_rights is not None else default_admin_rights()
            chat.bot_member = MemberRecord(
                self.bot_user, bot, dict(rights) if bot == "administrator" else {}
            )
        return ScriptedGroup(self, chat)

    # -- faults and limits -----------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        method: str | None = None,
        after: bool = False,
    ) -> Fault:
        """The next `count` calls (of `method`) answer 500 or 502."""
        return self.faults.add(str(status), count=count, method=method, after=after)

    def hang_next(
        self,
        count: int = 1,
        *,
        method: str | None = None,
        seconds: float = 3600.0,
        after: bool = False,
    ) -> Fault:
        """The next `count` calls stay unanswered for `seconds` (past the client's timeout)."""
        return self.faults.add(
            "hang", count=count, method=method, after=after, hang_seconds=seconds
        )

    def limit_next(
        self,
        chat_id: int,
        *,
        retry_after: int = 1,
        count: int = 1,
        method: str | None = "sendMessage",
    ) -> Fault:
        """The next `count` calls (of `method`) to `chat_id` answer 429 with `retry_after`,
        as when the chat's flood limit is hit; nothing is sent by them."""
        return self.faults.add(
            "429", count=count, method=method, chat_id=chat_id, retry_after=retry_after
        )

    def set_rate_limits(self, **settings: float | bool) -> None:
        """E.g. `set_rate_limits(enabled=False)` or `set_rate_limits(private_burst=1)`."""
        self.limiter.configure(**settings)

    def calls(self, method: str) -> int:
        """How many times the bot called a method (any spelling)."""
        info = self.table.get(method)
        return self.stats.calls[info.name if info is not None else method]

    async def wait_for_polling(self, timeout: float = 10.0) -> None:
        """Wait until a bot is waiting in getUpdates (it is up and polling)."""
        await self.wait_until(lambda: self.polling, timeout)

    async def wait_for_webhook(self, timeout: float = 10.0) -> None:
        """Wait until the bot has set a webhook."""
        await self.wait_until(lambda: self.webhook.url is not None, timeout)

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every update has been taken by the bot (confirmed or delivered)."""
        await self.wait_until(lambda: self.pending_update_count == 0, timeout)
