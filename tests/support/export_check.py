"""Read an exported workbook back and compare it with the database, row for row."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditRecord,
    FeedbackAnswer,
    Meeting,
    Pair,
    Participant,
    Person,
)

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
SHEETS = [
    "Сводка",
    "Реестр наставников",
    "База наставляемых",
    "Пары и группы",
    "Планы пар",
    "Встречи",
    "Обратная связь",
    "Обращения",
    "Итоговые анкеты",
    "Чек-лист",
    "Журнал действий",
]


def read_workbook(path: Path | bytes) -> dict[str, list[dict[str, Any]]]:
    """Every sheet as a list of {header: value} (the summary sheet as raw rows)."""
    import io

    source: Any = io.BytesIO(path) if isinstance(path, bytes) else path
    book = load_workbook(source, read_only=True)
    result: dict[str, list[dict[str, Any]]] = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = [str(h) for h in rows[0]] if rows else []
        result[ws.title] = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    book.close()
    return result


def _local(value: Any, zone: ZoneInfo) -> Any:
    return None if value is None else value.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _cell_time(value: Any) -> Any:
    return None if value is None else value.replace(microsecond=0)


async def assert_matches_database(
    session: AsyncSession, sheets: dict[str, list[dict[str, Any]]], programme_id: int, tz: str
) -> None:
    """The registries, pairs, meetings, feedback and audit equal the database's rows."""
    zone = ZoneInfo(tz)
    assert list(sheets) == SHEETS
    P = Participant
    active = (P.programme_id == programme_id, P.status == "active")

    mentors = (
        await session.scalars(select(P).where(*active, P.role == "mentor").order_by(P.id))
    ).all()
    rows = sheets["Реестр наставников"]
    assert len(rows) == len(mentors)
    for row, mentor in zip(rows, mentors, strict=True):
        # the name from the profile when given (it is longer), else the name they joined with
        assert str(row["ФИО"]).startswith(str(mentor.display_name))
        assert row["Обучение пройдено"] == ("да" if mentor.trained else "нет")
        assert _cell_time(row["Согласие получено"]) == _local(mentor.consent_completed_at, zone)

    mentees = (
        await session.scalars(select(P).where(*active, P.role == "mentee").order_by(P.id))
    ).all()
    rows = sheets["База наставляемых"]
    assert len(rows) == len(mentees)
    for row, mentee in zip(rows, mentees, strict=True):
        assert str(row["ФИО"]).startswith(str(mentee.display_name))
        assert row["Хочет стать наставником"] == ("да" if mentee.wants_to_mentor else "нет")

    pairs = (
        await session.scalars(
            select(Pair)
            .where(Pair.programme_id == programme_id, Pair.status != "rejected")
            .order_by(Pair.id)
        )
    ).all()
    rows = sheets["Пары и группы"]
    assert [r["Пара №"] for r in rows] == [p.id for p in pairs]
    for row, pair in zip(rows, pairs, strict=True):
        mentor = await session.get(P, pair.mentor_id)
        assert mentor is not None
        assert row["Наставник"] == mentor.display_name
        assert _cell_time(row["Подтверждена"]) == _local(pair.confirmed_at, zone)
        assert row["Лучшая пара"] == ("да" if pair.best_pair_at is not None else "нет")

    meetings = (
        await session.execute(
            select(Meeting.pair_id, Meeting.starts_at, Meeting.topic)
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(Pair.programme_id == programme_id)
            .order_by(Meeting.pair_id, Meeting.starts_at, Meeting.id)
        )
    ).all()
    rows = sheets["Встречи"]
    assert [(r["Пара №"], _cell_time(r["Дата и время"]), r["Тема"]) for r in rows] == [
        (pair_id, _local(at, zone), topic) for pair_id, at, topic in meetings
    ]

    FA = FeedbackAnswer
    answers = (
        await session.execute(
            select(
                FA.pair_id,
                FA.round_number,
                P.display_name,
                FA.usefulness,
                FA.comfort,
                FA.progress,
                FA.answered_at,
            )
            .join(Pair, Pair.id == FA.pair_id)
            .join(P, P.id == FA.participant_id)
            .where(Pair.programme_id == programme_id, P.status == "active")
            .order_by(FA.pair_id, FA.round_number, FA.id)
        )
    ).all()
    rows = sheets["Обратная связь"]
    assert [
        (
            r["Пара №"],
            r["Раунд"],
            r["Участник"],
            r["Польза (1–5)"],
            r["Комфорт (1–5)"],
            r["Прогресс (1–5)"],
            _cell_time(r["Дата ответа"]),
        )
        for r in rows
    ] == [(*a[:6], _local(a[6], zone)) for a in answers]

    audit = (
        await session.execute(
            select(AuditRecord.created_at, Person.full_name, AuditRecord.action)
            .outerjoin(Person, Person.id == AuditRecord.actor_person_id)
            .where(AuditRecord.programme_id == programme_id)
            .order_by(AuditRecord.created_at, AuditRecord.id)
        )
    ).all()
    rows = sheets["Журнал действий"]
    assert [(_cell_time(r["Дата"]), r["Кто"]) for r in rows] == [
        (_local(at, zone), name) for at, name, _action in audit
    ]
    # each action in words, never its code
    for row, (_at, _name, action) in zip(rows, audit, strict=True):
        assert action not in str(row["Действие"]) and CYRILLIC.search(str(row["Действие"]))


def all_text(sheets: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(f"{k}={v}" for rows in sheets.values() for row in rows for k, v in row.items())
