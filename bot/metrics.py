"""Prometheus metrics of a bot process (`/metrics` on the webhook server or METRICS_PORT).

Every replica exposes its own figures; Prometheus adds them up. Labels never carry user
ids, names or texts: only update types, outcomes and send results.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

UPDATES = Counter(
    "nastavnik_updates_total",
    "Updates taken by this process, by update type and outcome (handled, failed, duplicate).",
    ["type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "nastavnik_handler_seconds",
    "Time from taking an update to the end of its handling (seconds).",
    ["type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
UPDATES_IN_PROGRESS = Gauge(
    "nastavnik_updates_in_progress", "Updates being handled right now in this process."
)
DUPLICATE_UPDATES = Counter(
    "nastavnik_duplicate_updates_total",
    "Redelivered updates that were already processed and were skipped.",
)
OUTBOX_DEPTH = Gauge(
    "nastavnik_outbox_depth",
    "Outbox messages waiting to be sent (pending or being sent), read at scrape time.",
)
SENDS = Counter(
    "nastavnik_sends_total",
    "Outbox sends by the delivery worker, by result (sent, retry, failed, blocked, ...).",
    ["result"],
)
LEADER = Gauge(
    "nastavnik_leader",
    "1 while this process holds the leadership (runs the scheduler and the delivery worker).",
)

__all__ = [
    "CONTENT_TYPE_LATEST",
    "DUPLICATE_UPDATES",
    "HANDLER_SECONDS",
    "LEADER",
    "OUTBOX_DEPTH",
    "SENDS",
    "UPDATES",
    "UPDATES_IN_PROGRESS",
    "count_send",
    "render",
]


def count_send(result: str) -> None:
    """The delivery worker calls this once per send attempt with its outcome."""
    SENDS.labels(result=result).inc()


def render() -> bytes:
    """The text exposition format of every metric of this process."""
    return generate_latest()
