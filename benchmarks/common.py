"""Helpers shared by benchmark modules: machine description, goals, child processes."""

from __future__ import annotations

import asyncio
import os
import platform
import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
_GOAL_RE = re.compile(r"^\s*(>=|<=|==|>|<)\s*(-?[\d.]+)\s*$")


def machine() -> dict[str, Any]:
    cores = os.cpu_count() or 0
    memory_gb: float | None = None
    try:
        import psutil

        memory_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # pragma: no cover
        pass
    return {
        "cores": cores,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def goal_met(goal: str, value: Any) -> bool | None:
    """Whether `value` meets a goal like ">= 2000"; None if it cannot be judged."""
    match = _GOAL_RE.match(goal)
    if match is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    op, target = match.group(1), float(match.group(2))
    return {
        ">=": value >= target,
        "<=": value <= target,
        "==": value == target,
        ">": value > target,
        "<": value < target,
    }[op]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, timeout: float = 30.0, proc: subprocess.Popen[Any] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout:g}s")


def start_emulator(
    port: int | None = None, *, rate_limits: bool = False, users: int = 0
) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start `python -m emulator` in its own process; returns (process, url, token)."""
    from emulator import DEFAULT_TOKEN

    port = port or free_port()
    cmd = [sys.executable, "-m", "emulator", "--port", str(port), "--users", str(users)]
    if not rate_limits:
        cmd.append("--no-rate-limits")
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    wait_for_port(port, proc=proc)
    return proc, f"http://127.0.0.1:{port}", DEFAULT_TOKEN


def stop_process(proc: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def participant_rows(
    n: int, *, mentors: int, programme_id: int, created_at: datetime, first_id: int = 1
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of `n` people and their participations for a bulk insert: the first `mentors`
    are mentors, the rest mentees; ids from `first_id` (the same for both tables)."""
    persons: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    for k in range(n):
        i = first_id + k
        mentor = k < mentors
        persons.append(
            {
                "id": i,
                "tg_id": 5_000_000 + i,
                "full_name": f"Участник {i}",
                "created_at": created_at,
            }
        )
        participants.append(
            {
                "id": i,
                "programme_id": programme_id,
                "person_id": i,
                "role": "mentor" if mentor else "mentee",
                "status": "active" if i % 50 else "consent_pending",
                "display_name": f"Участник Номер {i}",
                "age": 35 if mentor else 14,
                "category": "teacher"
                if mentor
                else ("young_teacher" if i % 10 == 0 else "school_student"),
                "profile_complete": i % 7 != 0,
                "registry_status": "approved" if mentor else "candidate",
                "trained": mentor and i % 3 == 0,
                "wants_to_mentor": not mentor and i % 9 == 0,
                "created_at": created_at,
                "consent_completed_at": created_at + timedelta(days=1),
            }
        )
    return persons, participants
