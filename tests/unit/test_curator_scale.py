"""The curator's work at scale, in the services: search, bulk marks and decisions, who
has not answered, the digest — and every one of them refused to someone else's curator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.infra.clock import TestClock
from bot.services import digest
from bot.services.access import AccessDenied
from bot.services.community import group_meeting
from bot.services.enrolment import registry
from bot.services.feedback import silent
from storage.db import Database
from storage.models import (
    CuratorNews,
    FeedbackRequest,
    FeedbackRound,
    GroupMeeting,
    OutboxMessage,
    Person,
)
from tests.support.curator import make_world
from tests.support.factories import make_pair, make_participant


@pytest.fixture
def clock_start() -> datetime:
    # 20 August 2026, 11:00 in Irkutsk (the programmes' zone): daytime.
    return datetime(2026, 8, 20, 3, 0, tzinfo=UTC)


def test_a_search_finds_names_and_classes() -> None:
    from storage.models import Participant

    anna = Participant(display_name="Анна Смирнова", grade=8)
    boris = Participant(display_name="Борис Орлов", grade=10)
    terms = group_meeting.search_terms
    assert group_meeting.matches(anna, terms("смирнова"))
    assert not group_meeting.matches(boris, terms("смирнова"))
    assert group_meeting.matches(anna, terms("8б"))  # the class, with its letter
    assert group_meeting.matches(anna, terms("8 класс"))
    assert not group_meeting.matches(boris, terms("8"))
    several = terms("Смирнова,\nОрлов")
    assert several == ["смирнова", "орлов"]
    assert group_meeting.matches(anna, several) and group_meeting.matches(boris, several)


async def test_untick_everyone_found_and_save(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=6)
        meeting = GroupMeeting(programme_id=world.programme.id, starts_at=clock.now(), place="Зал")
        s.add(meeting)
        await s.flush()
        changed = await group_meeting.mark_found(
            s, world.curator, meeting.id, "Ученик А, Ученик Б", attended=False
        )
        assert changed == 2
        await group_meeting.finish_attendance(s, world.curator, meeting.id)
        came = await group_meeting.attended_ids(s, meeting.id)
        assert came == {p.id for p in world.mentors + world.mentees[2:]}

        other = await make_world(s, organisation="МБОУ «Гимназия № 2»")
        with pytest.raises(AccessDenied):
            await group_meeting.mark_found(s, other.curator, meeting.id, "", attended=False)


async def test_bulk_approval_checks_every_mentor_for_the_presser(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=3, mentees=0, approved=False)
        other = await make_world(s, mentors=1, mentees=0, approved=False, organisation="Другая")
        ids = [m.id for m in world.mentors]
        # a forged selection with someone else's mentor is refused as a whole
        with pytest.raises(AccessDenied):
            await registry.approve_many(s, world.curator, [*ids, other.mentors[0].id])
        assert await registry.approve_many(s, world.curator, ids) == 3
        assert await registry.approve_many(s, world.curator, ids) == 0  # already approved
        assert await registry.train_many(s, world.curator, ids) == 3
        assert {(m.registry_status, m.trained) for m in world.mentors} == {("approved", True)}
        told = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.idempotency_key.like("registry:%:approved:%"))
        )
        assert told == 3
        assert other.mentors[0].registry_status == "candidate"


async def test_the_silent_ones_are_reminded_once_a_day(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=2)
        pairs = [
            await make_pair(s, world.programme, mentor, [mentee])
            for mentor, mentee in zip(world.mentors, world.mentees, strict=True)
        ]
        fb_round = FeedbackRound(programme_id=world.programme.id, number=1, period=1)
        s.add(fb_round)
        await s.flush()
        for pair, mentor, mentee in zip(pairs, world.mentors, world.mentees, strict=True):
            s.add(FeedbackRequest(round_id=fb_round.id, pair_id=pair.id, participant_id=mentor.id))
            s.add(
                FeedbackRequest(
                    round_id=fb_round.id,
                    pair_id=pair.id,
                    participant_id=mentee.id,
                    answered_at=clock.now(),
                )
            )
        await s.flush()
        found = await silent.silent_in_round(s, world.curator, fb_round.id)
        assert (found.asked, {p.participant_id for p in found.people}) == (
            4,
            {m.id for m in world.mentors},
        )
        first = await silent.remind_silent(s, world.curator, silent.FEEDBACK, fb_round.id)
        again = await silent.remind_silent(s, world.curator, silent.FEEDBACK, fb_round.id)
        assert (first.queued, again.queued) == (2, 0)
        other = await make_world(s, organisation="Другая")
        with pytest.raises(AccessDenied):
            await silent.remind_silent(s, other.curator, silent.FEEDBACK, fb_round.id)


async def test_the_digest_once_a_day_at_the_chosen_hour(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        world = await make_world(s, mentors=0, mentees=0)
        children = [
            await make_participant(s, world.programme, "mentee", name=f"Ребёнок {n}")
            for n in range(5)
        ]
        for child in children:
            await digest.add_news(
                s, world.programme, f"parent-yes:{child.id}", "digest-line-parent-agreed", child.id
            )
        await digest.add_news(s, world.programme, f"parent-yes:{children[0].id}", "x", None)
        assert await s.scalar(select(func.count()).select_from(CuratorNews)) == 5  # once each
        await digest.set_digest_hour(s, world.curator, 12)
        assert await digest.send_due_digests(s) == 0  # 11:00 local: not yet
        clock.set(datetime(2026, 8, 20, 4, 0, tzinfo=UTC))  # 12:00 local
        assert await digest.send_due_digests(s) == 1
        assert await digest.send_due_digests(s) == 0
        await digest.add_news(s, world.programme, "later", "digest-line-parent-agreed", None)
        assert await digest.send_due_digests(s) == 0  # the day's digest went out
        clock.set(datetime(2026, 8, 21, 4, 0, tzinfo=UTC))
        assert await digest.send_due_digests(s) == 1
        sent = list(
            await s.scalars(
                select(OutboxMessage.payload).where(
                    OutboxMessage.idempotency_key.like("news-digest:%")
                )
            )
        )
        assert "Родитель дал согласие (5)" in sent[0]["text"]
        other = await make_world(s, organisation="Другая")
        with pytest.raises(AccessDenied):
            await digest.digest_now(s, other.curator, world.programme.id)
        child_person = await s.get(Person, children[0].person_id)
        assert child_person is not None
        with pytest.raises(AccessDenied):
            await digest.set_digest_hour(s, child_person, 10)  # only staff have a digest


async def test_alerts_of_one_pair_come_as_one_message(db: Database, clock: TestClock) -> None:
    from bot.services.feedback import alerts

    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=2)
        weak = await make_pair(s, world.programme, world.mentors[0], [world.mentees[0]])
        other = await make_pair(s, world.programme, world.mentors[1], [world.mentees[1]])
        pid = world.programme.id
        await alerts.raise_alert(s, pid, "low_score", pair_id=weak.id, details="comfort")
        await alerts.raise_alert(s, pid, "no_meeting", pair_id=weak.id, details="2026-08-01")
        await alerts.raise_alert(s, pid, "help_wanted", pair_id=weak.id)
        await alerts.raise_alert(s, pid, "no_meeting", pair_id=other.id, details="2026-08-01")
        assert await alerts.dispatch_alerts(s) == 2  # one for each pair
        texts = [
            m.payload["text"]
            for m in await s.scalars(
                select(OutboxMessage).where(OutboxMessage.person_id == world.curator.id)
            )
        ]
        assert len(texts) == 2
        grouped = next(x for x in texts if "Наставник А" in x)
        assert "Наставник Б" not in grouped
        assert grouped.count("Наставник А") == 3  # three alerts, one message


async def test_the_picker_tells_who_is_who_without_typed_text_or_contacts(
    db: Database, clock: TestClock
) -> None:
    from bot.services.matching import preference_round
    from storage.models import FormAnswer, FormSession

    async with db.session() as s:
        world = await make_world(s, mentors=1, mentees=1)
        mentor, mentee = world.mentors[0], world.mentees[0]
        mentor.category = "student"
        form = FormSession(participant_id=mentor.id, form="mentor_profile", status="completed")
        s.add(form)
        await s.flush()
        s.add_all(
            [
                FormAnswer(
                    session_id=form.id,
                    question_id="competencies",
                    value=["career", "project", "Секретный кружок у меня дома"],
                ),
                FormAnswer(session_id=form.id, question_id="contacts", value="+7 900 000-00-00"),
            ]
        )
        await s.flush()
        round_, _sent = await preference_round.open_round(s, world.curator, world.programme.id)
        chooser = await s.get(Person, mentee.person_id)
        assert chooser is not None
        view = await preference_round.picker(s, chooser, round_.id, mentee.id)
        about = view.about[mentor.id]
        # the class, the category and the competencies by their labels (locales/ru/vocabulary.ftl)
        assert about == "11 класс · обучающийся · поможет: выбор профессии, проектная работа"
        assert "Секретный" not in about and "900" not in about


async def test_mentees_without_a_pair_assigned_in_one_pass(db: Database, clock: TestClock) -> None:
    from bot.services.matching import review as pairs
    from bot.services.privacy import audit
    from storage.models import Pair

    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=3)
        a, b = world.mentors
        # The last matching run left all three without a pair, with suggestions:
        # А has one place, Б has one place; the third mentee's only suggestion is А.
        await audit.record(
            s,
            programme_id=world.programme.id,
            actor_id=world.curator.id,
            action="matching_run",
            unmatched=[
                {"mentee": world.mentees[0].id, "suggestions": [a.id, b.id]},
                {"mentee": world.mentees[1].id, "suggestions": [a.id, b.id]},
                {"mentee": world.mentees[2].id, "suggestions": [a.id]},
            ],
        )
        done = await pairs.assign_suggested(s, world.curator, world.programme.id)
        assert (done.assigned, done.left) == (2, 1)
        placed = {(p.mentor_id, p.status) for p in await s.scalars(select(Pair).order_by(Pair.id))}
        assert placed == {(a.id, "proposed"), (b.id, "proposed")}
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        other = await make_world(s, organisation="Другая")
        with pytest.raises(AccessDenied):
            await pairs.assign_suggested(s, other.curator, world.programme.id)


async def test_the_silent_ones_of_the_final_survey(db: Database, clock: TestClock) -> None:
    from bot.services.completion.finish import FINAL_FORM, final_context
    from bot.services.pairwork.cycle import WrongState
    from storage.models import FormSession

    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=2)
        for mentor, mentee in zip(world.mentors, world.mentees, strict=True):
            await make_pair(s, world.programme, mentor, [mentee])
        with pytest.raises(WrongState):  # not finishing yet: there is no final survey
            await silent.silent_in_final(s, world.curator, world.programme.id)
        world.programme.status = "finishing"
        s.add(
            FormSession(
                participant_id=world.mentees[0].id,
                form=FINAL_FORM,
                context=final_context(world.programme.id),
                status="completed",
            )
        )
        await s.flush()
        found = await silent.silent_in_final(s, world.curator, world.programme.id)
        assert found.asked == 4
        assert {p.participant_id for p in found.people} == {
            world.mentors[0].id,
            world.mentors[1].id,
            world.mentees[1].id,
        }
        done = await silent.remind_silent(s, world.curator, silent.FINAL, world.programme.id)
        assert done.queued == 3
        texts = [
            m.payload["text"]
            for m in await s.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.idempotency_key.like("silent-remind:final:%")
                )
            )
        ]
        assert len(texts) == 3 and all("итоговой анкете" in x for x in texts)


async def test_a_girl_in_the_choice_list_is_a_schoolgirl(db: Database) -> None:
    """docs/texts.md: a mentee's category agrees with the name («Алиса — школьница»)."""
    from bot.services.matching import preference_round

    async with db.session() as s:
        world = await make_world(s, mentors=1, mentees=2)
        alice, ivan = world.mentees
        alice.display_name, alice.category, alice.grade = "Алиса Лебедева", "school_student", 8
        ivan.display_name, ivan.category, ivan.grade = "Иван Новиков", "school_student", 6
        await s.flush()
        assert await preference_round.about(s, alice, "ru") == "8 класс · школьница"
        assert await preference_round.about(s, ivan, "ru") == "6 класс · школьник"
