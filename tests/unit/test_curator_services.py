"""The curator console's services: programmes, links, registries, meeting, round, pairs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.community import group_meeting
from bot.services.enrolment import registry
from bot.services.matching import preference_round
from bot.services.matching import review as pairs
from bot.services.pairwork import cycle as pair_events
from bot.services.programme import broadcast, checklist, programmes, staff
from storage.db import Database
from storage.models import (
    AuditRecord,
    CommunityChat,
    Consent,
    OutboxMessage,
    Pair,
    PairMember,
    Participant,
    Person,
    Preference,
    ProgrammeCurator,
    StaffMember,
)
from tests.support.curator import make_world
from tests.support.factories import make_participant, make_person


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return datetime(2026, 8, 20, 3, 0, tzinfo=UTC)


async def _outbox(session, prefix: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.idempotency_key.like(prefix + "%"))
    )
    return list(rows)


async def test_programme_wizard_values_and_creation(db: Database, clock: TestClock) -> None:
    assert programmes.parse_text_value("starts_on", "01.09.2026") == "2026-09-01"
    for step, raw in (("starts_on", "31.02.2026"), ("students_total", "много"), ("name", " ")):
        with pytest.raises(programmes.InvalidValue):
            programmes.parse_text_value(step, raw)
    async with db.session() as s:
        world = await make_world(s, mentors=0, mentees=0)
        draft = programmes.default_draft() | {
            "name": "Наставничество 2027",
            "organisation_id": world.programme.organisation_id,
            "forms": ["student_student", "teacher_teacher"],
            "timezone": "Asia/Novosibirsk",
            "starts_on": "2027-09-01",
            "ends_on": "2027-05-01",
            "quiet": "22-08",
            "students_total": 640,
        }
        with pytest.raises(programmes.InvalidValue):
            await programmes.create_programme(s, world.curator, draft)
        draft["ends_on"] = "2028-05-31"
        created = await programmes.create_programme(s, world.curator, draft)
        assert created.timezone == "Asia/Novosibirsk"
        assert (created.quiet_start, created.quiet_end) == (time(22), time(8))
        assert world.curator.current_programme_id == created.id
        edited = await programmes.update_programme(
            s, world.curator, created.id, {"feedback_cadence_days": 7}
        )
        assert edited.feedback_cadence_days == 7
        # A curator of another organisation can neither see nor edit it.
        other = await make_world(s, organisation="Другая школа", mentors=0, mentees=0)
        with pytest.raises(AccessDenied):
            await programmes.update_programme(s, other.curator, created.id, {"name": "x"})
        draft["organisation_id"] = world.programme.organisation_id
        with pytest.raises(AccessDenied):
            await programmes.create_programme(s, other.curator, draft)
        listing = await programmes.list_programmes(s, other.curator)
        assert [p.id for p in listing.items] == [other.programme.id]


async def test_links_regenerate_qr_and_staff_redemption(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=0, mentees=0)
        links = await programmes.invite_links(s, world.curator, world.programme.id)
        assert [link.kind for link in links] == ["mentee", "mentor", "co_curator"]
        again = await programmes.invite_links(s, world.curator, world.programme.id)
        assert [link.code for link in again] == [link.code for link in links]
        fresh = await programmes.regenerate_link(s, world.curator, world.programme.id, "mentee")
        assert fresh.code != links[0].code
        assert programmes.qr_png("https://t.me/b?start=x").startswith(b"\x89PNG")
        # the co-curator link appoints once
        helper = await make_person(s, name="Сокуратор")
        result = await staff.redeem(s, helper, links[2].code)
        assert result.ok and result.kind == "co_curator"
        assert await s.scalar(
            select(ProgrammeCurator.id).where(ProgrammeCurator.person_id == helper.id)
        )
        late = await make_person(s)
        assert (await staff.redeem(s, late, links[2].code)).problem == "used_up"
        # a participant code is not a staff code
        assert await staff.staff_invitation(s, fresh.code) is None
        # only a coordinator invites curators
        with pytest.raises(AccessDenied):
            await staff.curator_invitation(s, world.curator, world.programme.organisation_id)
        boss = await make_person(s)
        s.add(StaffMember(person_id=boss.id, role="coordinator"))
        await s.flush()
        invitation = await staff.curator_invitation(s, boss, world.programme.organisation_id)
        newcomer = await make_person(s)
        assert (await staff.redeem(s, newcomer, invitation.code)).ok
        assert await s.scalar(
            select(StaffMember.id).where(
                StaffMember.person_id == newcomer.id, StaffMember.role == "curator"
            )
        )


async def test_registry_filters_search_and_decisions(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=3, mentees=2, approved=False)
        lazy = await make_participant(
            s, world.programme, "mentee", name="Пётр Лентяев", active=False, age=14
        )
        page = await registry.list_participants(
            s, world.curator, world.programme.id, "mentee", query="пЁТР"
        )
        assert [p.id for p in page.items] == [lazy.id]
        page = await registry.list_participants(
            s, world.curator, world.programme.id, "mentee", filter_code="no_consent"
        )
        assert [p.id for p in page.items] == [lazy.id]
        small = await registry.list_participants(
            s, world.curator, world.programme.id, "mentor", per_page=2, page=1
        )
        assert small.pages == 2 and len(small.items) == 1

        first, second = world.mentors[0], world.mentors[1]
        await registry.approve_mentor(s, world.curator, first.id)
        await registry.decline_mentor(s, world.curator, second.id, "Нет опыта <b>работы</b>")
        await registry.set_trained(s, world.curator, first.id, True)
        await registry.set_capacity(s, world.curator, first.id, 3)
        assert (first.registry_status, first.trained, first.capacity) == ("approved", True, 3)
        assert second.registry_status == "declined"
        declined = await _outbox(s, f"registry:{second.id}:declined")
        assert len(declined) == 1 and "&lt;b&gt;работы" in declined[0].payload["text"]
        with pytest.raises(registry.NotAllowedNow):
            await registry.set_trained(s, world.curator, second.id, True)
        with pytest.raises(registry.NotAllowedNow):
            await registry.decline_mentor(s, world.curator, first.id, "  ")

        # a parent's paper consent completes a minor's consent
        lazy.status = "parent_pending"
        s.add(Consent(participant_id=lazy.id, kind="self", decision="agreed", text_version="1"))
        await s.flush()
        await registry.mark_paper_consent(s, world.curator, lazy.id)
        assert lazy.status == "active"
        with pytest.raises(registry.NotAllowedNow):
            await registry.mark_paper_consent(s, world.curator, lazy.id)
        assert await registry.remind_profile(s, world.curator, lazy.id) is True
        assert await registry.remind_profile(s, world.curator, lazy.id) is False  # once a day
        actions = set(
            await s.scalars(
                select(AuditRecord.action).where(AuditRecord.actor_person_id == world.curator.id)
            )
        )
        assert {"mentor_approved", "mentor_declined", "mentor_trained", "paper_consent"} <= actions

        other = await make_world(s, organisation="Другая школа", mentors=0, mentees=0)
        for call in (
            registry.approve_mentor(s, other.curator, world.mentors[2].id),
            registry.card(s, other.curator, lazy.id),
            registry.list_participants(s, other.curator, world.programme.id, "mentor"),
        ):
            with pytest.raises(AccessDenied):
                await call
        assert world.mentors[2].registry_status == "candidate"


async def test_group_meeting_reminder_in_the_morning_and_attendance(
    db: Database, clock: TestClock
) -> None:
    clock.set(datetime(2026, 9, 1, 3, 0, tzinfo=UTC))  # 11:00 in Irkutsk
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=2)
        candidate = await make_participant(s, world.programme, "mentor", name="Кандидат")
        with pytest.raises(registry.NotAllowedNow):
            await group_meeting.announce(
                s, world.curator, world.programme.id, day=date(2026, 9, 1), at=time(10), place="Зал"
            )
        result = await group_meeting.announce(
            s,
            world.curator,
            world.programme.id,
            day=date(2026, 9, 5),
            at=time(15),
            place="Актовый зал",
        )
        assert result.invited == 4  # the candidate mentor is not invited
        assert result.meeting.starts_at == datetime(2026, 9, 5, 7, 0, tzinfo=UTC)
        reminders = await _outbox(s, f"groupmeeting:{result.meeting.id}:")
        remind = [r for r in reminders if r.idempotency_key.endswith(":remind")]
        assert len(remind) == 4
        assert all(r.not_before == datetime(2026, 9, 5, 1, 0, tzinfo=UTC) for r in remind)
        assert candidate.person_id not in {r.person_id for r in reminders}

        # Everyone invited is ticked to begin with; the curator unticks who did not come.
        came = {world.mentees[0].id, world.mentors[0].id}
        page = await group_meeting.attendance(s, world.curator, result.meeting.id)
        assert (page.came, page.total) == (4, 4)
        for row in page.rows:
            if row.participant.id not in came:
                assert not await group_meeting.toggle_attendance(
                    s, world.curator, result.meeting.id, row.participant.id
                )
        with pytest.raises(registry.NotInProgramme):
            await group_meeting.toggle_attendance(s, world.curator, result.meeting.id, candidate.id)
        await group_meeting.finish_attendance(s, world.curator, result.meeting.id)
        page = await group_meeting.attendance(s, world.curator, result.meeting.id)
        assert (page.came, page.total) == (2, 4)
        people = await preference_round.audience(s, world.programme.id)
        assert {p.id for p in people} == {world.mentees[0].id, world.mentors[0].id}


async def test_preference_round_pick_rank_undo_done_close(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=4, mentees=2)
        round_, sent = await preference_round.open_round(s, world.curator, world.programme.id)
        assert sent == 6
        assert len(await _outbox(s, f"prefs:{round_.id}:")) == 6
        mentee = world.mentees[0]
        person = await s.get(Person, mentee.person_id)
        assert person is not None
        for mentor in world.mentors[:3]:
            view = await preference_round.pick(s, person, round_.id, mentee.id, mentor.id)
        assert [p.id for p in view.chosen] == [m.id for m in world.mentors[:3]]
        with pytest.raises(registry.NotAllowedNow):
            await preference_round.pick(s, person, round_.id, mentee.id, world.mentors[3].id)
        view = await preference_round.undo(s, person, round_.id, mentee.id)
        assert len(view.chosen) == 2
        with pytest.raises(registry.NotInProgramme):  # a mentee is no choice for a mentee
            await preference_round.pick(s, person, round_.id, mentee.id, world.mentees[1].id)
        view = await preference_round.pick(s, person, round_.id, mentee.id, world.mentors[3].id)
        view = await preference_round.finish(s, person, round_.id, mentee.id)
        assert view.done
        ranks = list(
            await s.execute(
                select(Preference.target_id, Preference.rank)
                .where(Preference.chooser_id == mentee.id)
                .order_by(Preference.rank)
            )
        )
        assert [tuple(r) for r in ranks] == [
            (world.mentors[0].id, 1),
            (world.mentors[1].id, 2),
            (world.mentors[3].id, 3),
        ]
        # someone else's picker, a mentee as a target of a mentee: refused
        stranger = await make_person(s)
        with pytest.raises(registry.NotInProgramme):
            await preference_round.picker(s, stranger, round_.id, mentee.id)
        progress = await preference_round.progress(s, world.curator, world.programme.id)
        assert (progress.mentees_done, progress.mentees_total) == (1, 2)
        await preference_round.close_round(s, world.curator, world.programme.id)
        with pytest.raises(registry.NotAllowedNow):
            await preference_round.undo(s, person, round_.id, mentee.id)


async def test_pairs_propose_confirm_move_assign_unpair(
    db: Database, clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed_calls: list[list[int]] = []

    async def hook(session, pair_ids):  # type: ignore[no-untyped-def]
        confirmed_calls.append(list(pair_ids))

    monkeypatch.setattr(pair_events, "on_pairs_confirmed", hook)
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=3, is_group=False)
        round_, _ = await preference_round.open_round(s, world.curator, world.programme.id)
        a, b = world.mentors
        x, y, _z = world.mentees
        s.add_all(
            [
                Preference(round_id=round_.id, chooser_id=x.id, target_id=b.id, rank=1),
                Preference(round_id=round_.id, chooser_id=b.id, target_id=x.id, rank=1),
                Preference(round_id=round_.id, chooser_id=y.id, target_id=a.id, rank=1),
            ]
        )
        await s.flush()
        summary = await pairs.propose(s, world.curator, world.programme.id)
        assert (summary.proposed, summary.unmatched) == (2, 1)
        view = await pairs.overview(s, world.curator, world.programme.id)
        by_mentor = {v.mentor.id: [m.id for m in v.mentees] for v in view.proposed}
        assert by_mentor[b.id] == [x.id]
        assert len(view.unmatched) == 1 and view.unmatched[0].reason

        lonely = view.unmatched[0].mentee
        # both mentors are full: a directive assignment is refused and changes nothing
        with pytest.raises(registry.NotAllowedNow):
            await pairs.assign(s, world.curator, world.programme.id, lonely.id, a.id)
        pair_b = next(v.pair for v in view.proposed if v.mentor.id == b.id)
        pair_a = next(v.pair for v in view.proposed if v.mentor.id == a.id)
        with pytest.raises(registry.NotAllowedNow):
            await pairs.move(s, world.curator, pair_b.id, x.id, a.id)
        assert (
            await s.scalar(
                select(func.count()).select_from(PairMember).where(PairMember.pair_id == pair_b.id)
            )
            == 1
        )

        await pairs.reject(s, world.curator, pair_a.id)
        pair = await pairs.assign(s, world.curator, world.programme.id, lonely.id, a.id)
        assert pair.directive
        done = await pairs.confirm_all(s, world.curator, world.programme.id)
        assert sorted(done) == sorted([pair.id, pair_b.id])
        assert confirmed_calls == [done]
        with pytest.raises(registry.NotAllowedNow):
            await pairs.confirm_all(s, world.curator, world.programme.id)
        ended = await pairs.unpair(s, world.curator, pair_b.id)
        assert ended.status == "ended"
        moved = await pairs.move(s, world.curator, pair.id, lonely.id, b.id)
        assert moved.status == "proposed" and moved.mentor_id == b.id
        assert (await s.get(Pair, pair.id)).status == "ended"  # type: ignore[union-attr]
        other = await make_world(s, organisation="Другая школа", mentors=0, mentees=0)
        with pytest.raises(AccessDenied):
            await pairs.confirm(s, other.curator, [moved.id])
        actions = list(await s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
        for action in (
            "matching_run",
            "pair_rejected",
            "pair_assigned",
            "pairs_confirmed",
            "pair_ended",
            "pair_moved",
        ):
            assert action in actions


async def test_checklist_figures_follow_the_data(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=1, mentees=2, approved=False)
        await make_participant(s, world.programme, "mentee", name="Без согласия", active=False)
        data = await checklist.compute_checklist(s, world.programme.id)
        items = {i.key: i for st in data.stages for i in st.items}
        consents = items["mentee-consents"]
        assert not consents.done and consents.figure_args["done"] == 2
        assert consents.figure_args["total"] == 3
        assert "2 из 3" in checklist.item_figure(consents, "ru")
        assert items["team"].done and not items["selection"].done
        assert data.current_stage == 1  # the documents are not ticked yet
        assert len(data.stages) == 7 and sum(st.total for st in data.stages) == len(checklist.ITEMS)
        await registry.approve_mentor(s, world.curator, world.mentors[0].id)
        for key in ("documents", "roadmap"):
            assert await checklist.toggle_mark(s, world.curator, world.programme.id, key)
        data = await checklist.compute_checklist(s, world.programme.id)
        items = {i.key: i for st in data.stages for i in st.items}
        assert items["selection"].done and items["documents"].done
        assert data.stages[0].complete and data.current_stage == 2
        with pytest.raises(registry.NotInProgramme):
            await checklist.toggle_mark(s, world.curator, world.programme.id, "team")
        assert not await checklist.toggle_mark(s, world.curator, world.programme.id, "documents")


async def test_broadcast_goes_through_the_outbox_and_the_mentor_chat(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=3)
        await make_participant(s, world.programme, "mentor", name="Кандидат")
        s.add(CommunityChat(programme_id=world.programme.id, chat_id=-100500))
        await s.flush()
        preview = await broadcast.preview(s, world.curator, world.programme.id, "mentors")
        assert (preview.people, preview.to_chat) == (2, True)
        count = await broadcast.send(
            s, world.curator, world.programme.id, "mentors", "Собрание <завтра>"
        )
        assert count == 2
        record = await s.scalar(select(AuditRecord).where(AuditRecord.action == "broadcast"))
        assert record is not None
        rows = await _outbox(s, f"broadcast:{record.id}:")
        assert len(rows) == 3
        chat = [r for r in rows if r.chat_id == -100500]
        assert chat[0].kind == "group" and "&lt;завтра&gt;" in chat[0].payload["text"]
        with pytest.raises(registry.NotAllowedNow):
            await broadcast.send(s, world.curator, world.programme.id, "mentees", "x" * 4000)
        with pytest.raises(registry.NotAllowedNow):
            await broadcast.preview(s, world.curator, world.programme.id, "parents")
        participants = await s.scalar(select(func.count()).select_from(Participant))
        assert participants == 6


async def test_a_curator_from_settings_is_named_as_in_telegram(db: Database) -> None:
    """Participants' introductions name the curator; one named only by id in CURATOR_IDS
    takes the name from Telegram at the first message (participants never do)."""
    from bot.services.people import TelegramUser, bootstrap_staff, person_and_staff

    async with db.session() as s:
        await bootstrap_staff(
            s, curator_ids=[901], coordinator_ids=[], default_organisation="Школа"
        )
    async with db.session() as s:
        user = TelegramUser(id=901, first_name="Ольга", last_name="Викторовна")
        person, is_staff = await person_and_staff(s, user)
        assert is_staff and person.full_name == "Ольга Викторовна"
        person.full_name = "Ольга Викторовна Соколова"  # a name set later stays
    async with db.session() as s:
        person, _ = await person_and_staff(s, TelegramUser(id=901, first_name="Оля"))
        assert person.full_name == "Ольга Викторовна Соколова"
        stranger, is_staff = await person_and_staff(s, TelegramUser(id=902, first_name="Петя"))
        assert not is_staff and stranger.full_name is None
