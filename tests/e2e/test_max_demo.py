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


MAX_BASE = 2**53
MIXED_PAIRS = """
SELECT pm.tg_id, pe.tg_id FROM pairs p
JOIN participants m ON m.id = p.mentor_id JOIN persons pm ON pm.id = m.person_id
JOIN pair_members x ON x.pair_id = p.id
JOIN participants e ON e.id = x.mentee_id JOIN persons pe ON pe.id = e.person_id
WHERE p.programme_id = ? AND (pm.tg_id >= ?) != (pe.tg_id >= ?)
"""


@pytest.fixture(scope="module")
def both_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("both-demo") / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(
            ["--messenger", "both", "--mentees", "8", "--mentors", "3", "--fast", "--seed", "7",
             "--output", str(out)]
        )  # fmt: skip
    assert code == 0
    return out


def test_both_messengers_one_database_mixed_pairs_served_in_each(both_demo: Path) -> None:
    db = both_demo / "demo.db"
    figures = json.loads((both_demo / "report.json").read_text(encoding="utf-8"))
    pid = figures["programme_id"]
    in_max = _count(db, "SELECT count(*) FROM persons WHERE tg_id >= ?", MAX_BASE)
    in_telegram = _count(db, "SELECT count(*) FROM persons WHERE tg_id < ?", MAX_BASE)
    assert in_max >= 4 and in_telegram >= 4
    # The report counts the participants of both messengers.
    participants = _count(db, "SELECT count(*) FROM participants WHERE programme_id = ?", pid)
    assert sum(sum(v.values()) for v in figures["by_role_status"].values()) == participants
    with sqlite3.connect(db) as conn:
        mixed = conn.execute(MIXED_PAIRS, (pid, MAX_BASE, MAX_BASE)).fetchall()
    assert mixed, "no pair across the two messengers"
    # Both sides of a pair across messengers got the introduction and the feedback form.
    for mentor, mentee in mixed:
        for chat in (mentor, mentee):
            for kind in ("intro", "feedback"):
                sent = _count(
                    db,
                    "SELECT count(*) FROM outbox WHERE chat_id = ? AND kind = ? AND status = ?",
                    chat,
                    kind,
                    "sent",
                )
                assert sent >= 1, (chat, kind)


def test_every_message_in_max_reads_as_russian_and_a_child_reads_as_a_child(
    max_demo: tuple[Path, str],
) -> None:
    """The checks of the Telegram demo (tests/support/reading.py) on what MAX users read:
    no bracket endings, no codes, groups called groups, «ты» to a child under 14."""
    from tests.support.reading import adult_words_to_children, max_bot_messages, unreadable

    out, _ = max_demo
    chats = max_bot_messages((out / "transcript.txt").read_text(encoding="utf-8"))
    programme = json.loads((out / "report.json").read_text(encoding="utf-8"))["programme_id"]
    with sqlite3.connect(out / "demo.db") as conn:
        children = {  # in the demo's programme: the second school's people never write
            name
            for (name,) in conn.execute(
                "SELECT display_name FROM participants "
                "WHERE is_minor AND age < 14 AND programme_id = ?",
                (programme,),
            )
        }
        groups = {
            name
            for (name,) in conn.execute(
                "SELECT pa.display_name FROM pairs p JOIN participants pa ON pa.id = p.mentor_id "
                "WHERE (SELECT count(*) FROM pair_members m WHERE m.pair_id = p.id) > 1 "
                "UNION SELECT pa.display_name FROM pair_members m "
                "JOIN participants pa ON pa.id = m.mentee_id "
                "WHERE (SELECT count(*) FROM pair_members o WHERE o.pair_id = m.pair_id) > 1"
            )
        }
    assert sum(map(len, chats.values())) > 200 and children and groups & set(chats)
    assert sum(len(chats.get(c, [])) for c in children) > 50
    found = unreadable(chats, groups) + adult_words_to_children(chats, children)
    assert not found, "\n".join(found[:30])
