"""`python -m benchmarks NAME [args]` runs one benchmark and prints its figures as JSON on
the last line; `python -m benchmarks all` runs every module, each in its own process, and
writes benchmarks/RESULTS.md."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, goal_met, machine

PACKAGE_DIR = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common", "__main__"}
RESULTS = PACKAGE_DIR / "RESULTS.md"
PER_MODULE_TIMEOUT = 30 * 60


def discover() -> list[str]:
    names = []
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if info.name in NOT_BENCHMARKS or info.name.startswith("_") or info.ispkg:
            continue
        names.append(info.name)
    return sorted(names)


def run_one(name: str, argv: list[str]) -> dict[str, Any]:
    module = importlib.import_module(f"benchmarks.{name}")
    if not hasattr(module, "main") or not hasattr(module, "GOALS"):
        raise SystemExit(f"benchmarks.{name} defines no main() and GOALS")
    figures = module.main(argv)
    if not isinstance(figures, dict):
        raise SystemExit(f"benchmarks.{name}.main() returned {type(figures).__name__}, not dict")
    return figures


def run_all(argv: list[str]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    everything: dict[str, Any] = {}
    for name in discover():
        command = f"python -m benchmarks {name}"
        print(f"running {command} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        error: str | None = None
        figures: dict[str, Any] = {}
        try:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks", name],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=PER_MODULE_TIMEOUT,
            )
            lines = [line for line in done.stdout.splitlines() if line.strip()]
            if done.returncode != 0 or not lines:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                error = f"exit {done.returncode}: " + " / ".join(tail)
            else:
                figures = json.loads(lines[-1])
        except subprocess.TimeoutExpired:
            error = f"timed out after {PER_MODULE_TIMEOUT} s"
        except ValueError as exc:
            error = f"no JSON on the last line: {exc}"
        goals: dict[str, str] = {}
        gaps: dict[str, str] = {}
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            goals = dict(module.GOALS)
            gaps = dict(getattr(module, "GAPS", {}))
        except Exception as exc:  # a module that fails to import is reported, not fatal
            error = error or f"import failed: {exc}"
        seconds = round(time.monotonic() - started, 1)
        everything[name] = figures if error is None else {"error": error}
        for figure, value in figures.items():
            goal = goals.get(figure, "")
            rows.append(
                {
                    "module": name,
                    "figure": figure,
                    "value": value,
                    "goal": goal,
                    "met": goal_met(goal, value) if goal else None,
                    "command": command,
                    "seconds": seconds,
                    "gap": gaps.get(figure, ""),
                }
            )
        for figure, goal in goals.items():
            if figure not in figures:
                rows.append(
                    {
                        "module": name,
                        "figure": figure,
                        "value": error or "missing",
                        "goal": goal,
                        "met": False,
                        "command": command,
                        "seconds": seconds,
                        "gap": gaps.get(figure, ""),
                    }
                )
    write_results(rows)
    return everything


def _cell(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text.replace("|", "\\|").replace("\n", " ")


def write_results(rows: list[dict[str, Any]]) -> None:
    info = machine()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `python -m benchmarks all` on {now}.",
        f"Machine: {info['cores']} cores, {info['memory_gb']} GB memory, "
        f"Python {info['python']}, {info['platform']}.",
        "",
        "| figure | value | goal | met | command |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        lines.append(
            f"| {row['figure']} | {_cell(row['value'])} | {_cell(row['goal'])} | {met} | "
            f"`{row['command']}` |"
        )
    missed = [row for row in rows if row["met"] is False]
    if missed:
        lines += ["", "## Goals not met", ""]
        for row in missed:
            why = row.get("gap") or "no explanation recorded by the benchmark"
            lines.append(
                f"- **{row['figure']}** = {_cell(row['value'])} (goal {row['goal']}): {why}"
            )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}", file=sys.stderr)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        print("benchmarks:", ", ".join(discover()))
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name == "all":
        figures = run_all(rest)
    else:
        if name not in discover():
            print(f"no benchmark {name!r}; known: {', '.join(discover())}", file=sys.stderr)
            return 2
        figures = run_one(name, rest)
    print(json.dumps(figures, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
