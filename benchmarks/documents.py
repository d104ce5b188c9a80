"""/documents on a programme of 300 pairs: every Word document of the programme (the order,
the registry of mentors, the 300 pairs' programmes in one file, the final report with its
chart, the registry of consents) and the municipal report, from a temporary SQLite file
filled with core bulk inserts (600 participants with profiles and consents, a plan, six
meetings and five feedback rounds per pair, final surveys).

Figures: `documents_300_pairs_seconds` (all six documents, as the curator and the
coordinator get them from the service), the time of each, and — for comparison, with no
goal — `pair_files_300_seconds`, the 300 pairs' programmes written as 300 separate files
(what a school gets when each one is sent to its mentor).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import participant_rows

GOALS: dict[str, str] = {
    "documents_300_pairs_seconds": "< 10",
}

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
PAIRS = 300
ROUNDS = 5
MEETINGS_PER_PAIR = 6
CURATOR_ID = 10_001
COORDINATOR_ID = 10_002


def _fill(path: Path) -> int:
    """Create the schema and bulk-insert the programme; returns the programme id."""
    from sqlalchemy import create_engine, insert

    from storage.models import (
        Base,
        Consent,
        FeedbackAnswer,
        FeedbackRequest,
        FeedbackRound,
        FormAnswer,
        FormSession,
        Meeting,
        Organisation,
        Pair,
        PairMember,
        Participant,
        Person,
        Programme,
        ProgrammeCurator,
        StaffMember,
    )

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    start = NOW - timedelta(days=120)
    with engine.begin() as conn:
        conn.execute(
            insert(Organisation),
            [{"id": 1, "name": "МБОУ «Лицей № 1»", "students_total": 800, "created_at": start}],
        )
        conn.execute(
            insert(Programme),
            [
                {
                    "id": 1,
                    "organisation_id": 1,
                    "name": "Наставничество 2026/27",
                    "forms": ["student_student"],
                    "timezone": "Asia/Irkutsk",
                    "young_teachers_total": 60,
                    "starts_on": (start + timedelta(days=1)).date(),
                    "ends_on": (NOW + timedelta(days=180)).date(),
                    "created_at": start,
                }
            ],
        )
        persons, participants = participant_rows(
            2 * PAIRS, mentors=PAIRS, programme_id=1, created_at=start, first_id=1
        )
        persons += [
            {"id": CURATOR_ID, "tg_id": 9_000_001, "full_name": "Куратор", "created_at": start},
            {"id": COORDINATOR_ID, "tg_id": 9_000_002, "full_name": "Коорд.", "created_at": start},
        ]
        conn.execute(insert(Person), persons)
        conn.execute(insert(Participant), participants)
        conn.execute(
            insert(StaffMember),
            [
                {"person_id": CURATOR_ID, "role": "curator", "organisation_id": 1},
                {"person_id": COORDINATOR_ID, "role": "coordinator", "organisation_id": None},
            ],
        )
        conn.execute(insert(ProgrammeCurator), [{"programme_id": 1, "person_id": CURATOR_ID}])
        conn.execute(
            insert(Pair),
            [
                {
                    "id": p,
                    "programme_id": 1,
                    "mentor_id": p,
                    "status": "confirmed",
                    "format": "online",
                    "mentoring_form": "student_student",
                    "created_at": start,
                    "confirmed_at": start + timedelta(days=10),
                }
                for p in range(1, PAIRS + 1)
            ],
        )
        conn.execute(
            insert(PairMember),
            [{"pair_id": p, "mentee_id": PAIRS + p} for p in range(1, PAIRS + 1)],
        )
        conn.execute(
            insert(Meeting),
            [
                {
                    "pair_id": p,
                    "starts_at": NOW - timedelta(days=100 - 16 * k),
                    "status": "held" if k < 4 else "scheduled",
                    "topic": f"Встреча {k + 1}",
                    "format": "online",
                    "created_at": start,
                }
                for p in range(1, PAIRS + 1)
                for k in range(MEETINGS_PER_PAIR)
            ],
        )
        conn.execute(
            insert(Consent),
            [
                {
                    "participant_id": i,
                    "kind": kind,
                    "decision": "agreed",
                    "text_version": "1",
                    "decided_at": start + timedelta(hours=i),
                    "parent_name": f"Родитель {i}" if kind == "parent" else None,
                    "parent_relation": "mother" if kind == "parent" else None,
                }
                for i in range(1, 2 * PAIRS + 1)
                for kind in (("self",) if i <= PAIRS else ("self", "parent"))
            ],
        )
        conn.execute(
            insert(FeedbackRound),
            [
                {"id": r, "programme_id": 1, "number": r, "started_at": start + timedelta(14 * r)}
                for r in range(1, ROUNDS + 1)
            ],
        )
        requests: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        for r in range(1, ROUNDS + 1):
            sent = start + timedelta(days=14 * r)
            for p in range(1, PAIRS + 1):
                for member in (p, PAIRS + p):
                    request_id = len(requests) + 1
                    requests.append(
                        {
                            "id": request_id,
                            "round_id": r,
                            "pair_id": p,
                            "participant_id": member,
                            "sent_at": sent,
                            "answered_at": sent + timedelta(hours=3),
                        }
                    )
                    answers.append(
                        {
                            "request_id": request_id,
                            "pair_id": p,
                            "participant_id": member,
                            "round_number": r,
                            "meeting_happened": True,
                            "usefulness": 1 + (member + r) % 5,
                            "comfort": 1 + (member * 3 + r) % 5,
                            "progress": 1 + (member * 7 + r) % 5,
                            "answered_at": sent + timedelta(hours=3),
                        }
                    )
        conn.execute(insert(FeedbackRequest), requests)
        conn.execute(insert(FeedbackAnswer), answers)
        sessions: list[dict[str, Any]] = []
        form_answers: list[dict[str, Any]] = []

        def form(participant: int, name: str, context: str, values: dict[str, Any]) -> None:
            session_id = len(sessions) + 1
            sessions.append(
                {
                    "id": session_id,
                    "participant_id": participant,
                    "form": name,
                    "context": context,
                    "status": "completed",
                    "started_at": start,
                    "completed_at": start + timedelta(days=2),
                }
            )
            form_answers.extend(
                {"session_id": session_id, "question_id": q, "value": v, "answered_at": start}
                for q, v in values.items()
            )

        for p in range(1, PAIRS + 1):
            form(
                p,
                "mentor_profile",
                "",
                {
                    "full_name": f"Наставник {p}",
                    "workplace": "МБОУ «Лицей № 1»",
                    "position": "учитель",
                    "competencies": ["career", "digital"],
                },
            )
            form(
                p,
                "pair_plan",
                f"pair:{p}",
                {
                    "goals": "Подтянуть математику до четвёрки",
                    "tasks": "Еженедельные занятия, разбор контрольных",
                    "format": "online",
                    "frequency": "weekly",
                },
            )
            if p % 3 == 0:
                form(p, "final_survey", "", {"expectations": 8, "usefulness": 9})
                form(PAIRS + p, "final_survey", "", {"expectations": 9, "comfort": 10})
        conn.execute(insert(FormSession), sessions)
        conn.execute(insert(FormAnswer), form_answers)
    engine.dispose()
    return 1


async def _measure(path: Path, programme_id: int) -> dict[str, Any]:
    from bot.services.reporting import documents as svc
    from bot.services.reporting.docx_render import left_over_tags
    from storage.db import Database
    from storage.models import Person

    db = Database(f"sqlite+aiosqlite:///{path}")
    figures: dict[str, Any] = {}
    try:
        async with db.read() as session:  # warm the imports, the connection and matplotlib
            curator = await session.get(Person, CURATOR_ID)
            assert curator is not None
            await svc.programme_document(session, curator, "order", programme_id, NOW)
        sizes: dict[str, int] = {}
        started = time.perf_counter()
        cpu_started = time.process_time()
        async with db.read() as session:
            curator = await session.get(Person, CURATOR_ID)
            coordinator = await session.get(Person, COORDINATOR_ID)
            assert curator is not None and coordinator is not None
            for kind in svc.PROGRAMME_KINDS:
                one = time.perf_counter()
                document = await svc.programme_document(session, curator, kind, programme_id, NOW)
                figures[f"documents_{kind}_seconds"] = round(time.perf_counter() - one, 2)
                sizes[kind] = len(document.content)
                assert not left_over_tags(document.content)
            one = time.perf_counter()
            municipal = await svc.municipal_document(session, coordinator, NOW)
            figures["documents_municipal_seconds"] = round(time.perf_counter() - one, 2)
            sizes["municipal"] = len(municipal.content)
        figures = {
            "documents_300_pairs_seconds": round(time.perf_counter() - started, 2),
            "documents_300_pairs_cpu_seconds": round(time.process_time() - cpu_started, 2),
            **figures,
            "documents_total_kb": round(sum(sizes.values()) / 1024),
        }
        started = time.perf_counter()
        cpu_started = time.process_time()
        async with db.read() as session:
            curator = await session.get(Person, CURATOR_ID)
            assert curator is not None
            for pair_id in range(1, PAIRS + 1):
                await svc.pair_document(session, curator, pair_id, NOW)
        figures["pair_files_300_seconds"] = round(time.perf_counter() - started, 2)
        figures["pair_files_300_cpu_seconds"] = round(time.process_time() - cpu_started, 2)
        figures["documents_pairs"] = PAIRS
        figures["documents_load_average_1m"] = round(os.getloadavg()[0], 1)
        return figures
    finally:
        await db.dispose()


def main(argv: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        path = Path(folder) / "documents.db"
        started = time.perf_counter()
        programme_id = _fill(path)
        fill_seconds = time.perf_counter() - started
        figures = asyncio.run(_measure(path, programme_id))
        figures["documents_fill_seconds"] = round(fill_seconds, 1)
        return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
