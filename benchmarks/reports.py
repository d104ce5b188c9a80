"""/report and /export on a large programme: 10,000 participants, 5,000 pairs,
100,000 feedback answers (plus profiles, meetings, final surveys, audit) in a temporary
SQLite file filled with core bulk inserts.

Figures: `report_10k_seconds` (compute_report + the text), `export_10k_seconds` (the whole
workbook written to disk), `export_peak_mb` (peak growth of the process's resident memory
during the export, sampled every 20 ms by psutil in a thread). The CPU time of the
export and the load average are printed too: on a shared machine the wall time says
more about the neighbours than about the export.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import participant_rows

GOALS: dict[str, str] = {
    "report_10k_seconds": "< 2",
    "export_10k_seconds": "< 10",
    "export_peak_mb": "< 150",
}

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
PAIRS = 5_000
ROUNDS = 10
MEETINGS_PER_PAIR = 4


def _fill(path: Path) -> int:
    """Create the schema and bulk-insert the programme; returns the programme id."""
    from sqlalchemy import create_engine, insert

    from storage.models import (
        AuditRecord,
        Base,
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
    )

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    start = NOW - timedelta(days=200)
    with engine.begin() as conn:
        conn.execute(
            insert(Organisation),
            [{"id": 1, "name": "МБОУ «Лицей № 1»", "students_total": 12_000, "created_at": start}],
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
                    "young_teachers_total": 400,
                    "created_at": start,
                }
            ],
        )
        n = 2 * PAIRS
        persons, participants = participant_rows(
            n, mentors=PAIRS, programme_id=1, created_at=start, first_id=1
        )
        conn.execute(insert(Person), persons)
        conn.execute(insert(Participant), participants)
        conn.execute(
            insert(Pair),
            [
                {
                    "id": p,
                    "programme_id": 1,
                    "mentor_id": p,
                    "status": "confirmed",
                    "format": "online",
                    "explanation": "общие интересы: IT",
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
                    "starts_at": NOW - timedelta(days=3 + 9 * k + p % 5),
                    "status": "held",
                    "topic": "Встреча",
                    "format": "online",
                    "created_at": start,
                }
                for p in range(1, PAIRS + 1)
                for k in range(MEETINGS_PER_PAIR)
            ],
        )
        conn.execute(
            insert(FeedbackRound),
            [
                {
                    "id": r,
                    "programme_id": 1,
                    "number": r,
                    "started_at": start + timedelta(days=14 * r),
                }
                for r in range(1, ROUNDS + 1)
            ],
        )
        requests: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        request_id = 0
        for r in range(1, ROUNDS + 1):
            sent = start + timedelta(days=14 * r)
            for p in range(1, PAIRS + 1):
                for member in (p, PAIRS + p):
                    request_id += 1
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
                            "wants_help": (member + r) % 97 == 0,
                            "answered_at": sent + timedelta(hours=3),
                        }
                    )
        conn.execute(insert(FeedbackRequest), requests)
        conn.execute(insert(FeedbackAnswer), answers)
        del requests, answers
        sessions: list[dict[str, Any]] = []
        form_answers: list[dict[str, Any]] = []
        session_id = 0
        for i in range(1, n + 1):
            mentor = i <= PAIRS
            forms = [("mentor_profile" if mentor else "mentee_profile")]
            if i % 3 == 0:
                forms.append("final_survey")
            for form in forms:
                session_id += 1
                sessions.append(
                    {
                        "id": session_id,
                        "participant_id": i,
                        "form": form,
                        "context": "",
                        "status": "completed",
                        "started_at": start,
                        "completed_at": start + timedelta(days=2),
                    }
                )
                if form == "final_survey":
                    values: dict[str, Any] = {"expectations": 8, "valuable": "Поддержка"}
                elif mentor:
                    values = {
                        "full_name": f"Наставник {i}",
                        "workplace": "МБОУ «Лицей № 1»",
                        "position": "учитель",
                        "competencies": ["career", "digital"],
                        "interests": ["it", "sport"],
                        "preferred_age": "14_17",
                        "time_per_month": 6,
                        "contacts": f"@mentor{i}",
                    }
                else:
                    values = {
                        "full_name": f"Наставляемый {i}",
                        "requests": ["grades", "career"],
                        "interests": ["math"],
                        "goals": "Подтянуть математику",
                        "class_group": "8А",
                    }
                for qid, value in values.items():
                    form_answers.append(
                        {
                            "session_id": session_id,
                            "question_id": qid,
                            "value": value,
                            "answered_at": start,
                        }
                    )
        conn.execute(insert(FormSession), sessions)
        conn.execute(insert(FormAnswer), form_answers)
        conn.execute(
            insert(AuditRecord),
            [
                {
                    "programme_id": 1,
                    "actor_person_id": 1,
                    "action": "pair_confirmed",
                    "details": {"pair_id": k},
                    "created_at": start + timedelta(minutes=k),
                }
                for k in range(1, 1001)
            ],
        )
    engine.dispose()
    return 1


class _RssSampler:
    """Peak resident memory of this process while the block runs, in a thread."""

    def __init__(self, every: float = 0.02) -> None:
        import psutil

        self.process = psutil.Process()
        self.every = every
        self.baseline = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.every)

    def __enter__(self) -> _RssSampler:
        self.baseline = self.peak = self.process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / 2**20


async def _measure(path: Path, programme_id: int) -> dict[str, Any]:
    import xlsxwriter  # noqa: F401  (imported before the memory baseline)

    from bot.services.reporting.export import build_export
    from bot.services.reporting.reports import compute_report, render_report
    from storage.db import Database

    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.read() as session:  # warm the connection and the imports
            await compute_report(session, programme_id, NOW)
        started = time.perf_counter()
        async with db.read() as session:
            report = await compute_report(session, programme_id, NOW)
            messages = render_report(report, "ru")
        report_seconds = time.perf_counter() - started

        out = path.with_suffix(".xlsx")
        with _RssSampler() as sampler:
            started = time.perf_counter()
            cpu_started = time.process_time()
            async with db.read() as session:
                result = await build_export(session, [programme_id], out, now=NOW)
            export_seconds = time.perf_counter() - started
            export_cpu = time.process_time() - cpu_started
        return {
            "report_10k_seconds": round(report_seconds, 3),
            "export_10k_seconds": round(export_seconds, 2),
            "export_peak_mb": round(sampler.growth_mb, 1),
            "export_10k_cpu_seconds": round(export_cpu, 2),
            "export_peak_method": "psutil RSS growth over the baseline, sampled every 20 ms",
            "load_average_1m": round(os.getloadavg()[0], 1),
            "export_file_mb": round(out.stat().st_size / 2**20, 1),
            "export_rows": sum(result.rows.values()),
            "report_messages": len(messages),
            "participants": sum(
                sum(by_status.values()) for by_status in report.by_role_status.values()
            ),
            "pairs": report.pairs_confirmed,
            "feedback_answers": sum(r.answered for r in report.rounds),
        }
    finally:
        await db.dispose()


def main(argv: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        path = Path(folder) / "reports.db"
        started = time.perf_counter()
        programme_id = _fill(path)
        fill_seconds = time.perf_counter() - started
        figures = asyncio.run(_measure(path, programme_id))
        figures["fill_seconds"] = round(fill_seconds, 1)
        return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
