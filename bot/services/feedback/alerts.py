"""Alerts for the curator: a pair without meetings, a low score, an unreachable
participant (raised by delivery), told at once or in a daily digest.

A call for help, a concern or anything else a person says and expects an answer to is
not an alert but a case (`bot.services.pairwork.cases.open_case`): it keeps the person's words,
a mentee's «Встречи не было» among them (`cases.report_missed_meeting`); it
is answered through the bot and stays open until the curator closes it.

Each curator chooses (`Person.alert_mode`): "instant" — every alert as it comes (not
marked urgent: quiet hours apply, so a night alert arrives at the end of them), or
"digest" — one message a day, after the programme's quiet hours end, with the alerts
since the previous digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, programme_zone, quiet_window
from bot.services.access import (
    AccessDenied,
    is_staff,
    programme_curator_person_ids,
    require_programme,
)
from bot.services.names import name_args
from bot.services.pairwork.cycle import button, load_pair, markup
from bot.texts import esc, t
from storage.models import (
    Alert,
    AlertKind,
    AuditRecord,
    Meeting,
    MeetingStatus,
    OutboxMessage,
    Pair,
    PairStatus,
    Participant,
    Person,
    Programme,
    ProgrammeStatus,
)

NO_MEETING_DAYS = 14
ALERT_MODES = ("instant", "digest")
DIGEST_MAX_ITEMS = 30


async def raise_alert(
    session: AsyncSession,
    programme_id: int,
    kind: str,
    *,
    pair_id: int | None = None,
    participant_id: int | None = None,
    details: str | None = None,
) -> Alert | None:
    """A new alert, unless the same one is still open (then None)."""
    same = await session.scalar(
        select(Alert.id).where(
            Alert.programme_id == programme_id,
            Alert.kind == kind,
            Alert.resolved_at.is_(None),
            Alert.pair_id.is_(None) if pair_id is None else Alert.pair_id == pair_id,
            Alert.participant_id.is_(None)
            if participant_id is None
            else Alert.participant_id == participant_id,
            Alert.details.is_(None) if details is None else Alert.details == details,
        )
    )
    if same is not None:
        return None
    alert = Alert(
        programme_id=programme_id,
        kind=kind,
        pair_id=pair_id,
        participant_id=participant_id,
        details=details,
        created_at=now(),
    )
    session.add(alert)
    await session.flush()
    return alert


async def check_no_meetings(session: AsyncSession) -> list[Alert]:
    """Working pairs with no meeting for 14 days (counted from confirmation at first)."""
    moment = now()
    cutoff = moment - timedelta(days=NO_MEETING_DAYS)
    last_held = (
        select(Meeting.pair_id, func.max(Meeting.starts_at).label("last"))
        .where(Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.CONFIRMED)))
        .group_by(Meeting.pair_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(Pair, last_held.c.last)
            .join(Programme, Programme.id == Pair.programme_id)
            .join(last_held, last_held.c.pair_id == Pair.id, isouter=True)
            .where(
                Pair.status == PairStatus.CONFIRMED,
                Pair.confirmed_at.is_not(None),
                Pair.confirmed_at <= cutoff,
                Programme.status == ProgrammeStatus.ACTIVE,
                or_(Pair.no_meeting_alert_at.is_(None), Pair.no_meeting_alert_at <= cutoff),
            )
        )
    ).all()
    raised = []
    for pair, last in rows:
        last_aware = last.replace(tzinfo=UTC) if last is not None and last.tzinfo is None else last
        reference = max(d for d in (pair.confirmed_at, last_aware, pair.last_meeting_at) if d)
        if reference > cutoff:
            continue
        pair.no_meeting_alert_at = moment
        alert = await raise_alert(
            session,
            pair.programme_id,
            AlertKind.NO_MEETING,
            pair_id=pair.id,
            details=reference.date().isoformat(),
        )
        if alert is not None:
            raised.append(alert)
    await session.flush()
    return raised


# ------------------------------------------------------------------ telling the curator


@dataclass(frozen=True)
class AlertView:
    id: int
    kind: str
    pair_id: int | None
    pair_names: str | None
    participant_name: str | None
    details: str | None
    created_at: datetime
    resolved: bool


async def alert_view(session: AsyncSession, alert: Alert) -> AlertView:
    pair_names = None
    if alert.pair_id is not None:
        view = await load_pair(session, alert.pair_id)
        if view is not None:
            pair_names = f"{view.mentor.name} — {view.mentee_names}"
    participant_name = None
    if alert.participant_id is not None:
        participant = await session.get(Participant, alert.participant_id)
        if participant is not None:
            participant_name = participant.display_name
    return AlertView(
        alert.id,
        alert.kind,
        alert.pair_id,
        pair_names,
        participant_name,
        alert.details,
        alert.created_at,
        alert.resolved_at is not None,
    )


def alert_line(view: AlertView, locale: str, programme: Programme | None = None) -> str:
    when = view.created_at.astimezone(programme_zone(programme)).strftime("%d.%m %H:%M")
    details = view.details or ""
    if view.kind == AlertKind.LOW_SCORE and details:
        details = ", ".join(t(f"pairs-score-{code}", locale) for code in details.split(","))
    elif view.kind == AlertKind.NO_MEETING and len(details) == 10:
        details = ".".join(reversed(details.split("-")))  # 2026-10-05 → 05.10.2026
    return t(
        f"pairs-alert-{view.kind.replace('_', '-')}",
        locale,
        pair=esc(view.pair_names or "—"),
        **name_args("person", view.participant_name or "—"),
        details=esc(details),
        when=when,
    )


async def _curators(session: AsyncSession, programme_id: int) -> list[Person]:
    ids = await programme_curator_person_ids(session, programme_id)
    people = [await session.get(Person, pid) for pid in ids]
    return [p for p in people if p is not None]


def _group_key(alert: Alert) -> tuple[int, str]:
    """Alerts about the same pair (or the same participant) go out as one message."""
    if alert.pair_id is not None:
        return alert.programme_id, f"pair:{alert.pair_id}"
    if alert.participant_id is not None:
        return alert.programme_id, f"participant:{alert.participant_id}"
    return alert.programme_id, f"alert:{alert.id}"


async def dispatch_alerts(session: AsyncSession) -> int:
    """Tell instant-mode curators about new alerts, those of one pair in one message;
    digest-mode ones wait for the digest."""
    fresh = (
        await session.scalars(
            select(Alert).where(Alert.notified_at.is_(None)).order_by(Alert.id).limit(500)
        )
    ).all()
    groups: dict[tuple[int, str], list[Alert]] = {}
    for alert in fresh:
        alert.notified_at = now()
        if alert.resolved_at is None:
            groups.setdefault(_group_key(alert), []).append(alert)
    queued = 0
    for (programme_id, _what), alerts in groups.items():
        programme = await session.get(Programme, programme_id)
        if programme is None:
            continue
        views = [await alert_view(session, a) for a in alerts]
        for curator in await _curators(session, programme_id):
            if curator.alert_mode == "digest":
                continue
            locale = curator.locale or "ru"
            text = t("pairs-alert-title", locale, programme=esc(programme.name))
            text += "\n\n" + "\n\n".join(alert_line(v, locale, programme) for v in views)
            rows = [[button(t("pairs-btn-alerts", locale), "alist", programme.id)]]
            if len(alerts) == 1:
                rows.insert(0, [button(t("pairs-btn-resolve", locale), "aok", alerts[0].id)])
                key = f"alert:{alerts[0].id}:{curator.id}"
            else:
                key = f"alert-group:{alerts[0].id}:{curator.id}"
            if await notify(
                session,
                person=curator,
                key=key,
                text=text,
                programme=programme,
                reply_markup=markup(*rows),
                kind="alert",
            ):
                queued += 1
    await session.flush()
    return queued


async def _last_digest_at(session: AsyncSession, programme_id: int, person_id: int) -> datetime:
    last = await session.scalar(
        select(func.max(OutboxMessage.created_at)).where(
            OutboxMessage.idempotency_key.like(f"alert-digest:{programme_id}:{person_id}:%")
        )
    )
    if last is None:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return last if last.tzinfo else last.replace(tzinfo=UTC)


async def send_digests(session: AsyncSession) -> int:
    """A daily digest for digest-mode curators, once the programme's quiet hours are over."""
    moment = now()
    programme_ids = (
        await session.scalars(
            select(Alert.programme_id).where(Alert.resolved_at.is_(None)).distinct()
        )
    ).all()
    queued = 0
    for programme_id in sorted(programme_ids):
        programme = await session.get(Programme, programme_id)
        if programme is None:
            continue
        local = moment.astimezone(programme_zone(programme))
        quiet_start, quiet_end = quiet_window(programme)
        if not (quiet_end <= local.time() < quiet_start):
            continue  # the digest goes out in the programme's daytime
        for curator in await _curators(session, programme_id):
            if curator.alert_mode != "digest":
                continue
            since = await _last_digest_at(session, programme_id, curator.id)
            alerts = (
                await session.scalars(
                    select(Alert)
                    .where(
                        Alert.programme_id == programme_id,
                        Alert.resolved_at.is_(None),
                        Alert.created_at > since,
                    )
                    .order_by(Alert.id)
                )
            ).all()
            if not alerts:
                continue
            locale = curator.locale or "ru"
            lines = [
                alert_line(await alert_view(session, a), locale, programme)
                for a in alerts[:DIGEST_MAX_ITEMS]
            ]
            text = t("pairs-digest-title", locale, programme=esc(programme.name), count=len(alerts))
            text += "\n\n" + "\n\n".join(lines)
            if len(alerts) > DIGEST_MAX_ITEMS:
                text += "\n\n" + t(
                    "pairs-digest-more", locale, count=len(alerts) - DIGEST_MAX_ITEMS
                )
            if await notify(
                session,
                person=curator,
                key=f"alert-digest:{programme_id}:{curator.id}:{local.date().isoformat()}",
                text=text,
                programme=programme,
                reply_markup=markup([button(t("pairs-btn-alerts", locale), "alist", programme.id)]),
                kind="alert-digest",
            ):
                queued += 1
    await session.flush()
    return queued


