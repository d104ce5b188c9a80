"""`python -m bot demo --messenger max`: the whole programme cycle — every curator
command from /program to /finish, /report's chart and /export's workbook as files —
served in MAX through the MAX emulator, with no request refused by MAX's schema."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.demo import main


def _count(db: Path, sql: str, *args: Any) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


@pytest.fixture(scope="module")
def max_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("max-demo") / "out"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            ["--messenger", "max", "--mentees", "8", "--mentors", "3", "--fast", "--seed", "7",
             "--output", str(out)]
        )  # fmt: skip
    assert code == 0
    return out, buffer.getvalue()


def test_the_cycle_in_max_with_no_request_refused(max_demo: tuple[Path, str]) -> None:
    out, printed = max_demo
    found = re.search(r"Запросов к MAX: (\d+), отклонено схемой MAX: (\d+)", printed)
    assert found is not None and int(found.group(1)) > 500 and found.group(2) == "0"
    db = out / "demo.db"
    # Everybody is a MAX person: every id is in MAX's range, none in Telegram's.
    assert _count(db, "SELECT count(*) FROM persons WHERE tg_id < ?", 2**53) == 0
    assert _count(db, "SELECT count(*) FROM persons") >= 8 + 3 + 1
    figures = json.loads((out / "report.json").read_text(encoding="utf-8"))
    pid = figures["programme_id"]
    pairs = _count(db, "SELECT count(*) FROM pairs WHERE programme_id = ?", pid)
    assert pairs > 0 and figures["pairs_confirmed"] == pairs
    assert _count(db, "SELECT count(*) FROM programmes WHERE status = 'finished'") == 1


def test_report_chart_and_export_arrived_as_files(max_demo: tuple[Path, str]) -> None:
    out, printed = max_demo
    assert "Отчёт по программе" in printed
    (xlsx,) = list(out.glob("*.xlsx"))
    assert len(openpyxl.load_workbook(xlsx, read_only=True).sheetnames) > 1
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_links_handed_out_are_max_links(max_demo: tuple[Path, str]) -> None:
    out, _ = max_demo
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    assert re.search(r"https://max\.ru/\w+\?start=\S+", transcript)
    assert "https://t.me/" not in transcript
