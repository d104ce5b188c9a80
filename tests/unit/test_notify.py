"""The reminder policy: quiet hours in the programme's zone, one reminder a local day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.infra import clock as clock_module
from bot.infra.clock import TestClock
from bot.infra.notify import in_quiet_hours, notify, report_unreachable
from storage.db import Database
from storage.models import Alert, OutboxMessage, ReminderLog
from tests.support import delivery as support
from tests.support.factories import (
    make_co_curator,
    make_curator,
    make_participant,
    make_person,
    make_programme,
)

service_clock = support.service_clock

ZONES = [
    "Europe/Kaliningrad",
    "Asia/Yekaterinburg",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Kamchatka",
]


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


async def rows(db: Database) -> list[OutboxMessage]:
    async with db.read() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_quiet_hours_move_a_message_to_the_morning_in_the_programmes_zone(
    db: Database, service_clock: TestClock
) -> None:
    for zone in ZONES:
        service_clock.set(local(zone, 2026, 10, 5, 22, 30))
        async with db.session() as session:
            programme = await make_programme(session, timezone=zone)
            person = await make_person(session)
            for key, urgent in ((f"{zone}:late", False), (f"{zone}:urgent", True)):
                assert await notify(
                    session, person=person, key=key, text="x", programme=programme, urgent=urgent
                )
        service_clock.set(local(zone, 2026, 10, 5, 12, 0))
        async with db.session() as session:
            await notify(session, person=person, key=f"{zone}:day", text="x", programme=programme)
    by_key = {row.idempotency_key: row.not_before for row in await rows(db)}
    for zone in ZONES:
        assert by_key[f"{zone}:late"] == local(zone, 2026, 10, 6, 9, 0)
        assert by_key[f"{zone}:urgent"] == local(zone, 2026, 10, 5, 22, 30)
        assert by_key[f"{zone}:day"] == local(zone, 2026, 10, 5, 12, 0)


async def test_the_same_utc_moment_is_night_in_kamchatka_and_evening_in_kaliningrad(
    db: Database, service_clock: TestClock
) -> None:
    moment = datetime(2026, 10, 1, 16, 30, tzinfo=UTC)  # 04:30 in Kamchatka, 18:30 in Kaliningrad
    service_clock.set(moment)
    async with db.session() as session:
        far = await make_programme(session, timezone="Asia/Kamchatka")
        near = await make_programme(session, timezone="Europe/Kaliningrad")
        person = await make_person(session)
        await notify(session, person=person, key="far", text="x", programme=far, reminder=True)
        other = await make_person(session)
        await notify(session, person=other, key="near", text="x", programme=near, reminder=True)
    by_key = {row.idempotency_key: row for row in await rows(db)}
    assert by_key["far"].not_before == local("Asia/Kamchatka", 2026, 10, 2, 9, 0)
    assert by_key["near"].not_before == moment


EDGES: list[tuple[tuple[time, time], tuple[int, int], tuple[int, int, int] | None]] = [
    # across midnight, 21:00–09:00
    ((time(21), time(9)), (0, 0), (0, 9, 0)),
    ((time(21), time(9)), (8, 59), (0, 9, 0)),
    ((time(21), time(9)), (9, 0), None),
    ((time(21), time(9)), (20, 59), None),
    ((time(21), time(9)), (21, 0), (1, 9, 0)),
    ((time(21), time(9)), (23, 59), (1, 9, 0)),
    # ends exactly at midnight
    ((time(22), time(0)), (23, 30), (1, 0, 0)),
    ((time(22), time(0)), (0, 0), None),
    # a window that does not cross midnight (a school's afternoon rest)
    ((time(13), time(15)), (12, 59), None),
    ((time(13), time(15)), (13, 0), (0, 15, 0)),
    ((time(13), time(15)), (14, 30), (0, 15, 0)),
    ((time(13), time(15)), (15, 0), None),
    ((time(13), time(15)), (23, 0), None),
    # equal ends: no quiet hours at all
    ((time(9), time(9)), (3, 0), None),
]


async def test_quiet_window_edges(db: Database, service_clock: TestClock) -> None:
    zone = "Asia/Krasnoyarsk"
    async with db.session() as session:
        person = await make_person(session)
    for n, (quiet, at, expected) in enumerate(EDGES):
        service_clock.set(local(zone, 2026, 11, 10, *at))
        async with db.session() as session:
            programme = await make_programme(
                session, timezone=zone, quiet_start=quiet[0], quiet_end=quiet[1]
            )
            await notify(session, person=person, key=f"k{n}", text="x", programme=programme)
        row = (await rows(db))[-1]
        if expected is None:
            assert row.not_before == service_clock.now(), (quiet, at)
        else:
            days, hour, minute = expected
            assert row.not_before == local(zone, 2026, 11, 10 + days, hour, minute), (quiet, at)
        assert not in_quiet_hours(row.not_before.astimezone(ZoneInfo(zone)), *quiet)


async def test_one_reminder_a_day_the_next_ones_move_to_the_next_free_mornings(
    db: Database, service_clock: TestClock
) -> None:
    zone = "Asia/Yekaterinburg"
    service_clock.set(local(zone, 2026, 10, 5, 10, 0))
    async with db.session() as session:
        programme = await make_programme(session, timezone=zone)
        person = await make_person(session)
        for n in range(3):
            assert await notify(
                session, person=person, key=f"r{n}", text="x", programme=programme, reminder=True
            )
        # not a reminder (e.g. a pair introduction): not counted, not moved
        await notify(session, person=person, key="intro", text="x", programme=programme)
    by_key = {row.idempotency_key: row.not_before for row in await rows(db)}
    assert by_key["r0"] == service_clock.now()
    assert by_key["r1"] == local(zone, 2026, 10, 6, 9, 0)
    assert by_key["r2"] == local(zone, 2026, 10, 7, 9, 0)
    assert by_key["intro"] == service_clock.now()


async def test_a_night_reminder_takes_tomorrows_place(
    db: Database, service_clock: TestClock
) -> None:
    zone = "Asia/Irkutsk"
    service_clock.set(local(zone, 2026, 10, 5, 23, 0))
    async with db.session() as session:
        programme = await make_programme(session, timezone=zone)
        person = await make_person(session)
        await notify(session, person=person, key="a", text="x", programme=programme, reminder=True)
    service_clock.set(local(zone, 2026, 10, 6, 12, 0))
    async with db.session() as session:
        await notify(session, person=person, key="b", text="x", programme=programme, reminder=True)
    by_key = {row.idempotency_key: row.not_before for row in await rows(db)}
    assert by_key["a"] == local(zone, 2026, 10, 6, 9, 0)
    assert by_key["b"] == local(zone, 2026, 10, 7, 9, 0)


async def test_reminders_off_but_forms_sent_by_the_curator_still_arrive(
    db: Database, service_clock: TestClock
) -> None:
    service_clock.set(local("Asia/Irkutsk", 2026, 10, 5, 12, 0))
    async with db.session() as session:
        programme = await make_programme(session)
        person = await make_person(session, reminders_enabled=False)
        assert not await notify(
            session, person=person, key="auto", text="x", programme=programme, reminder=True
        )
        assert await notify(
            session,
            person=person,
            key="hand",
            text="x",
            programme=programme,
            reminder=True,
            by_curator=True,
        )
        assert await session.scalar(select(func.count()).select_from(ReminderLog)) == 0
    assert [row.idempotency_key for row in await rows(db)] == ["hand"]


async def test_the_same_key_twice_queues_once_and_books_no_second_day(
    db: Database, service_clock: TestClock
) -> None:
    service_clock.set(local("Asia/Irkutsk", 2026, 10, 5, 12, 0))
    async with db.session() as session:
        programme = await make_programme(session)
        person = await make_person(session)
        assert await notify(
            session, person=person, key="same", text="x", programme=programme, reminder=True
        )
        assert not await notify(
            session, person=person, key="same", text="x", programme=programme, reminder=True
        )
        assert await session.scalar(select(func.count()).select_from(ReminderLog)) == 1
        assert await notify(
            session, person=person, key="next", text="x", programme=programme, reminder=True
        )
    by_key = {row.idempotency_key: row.not_before for row in await rows(db)}
    assert by_key["next"] == local("Asia/Irkutsk", 2026, 10, 6, 9, 0)


async def test_a_reminder_is_dropped_rather_than_doubled_when_every_day_is_taken(
    db: Database, service_clock: TestClock
) -> None:
    service_clock.set(local("Asia/Irkutsk", 2026, 10, 5, 12, 0))
    async with db.session() as session:
        programme = await make_programme(session)
        person = await make_person(session)
        for n in range(14):
            assert await notify(
                session, person=person, key=f"r{n}", text="x", programme=programme, reminder=True
            )
        assert not await notify(
            session, person=person, key="late", text="x", programme=programme, reminder=True
        )
    assert len(await rows(db)) == 14


async def test_unreachable_participant_is_reported_once_to_every_curator(
    db: Database, service_clock: TestClock
) -> None:
    service_clock.set(local("Asia/Irkutsk", 2026, 10, 5, 23, 30))  # quiet hours: urgent anyway
    async with db.session() as session:
        programme = await make_programme(session, name="Программа <2026>")
        curator = await make_curator(session, programme)
        co = await make_co_curator(session, programme)
        co.locale = "en"
        person = await make_person(session, name="Иванов Иван Иванович", username="ivan_i")
        await make_participant(session, programme, "mentee", person=person, name="Ваня <И.>")
        assert await report_unreachable(session, person.id, programme.id)
        assert not await report_unreachable(session, person.id, programme.id)
        alerts = (await session.scalars(select(Alert))).all()
    assert [(a.kind, a.programme_id) for a in alerts] == [("unreachable", programme.id)]
    sent = await rows(db)
    assert sorted(row.chat_id for row in sent) == sorted([curator.tg_id, co.tg_id])
    for row in sent:
        text = row.payload["text"]
        assert row.urgent and row.not_before == service_clock.now()
        assert row.idempotency_key.startswith(f"unreachable:{person.id}:{programme.id}:")
        assert "Ваня &lt;И.&gt;" in text and "Программа &lt;2026&gt;" in text
        assert "Иванов" not in text and "ivan_i" not in text and str(person.tg_id) not in text
    english = next(row for row in sent if row.chat_id == co.tg_id)
    assert "no longer reach" in english.payload["text"]


async def test_a_person_who_is_no_participant_is_not_reported(
    db: Database, service_clock: TestClock
) -> None:
    async with db.session() as session:
        programme = await make_programme(session)
        await make_curator(session, programme)
        stranger = await make_person(session)
        assert not await report_unreachable(session, stranger.id, programme.id)
    assert await rows(db) == []


def test_quiet_hours_predicate_at_the_edges() -> None:
    zone = ZoneInfo("Asia/Kamchatka")
    night = (time(21), time(9))
    assert in_quiet_hours(datetime(2026, 1, 1, 0, 0, tzinfo=zone), *night)
    assert not in_quiet_hours(datetime(2026, 1, 1, 9, 0, tzinfo=zone), *night)
    assert in_quiet_hours(datetime(2026, 1, 1, 21, 0, tzinfo=zone), *night)
    assert not in_quiet_hours(datetime(2026, 1, 1, 20, 59, 59, 999_999, tzinfo=zone), *night)
    assert in_quiet_hours(datetime(2026, 1, 1, 8, 59, 59, 999_999, tzinfo=zone), *night)


quiet_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))
events = st.lists(
    st.tuples(
        st.integers(0, 2),  # which person (each in their own programme)
        st.integers(0, 60 * 24 * 4),  # minutes after the start
        st.sampled_from(["reminder", "plain", "urgent", "by_curator"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=3, max_size=3),
    windows=st.lists(st.tuples(quiet_times, quiet_times), min_size=3, max_size=3),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    plan=events,
)
async def test_property_never_in_quiet_hours_and_never_two_reminders_a_local_day(
    db: Database,
    zones: list[str],
    windows: list[tuple[time, time]],
    start: datetime,
    plan: list[tuple[int, int, str]],
) -> None:
    clock = TestClock(start)
    previous = clock_module.get_clock()
    clock_module.set_clock(clock)
    try:
        async with db.session() as session:
            programmes = [
                await make_programme(session, timezone=zone, quiet_start=qs, quiet_end=qe)
                for zone, (qs, qe) in zip(zones, windows, strict=True)
            ]
            people = [await make_person(session) for _ in programmes]
        asked: dict[str, tuple[datetime, int, str]] = {}
        for n, (who, minutes, how) in enumerate(sorted(plan, key=lambda e: e[1])):
            clock.set(start + timedelta(minutes=minutes))
            key = f"{people[who].id}:{n}"
            async with db.session() as session:
                queued = await notify(
                    session,
                    person=people[who],
                    key=key,
                    text="x",
                    programme=programmes[who],
                    kind=how,
                    urgent=how == "urgent",
                    reminder=how in ("reminder", "by_curator"),
                    by_curator=how == "by_curator",
                )
            if queued:
                asked[key] = (clock.now(), who, how)
            else:
                assert how == "reminder"  # only a reminder with no free day is dropped
        async with db.read() as session:
            queued_rows = (
                await session.scalars(
                    select(OutboxMessage).where(OutboxMessage.idempotency_key.in_(list(asked)))
                )
            ).all()
        assert len(queued_rows) == len(asked)
        reminder_days: dict[int, list[str]] = {}
        for row in queued_rows:
            moment, who, how = asked[row.idempotency_key]
            zone = ZoneInfo(zones[who])
            assert row.not_before >= moment
            if how == "urgent":
                assert row.not_before == moment
                continue
            assert not in_quiet_hours(row.not_before.astimezone(zone), *windows[who])
            assert row.not_before - moment < timedelta(days=15)
            if how == "reminder":
                day = row.not_before.astimezone(zone).date().isoformat()
                reminder_days.setdefault(who, []).append(day)
        for days in reminder_days.values():
            assert len(days) == len(set(days))
    finally:
        clock_module.set_clock(previous)
