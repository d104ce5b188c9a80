"""Updates reaching the bot: getUpdates (long polling) or the webhook, one way at a time."""

from __future__ import annotations

import asyncio
import json
import re
from collections import deque
from typing import Any

import aiohttp

from ..errors import ApiError, bad_request
from ..records import FileRecord
from .base import _CONFLICT, OPT_IN_UPDATES, log, multipart_parts
from .edits import Edits


class Updates(Edits):
    """Updates reaching the bot, by getUpdates or by the webhook."""

    # ------------------------------------------------------------------ updates

    def _allowed(self, kind: str) -> bool:
        allowed = self.allowed_updates
        if allowed is None:
            return kind not in OPT_IN_UPDATES
        return kind in allowed

    def emit(self, kind: str, payload: dict[str, Any], key: int) -> dict[str, Any] | None:
        """Queue an update for the bot (`key` orders webhook delivery per chat)."""
        if not self._allowed(kind) or self.logged_out:
            self.stats.updates_dropped += 1
            return None
        return self._queue_update({"update_id": self._next_update_id, kind: payload}, key)

    def emit_raw(self, fields: dict[str, Any], key: int = 0) -> dict[str, Any]:
        """For tests only: queue an update made of `fields` exactly as given, unchecked
        (an update the bot's library may fail to read, as a new Bot API field can be)."""
        return self._queue_update({"update_id": self._next_update_id, **fields}, key)

    def _queue_update(self, update: dict[str, Any], key: int) -> dict[str, Any]:
        self._next_update_id += 1
        self.stats.updates += 1
        if self.webhook.url is not None:
            self._wh_enqueue(key, update)
        else:
            self._updates.append(update)
            waiter = self._poll_waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        return update

    @property
    def pending_update_count(self) -> int:
        return len(self._updates) + sum(len(q) for q in self._wh_queues.values())

    def _set_allowed(self, allowed: Any) -> None:
        if allowed is None:
            return
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        self.allowed_updates = frozenset(allowed) if allowed else None

    def _confirm(self, offset: int) -> None:
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
            return
        while updates and updates[0]["update_id"] < offset:
            updates.popleft()

    def _collect(self, offset: int, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for update in self._updates:
            if update["update_id"] >= offset:
                out.append(update)
                if len(out) >= limit:
                    break
        return out

    async def api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.url is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = max(1, min(100, int(p.get("limit") or 100)))
        timeout = max(0.0, float(p.get("timeout") or 0))
        self._set_allowed(p.get("allowed_updates"))
        if offset:
            self._confirm(offset)
        if offset < 0:
            offset = 0
        previous = self._poll_waiter
        if previous is not None and not previous.done():
            previous.set_result(_CONFLICT)
        result = self._collect(offset, limit)
        if result or timeout <= 0 or self._closed:
            return result
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._poll_waiter = waiter
        self.polling = True
        self._notify_state()
        try:
            outcome = await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return []
        finally:
            if self._poll_waiter is waiter:
                self._poll_waiter = None
                self.polling = False
        if outcome is _CONFLICT:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._collect(offset, limit)

    # ------------------------------------------------------------------ webhook

    def api_setwebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self.api_deletewebhook(p)
        if not url.startswith(("http://", "https://")):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        self._set_allowed(p.get("allowed_updates"))
        if p.get("drop_pending_updates"):
            self._updates.clear()
            self._wh_queues.clear()
        was_active = self.webhook.url is not None
        self.webhook.url = url
        self.webhook.secret_token = str(secret) if secret is not None else None
        self.webhook.max_connections = int(p.get("max_connections") or 40)
        self.webhook.last_error_date = None
        self.webhook.last_error_message = None
        self._wh_sem = asyncio.Semaphore(self.webhook.max_connections)
        if not was_active:
            waiter = self._poll_waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(_CONFLICT)
            pending = list(self._updates)
            self._updates.clear()
            for update in pending:
                self._wh_enqueue(self._update_key(update), update)
        self._notify_state()
        return True

    def api_deletewebhook(self, p: dict[str, Any]) -> bool:
        if self.webhook.url is None:
            if p.get("drop_pending_updates"):
                self._updates.clear()
            return True
        self.webhook.url = None
        self.webhook.secret_token = None
        for task in self._wh_tasks.values():
            task.cancel()
        self._wh_tasks.clear()
        pending = sorted(
            (u for q in self._wh_queues.values() for u in q), key=lambda u: u["update_id"]
        )
        self._wh_queues.clear()
        if not p.get("drop_pending_updates"):
            self._updates.extend(pending)
        self._notify_state()
        return True

    def api_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url or "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
        }
        if self.webhook.url is not None:
            info["max_connections"] = self.webhook.max_connections
            info["ip_address"] = "127.0.0.1"
        if self.allowed_updates is not None:
            info["allowed_updates"] = sorted(self.allowed_updates)
        if self.webhook.last_error_date is not None:
            info["last_error_date"] = self.webhook.last_error_date
            info["last_error_message"] = self.webhook.last_error_message
        return info

    @staticmethod
    def _update_key(update: dict[str, Any]) -> int:
        for key, value in update.items():
            if key == "update_id" or not isinstance(value, dict):
                continue
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if chat is not None:
                return int(chat["id"])
            sender = value.get("from")
            if sender is not None:
                return int(sender["id"])
        return 0

    def _wh_enqueue(self, key: int, update: dict[str, Any]) -> None:
        queue = self._wh_queues.get(key)
        if queue is None:
            queue = self._wh_queues[key] = deque()
        queue.append(update)
        if key not in self._wh_tasks and not self._closed:
            self._wh_tasks[key] = asyncio.get_running_loop().create_task(self._wh_worker(key))

    def _next_target(self) -> str:
        targets = self.webhook_round_robin
        if targets:
            url = targets[self._rr_index % len(targets)]
            self._rr_index += 1
            return url
        assert self.webhook.url is not None
        return self.webhook.url

    async def _wh_worker(self, key: int) -> None:
        try:
            while True:
                queue = self._wh_queues.get(key)
                if not queue or self.webhook.url is None:
                    break
                update = queue[0]
                delivered = await self._deliver(update)
                if delivered and queue and queue[0] is update:
                    queue.popleft()
                    self._notify_state()
                if not queue:
                    self._wh_queues.pop(key, None)
        finally:
            if self._wh_tasks.get(key) is asyncio.current_task():
                del self._wh_tasks[key]

    async def _deliver(self, update: dict[str, Any]) -> bool:
        body = json.dumps(update, ensure_ascii=False).encode()
        delay = self.webhook_retry_delay
        while self.webhook.url is not None and not self._closed:
            if self._wh_session is None or self._wh_session.closed:
                self._wh_session = aiohttp.ClientSession()
            headers = {"Content-Type": "application/json"}
            if self.webhook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook.secret_token
            url = self._next_target()
            sem = self._wh_sem or asyncio.Semaphore(40)
            error: str
            async with sem:
                try:
                    async with self._wh_session.post(
                        url,
                        data=body,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                    ) as resp:
                        raw = await resp.read()
                        if 200 <= resp.status < 300:
                            self.stats.webhook_deliveries += 1
                            await self._webhook_reply(raw, resp.headers.get("Content-Type", ""))
                            return True
                        error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    error = f"Connection failed: {type(exc).__name__}: {exc}"
            self.stats.webhook_failures += 1
            self.webhook.last_error_date = self.now()
            self.webhook.last_error_message = error
            log.debug("webhook delivery to %s failed: %s", url, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.webhook_retry_max_delay)
        return False

    async def _webhook_reply(self, raw: bytes, content_type: str) -> None:
        """A webhook answer may carry one method call, which Telegram carries out."""
        if not raw or len(raw) < 10:
            return
        params: dict[str, Any] = {}
        files: dict[str, FileRecord] = {}
        form = False
        try:
            if content_type.startswith("application/json"):
                data = json.loads(raw)
                if not isinstance(data, dict):
                    return
                params = data
            elif content_type.startswith("multipart/form-data"):
                form = True
                for name, filename, payload in multipart_parts(raw, content_type):
                    if filename:
                        files[name] = self._store_file(payload, filename, None)
                    else:
                        params[name] = payload.decode()
            else:
                return
        except ValueError:
            return
        method = params.pop("method", None)
        if not method:
            return
        self.stats.webhook_replies[str(method)] += 1
        try:
            await self.call_api(str(method), params, files, form=form)
        except ApiError as exc:
            self.note_error(str(method), params, exc)
