"""The operations routes: /healthz (database, Redis, leadership, stopping) and /metrics
(Prometheus), served beside the webhook or alone on METRICS_PORT."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot import metrics

if TYPE_CHECKING:
    from aiogram import Dispatcher

    from bot.infra.leader import Leadership
    from bot.middlewares.metrics import InFlight
    from storage.db import Database

log = logging.getLogger(__name__)


class OpsRoutes:
    """/healthz and /metrics of a `BotApp` (bot/app/factory.py), which mixes this in."""

    db: Database
    dispatcher: Dispatcher
    leadership: Leadership
    in_flight: InFlight
    stopping: bool

    @property
    def workers_running(self) -> bool:
        """Given by `bot.app.lifecycle.Lifecycle`, first in BotApp's bases."""
        raise NotImplementedError

    def ops_app(self) -> web.Application:
        """/healthz and /metrics alone (polling mode, METRICS_PORT)."""
        app = web.Application()
        self.add_ops_routes(app)
        return app

    def add_ops_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)

    async def health(self) -> dict[str, Any]:
        """Database and Redis reachable, leader or not, stopping or not."""
        from sqlalchemy import text

        report: dict[str, Any] = {}
        try:
            async with self.db.read() as session:
                await asyncio.wait_for(session.execute(text("SELECT 1")), 5)
            report["database"] = True
        except Exception:
            report["database"] = False
        redis = getattr(self.dispatcher.storage, "redis", None)
        if redis is None:
            report["redis"] = None  # not configured (the embedded mode)
        else:
            try:
                report["redis"] = bool(await asyncio.wait_for(redis.ping(), 5))
            except Exception:
                report["redis"] = False
        report["leader"] = self.leadership.is_leader
        report["workers"] = self.workers_running
        report["stopping"] = self.stopping
        report["in_flight"] = self.in_flight.count
        report["ok"] = report["database"] and report["redis"] is not False and not self.stopping
        return report

    async def _healthz(self, _request: web.Request) -> web.Response:
        report = await self.health()
        return web.json_response(report, status=200 if report["ok"] else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        from sqlalchemy import func, select

        from storage.models import OutboxMessage, OutboxStatus

        metrics.LEADER.set(1 if self.leadership.is_leader else 0)
        try:
            async with self.db.read() as session:
                depth = await session.scalar(
                    select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                    )
                )
            metrics.OUTBOX_DEPTH.set(depth or 0)
        except Exception as exc:  # the rest of the figures are still worth having
            log.warning("outbox depth unavailable: %s", type(exc).__name__)
        return web.Response(
            body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE_LATEST}
        )