# ------------------------------------------------------------------ the curator's actions


async def open_alerts(
    session: AsyncSession, actor: Person, programme_id: int, *, limit: int = 20
) -> list[AlertView]:
    await require_programme(session, actor.id, programme_id)
    rows = (
        await session.scalars(
            select(Alert)
            .where(Alert.programme_id == programme_id, Alert.resolved_at.is_(None))
            .order_by(Alert.id.desc())
            .limit(limit)
        )
    ).all()
    return [await alert_view(session, a) for a in rows]


async def resolve_alert(session: AsyncSession, actor: Person, alert_id: int) -> AlertView:
    alert = await session.get(Alert, alert_id)
    if alert is None:
        raise AccessDenied(alert_id)
    await require_programme(session, actor.id, alert.programme_id)
    if alert.resolved_at is None:
        alert.resolved_at = now()
        session.add(
            AuditRecord(
                programme_id=alert.programme_id,
                actor_person_id=actor.id,
                action="alert_resolve",
                details={"alert": alert.id, "kind": alert.kind},
            )
        )
        await session.flush()
    return await alert_view(session, alert)


async def set_alert_mode(session: AsyncSession, actor: Person, mode: str) -> str:
    if mode not in ALERT_MODES:
        raise ValueError(mode)
    if not await is_staff(session, actor.id):
        raise AccessDenied(actor.id)
    actor.alert_mode = mode
    session.add(
        AuditRecord(
            programme_id=actor.current_programme_id,
            actor_person_id=actor.id,
            action="alert_mode",
            details={"mode": mode},
        )
    )
    await session.flush()
    return mode
