"""benchmarks/RESULTS.md: a goal not met comes with its explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

import benchmarks.__main__ as runner


def test_a_missed_goal_is_listed_with_where_the_time_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RESULTS", tmp_path / "RESULTS.md")
    rows = [
        {
            "figure": "fast",
            "value": 3,
            "goal": "< 5",
            "met": runner.goal_met("< 5", 3),
            "command": "python -m benchmarks a",
            "gap": "",
        },
        {
            "figure": "ratio",
            "value": 0.1,
            "goal": ">= 0.5",
            "met": runner.goal_met(">= 0.5", 0.1),
            "command": "python -m benchmarks b",
            "gap": "SQLAlchemy takes a third",
        },
    ]
    runner.write_results(rows)
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| fast | 3 | < 5 | yes |" in text
    assert "| ratio | 0.1 | >= 0.5 | **no** |" in text
    missed = text.split("## Goals not met")[1]
    assert "**ratio**" in missed and "SQLAlchemy takes a third" in missed
    assert "fast" not in missed
