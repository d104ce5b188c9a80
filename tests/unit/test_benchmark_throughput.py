"""`python -m benchmarks throughput` at a tiny size: the figures are there and make sense.

Nothing here is timed; the speed itself is for the benchmark to report.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks import throughput

pytestmark = pytest.mark.timeout(300)

PEOPLE = 3
WARMUP = 1
ALREADY = 40


async def test_the_core_of_the_benchmark_at_a_tiny_size(tmp_path: Path) -> None:
    figures = await throughput.measure(
        tmp_path, people=PEOPLE, participants=ALREADY, warmup=WARMUP, think=(0.0, 0.01)
    )

    assert set(throughput.GOALS) <= set(figures)
    assert figures["updates_each"] == PEOPLE * throughput.UPDATES_PER_PERSON
    # everyone of the bot's two loads (and the warm-up) got to the end of the questionnaire
    assert figures["completed_forms"] == 2 * PEOPLE + WARMUP
    assert figures["bot_updates_per_s"] > 0
    assert figures["echo_updates_per_s"] > 0
    ratio = figures["bot_updates_per_s"] / figures["echo_updates_per_s"]
    assert figures["bot_vs_echo_ratio"] == pytest.approx(ratio, rel=0.05)
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert figures["echo_p95_ms"] > 0
    assert 0 < figures["paced_p50_ms"] <= figures["paced_p95_ms"]
    assert figures["paced_updates_per_s"] > 0
    assert figures["bot_cpu_ms_per_update"] > 0
    assert figures["echo_cpu_ms_per_update"] > 0
    assert 20 < figures["rss_mb_10k"] < 2000  # a Python process, in megabytes

    with sqlite3.connect(tmp_path / "bot.db") as db:
        (participants,) = db.execute("SELECT count(*) FROM participants").fetchone()
    assert participants == ALREADY + 2 * PEOPLE + WARMUP


def test_the_benchmark_is_run_by_python_m_benchmarks_all() -> None:
    from benchmarks.__main__ import discover

    assert "throughput" in discover()
    assert throughput.GOALS["bot_vs_echo_ratio"] == ">= 0.5"
