"""`python -m bot demo` with small numbers: the printed report matches the database it used."""

from __future__ import annotations

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
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "out"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            ["--mentees", "8", "--mentors", "3", "--fast", "--seed", "7", "--output", str(out)]
        )
    assert code == 0
    return out, buffer.getvalue()


def test_report_figures_match_the_database(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    db = out / "demo.db"
    figures = json.loads((out / "report.json").read_text(encoding="utf-8"))
    pid = figures["programme_id"]

    mentees = _count(
        db, "SELECT count(*) FROM participants WHERE programme_id=? AND role='mentee'", pid
    )
    mentors = _count(
        db, "SELECT count(*) FROM participants WHERE programme_id=? AND role='mentor'", pid
    )
    assert (mentees, mentors) == (8, 3)
    by_role = {role: sum(v.values()) for role, v in figures["by_role_status"].items()}
    assert by_role.get("mentee") == mentees and by_role.get("mentor") == mentors

    pairs = _count(
        db, "SELECT count(*) FROM pairs WHERE programme_id=? AND confirmed_at IS NOT NULL", pid
    )
    assert pairs > 0 and figures["pairs_confirmed"] == pairs

    for role, (part, base) in figures["consent"].items():
        consented = _count(
            db,
            "SELECT count(DISTINCT c.participant_id) FROM consents c "
            "JOIN participants p ON p.id = c.participant_id "
            "WHERE p.programme_id=? AND p.role=? AND c.kind='self' AND c.decision='agreed'",
            pid,
            role,
        )
        assert part == consented, role
        assert base == (mentees if role == "mentee" else mentors)
        # The same figures are in the printed report.
        assert f"{part} из {base}" in printed

    # Minors came with a parent's consent.
    minors = _count(db, "SELECT count(*) FROM participants WHERE programme_id=? AND is_minor", pid)
    parents = _count(db, "SELECT count(*) FROM consents WHERE kind='parent' AND decision='agreed'")
    assert minors > 0 and parents == minors

    assert re.search(rf"Работают: {pairs} пар", printed)


def test_output_files(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    assert "Куратор" in transcript and "Отчёт по программе" in transcript
    xlsx = list(out.glob("*.xlsx"))
    assert len(xlsx) == 1
    book = openpyxl.load_workbook(xlsx[0], read_only=True)
    assert len(book.sheetnames) > 1
    pngs = list(out.glob("*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Отчёт по программе" in printed
