"""Completion of a programme (stage 7): the final survey, the next cycle's mentors, the
«Наставник года» vote, thanks to mentors, and the programme marked finished («Лучшая
пара» is the curator's choice, in `best_pair`).

Two curator steps, each confirmed: `start_completion` (ACTIVE → FINISHING, everything is
sent) and `finish_programme` (→ FINISHED, pairs ended, thanks sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify
from bot.services.access import require_programme
from bot.services.forms import on_complete
from bot.services.pairwork.cases import open_case_count
from bot.services.pairwork.cycle import PairView, WrongState, button, load_pair, markup
from bot.services.reporting.reports import NamedPair, best_pair_of
from bot.texts import esc, t
from storage.models import (
    AuditRecord,
    FormSession,
    FormStatus,
    NominationVote,
    Pair,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
    Role,
)

FINAL_FORM = "final_survey"
MENTOR_OF_YEAR = "mentor_of_year"
VOTE_BUTTONS_MAX = 40


def final_context(programme_id: int) -> str:
    return f"programme:{programme_id}"


@dataclass(frozen=True)
class VoteResult:
    nominee_id: int
    name: str
    votes: int


@dataclass(frozen=True)
class CompletionStatus:
    programme_id: int
    programme_name: str
    status: str
    pairs: int
    participants: int
    surveys_done: int
    mentors: int
    voters: int
    want_to_mentor: int
    results: list[VoteResult]
    best_pair: NamedPair | None = None
    open_cases: int = 0  # calls for help and concerns still waiting for the curator

    @property
    def survey_rate(self) -> int:
        return round(100 * self.surveys_done / self.participants) if self.participants else 0


async def _pairs(session: AsyncSession, programme_id: int) -> list[PairView]:
    ids = (
        await session.scalars(
            select(Pair.id)
            .where(Pair.programme_id == programme_id, Pair.status == PairStatus.CONFIRMED)
            .order_by(Pair.id)
        )
    ).all()
    views = [await load_pair(session, pid) for pid in ids]
    return [v for v in views if v is not None]


async def vote_results(session: AsyncSession, programme_id: int) -> list[VoteResult]:
    rows = (
        await session.execute(
            select(NominationVote.nominee_id, func.count(NominationVote.id))
            .where(
                NominationVote.programme_id == programme_id,
                NominationVote.nomination == MENTOR_OF_YEAR,
            )
            .group_by(NominationVote.nominee_id)
        )
    ).all()
    results = []
    for nominee_id, votes in rows:
        participant = await session.get(Participant, nominee_id)
        results.append(
            VoteResult(
                nominee_id, (participant.display_name if participant else None) or "—", votes
            )
        )
    return sorted(results, key=lambda r: (-r.votes, r.name))


async def completion_status(
    session: AsyncSession, actor: Person, programme_id: int
) -> CompletionStatus:
    programme = await require_programme(session, actor.id, programme_id)
    views = await _pairs(session, programme_id)
    members = {m.participant.id for v in views for m in v.reachable()}
    mentors = {v.mentor.participant.id for v in views}
    surveys = await session.scalar(
        select(func.count(FormSession.id)).where(
            FormSession.form == FINAL_FORM,
            FormSession.context == final_context(programme_id),
            FormSession.status == FormStatus.COMPLETED,
        )
    )
    voters = await session.scalar(
        select(func.count(NominationVote.id)).where(
            NominationVote.programme_id == programme_id,
            NominationVote.nomination == MENTOR_OF_YEAR,
        )
    )
    wants = await session.scalar(
        select(func.count(Participant.id)).where(
            Participant.programme_id == programme_id,
            Participant.role == Role.MENTEE,
            Participant.wants_to_mentor.is_(True),
        )
    )
    return CompletionStatus(
        programme_id=programme.id,
        programme_name=programme.name,
        status=programme.status,
        pairs=len(views),
        participants=len(members),
        surveys_done=int(surveys or 0),
        mentors=len(mentors),
        voters=int(voters or 0),
        want_to_mentor=int(wants or 0),
        results=await vote_results(session, programme_id),
        best_pair=await best_pair_of(session, programme_id),
        open_cases=await open_case_count(session, programme_id),
    )


async def start_completion(
    session: AsyncSession, actor: Person, programme_id: int
) -> CompletionStatus:
    """Send the final survey, the next-cycle question and the vote; FINISHING."""
    programme = await require_programme(session, actor.id, programme_id)
    if programme.status not in (ProgrammeStatus.ACTIVE, ProgrammeStatus.DRAFT):
        raise WrongState(programme.status)
    programme.status = ProgrammeStatus.FINISHING
    views = await _pairs(session, programme_id)
    mentors = [v.mentor for v in views if v.mentor in v.reachable()]
    seen: set[int] = set()
    for view in views:
        for member in view.reachable():
            person = member.person
            assert person is not None
            if member.participant.id in seen:
                continue
            seen.add(member.participant.id)
            locale = member.locale
            await notify(
                session,
                person=person,
                key=f"final:{programme_id}:{member.participant.id}",
                text=t("pairs-final-ask", locale, programme=esc(programme.name)),
                programme=programme,
                reply_markup=markup(
                    [button(t("pairs-btn-fill", locale), "fin", member.participant.id)]
                ),
                kind="final-survey",
                by_curator=True,
            )
            if member.participant.role == Role.MENTEE:
                await notify(
                    session,
                    person=person,
                    key=f"next-cycle:{member.participant.id}",
                    text=t("pairs-next-cycle-ask", locale),
                    programme=programme,
                    reply_markup=markup(
                        [
                            button(t("pairs-btn-yes", locale), "wm", member.participant.id, "1"),
                            button(t("pairs-btn-no", locale), "wm", member.participant.id, "0"),
                        ]
                    ),
                    kind="final-survey",
                    by_curator=True,
                )
            else:
                # Next year's base: a mentor says whether they will mentor again.
                await notify(
                    session,
                    person=person,
                    key=f"continue:{member.participant.id}",
                    text=t("pairs-mentor-continue-ask", locale),
                    programme=programme,
                    reply_markup=markup(
                        [
                            button(t("pairs-btn-yes", locale), "wm", member.participant.id, "1"),
                            button(t("pairs-btn-no", locale), "wm", member.participant.id, "0"),
                        ]
                    ),
                    kind="final-survey",
                    by_curator=True,
                )
                others = [m for m in mentors if m.participant.id != member.participant.id][
                    :VOTE_BUTTONS_MAX
                ]
                if not others:
                    continue
                await notify(
                    session,
                    person=person,
                    key=f"vote:{programme_id}:{member.participant.id}",
                    text=t("pairs-vote-ask", locale),
                    programme=programme,
                    reply_markup=markup(
                        *[
                            [
                                button(
                                    m.name[:60],
                                    "vote",
                                    member.participant.id,
                                    str(m.participant.id),
                                )
                            ]
                            for m in others
                        ]
                    ),
                    kind="final-survey",
                    by_curator=True,
                )
    session.add(
        AuditRecord(
            programme_id=programme_id,
            actor_person_id=actor.id,
            action="completion_start",
            details={"pairs": len(views), "participants": len(seen)},
        )
    )
    await session.flush()
    return await completion_status(session, actor, programme_id)


async def final_survey_target(
    session: AsyncSession, person_id: int, participant_id: int
) -> Participant:
    """The participant behind a final-survey button, if it is the person's own."""
    participant = await session.get(Participant, participant_id)
    if participant is None or participant.person_id != person_id:
        raise WrongState("foreign")
    if participant.status != ParticipantStatus.ACTIVE:
        raise WrongState("withdrawn")
    programme = await session.get(Programme, participant.programme_id)
    if programme is None or programme.status != ProgrammeStatus.FINISHING:
        raise WrongState("not-finishing")
    return participant


async def record_final_survey(
    session: AsyncSession, participant_id: int, answers: dict[str, Any]
) -> None:
    """A mentee's final survey may carry the next-cycle answer too."""
    value = answers.get("wants_to_mentor")
    participant = await session.get(Participant, participant_id)
    if participant is not None and participant.role == Role.MENTEE and value is not None:
        yes = value in (True, "yes", "1", 1)
        participant.wants_to_mentor = yes
        participant.in_long_term_base = yes
        await session.flush()


@on_complete(FINAL_FORM)
async def _final_form_done(session: AsyncSession, fs: Any, answers: dict[str, Any]) -> None:
    await record_final_survey(session, fs.participant_id, answers)


async def answer_next_cycle(
    session: AsyncSession, person_id: int, participant_id: int, *, yes: bool
) -> Participant:
    """A mentee answers whether they want to become a mentor in the next cycle; a mentor,
    whether they will mentor again (both then join the long-term mentor base)."""
    participant = await final_survey_target(session, person_id, participant_id)
    if participant.role == Role.MENTOR:
        participant.in_long_term_base = yes
        await session.flush()
        return participant
    if participant.role != Role.MENTEE:
        raise WrongState("role")
    participant.wants_to_mentor = yes
    participant.in_long_term_base = yes
    await session.flush()
    return participant


async def cast_vote(
    session: AsyncSession, person_id: int, voter_id: int, nominee_id: int
) -> VoteResult:
    """A mentor votes for another mentor of the programme («Наставник года»); a new vote
    replaces the old one."""
    voter = await final_survey_target(session, person_id, voter_id)
    nominee = await session.get(Participant, nominee_id)
    if (
        voter.role != Role.MENTOR
        or nominee is None
        or nominee.id == voter.id
        or nominee.role != Role.MENTOR
        or nominee.programme_id != voter.programme_id
    ):
        raise WrongState("nominee")
    in_pair = await session.scalar(
        select(Pair.id).where(Pair.mentor_id == nominee.id, Pair.status == PairStatus.CONFIRMED)
    )
    if in_pair is None:
        raise WrongState("nominee")
    vote = await session.scalar(
        select(NominationVote).where(
            NominationVote.voter_id == voter.id, NominationVote.nomination == MENTOR_OF_YEAR
        )
    )
    if vote is None:
        vote = NominationVote(
            programme_id=voter.programme_id,
            voter_id=voter.id,
            nominee_id=nominee.id,
            nomination=MENTOR_OF_YEAR,
        )
        session.add(vote)
    else:
        vote.nominee_id = nominee.id
    await session.flush()
    return VoteResult(nominee.id, nominee.display_name or "—", 1)


def mentor_of_year_choice(results: list[VoteResult]) -> int | None:
    """The mentor with the most votes; nobody while two share the first place (the
    curator then decides outside the bot, the votes are in the report)."""
    if not results or (len(results) > 1 and results[1].votes == results[0].votes):
        return None
    return results[0].nominee_id


async def _name_mentor_of_year(
    session: AsyncSession, programme: Programme, results: list[VoteResult]
) -> int | None:
    """Store «Наставник года» with the programme and congratulate them (via the outbox)."""
    nominee_id = mentor_of_year_choice(results)
    nominee = await session.get(Participant, nominee_id) if nominee_id is not None else None
    if nominee is None or nominee.status != ParticipantStatus.ACTIVE:
        return None
    programme.mentor_of_year_id = nominee.id
    programme.mentor_of_year_at = now()
    person = await session.get(Person, nominee.person_id)
    if person is not None:
        await notify(
            session,
            person=person,
            key=f"mentor-of-year:{programme.id}",
            text=t("pairs-mentor-of-year", person.locale, programme=esc(programme.name)),
            programme=programme,
            kind="thanks",
            by_curator=True,
        )
    return nominee.id


async def finish_programme(
    session: AsyncSession, actor: Person, programme_id: int
) -> CompletionStatus:
    """Mark the programme finished, end its pairs and thank every mentor."""
    programme = await require_programme(session, actor.id, programme_id)
    if programme.status == ProgrammeStatus.FINISHED:
        raise WrongState(programme.status)
    status = await completion_status(session, actor, programme_id)
    views = await _pairs(session, programme_id)
    moment = now()
    thanked: set[int] = set()
    # A mentor thanked for the care of «наставляемых» had more than one: a group or pairs.
    mentees_of: dict[int, int] = {}
    for view in views:
        mentees_of[view.mentor.participant.id] = mentees_of.get(
            view.mentor.participant.id, 0
        ) + len(view.mentees)
    for view in views:
        mentor = view.mentor
        if mentor in view.reachable() and mentor.participant.id not in thanked:
            assert mentor.person is not None
            thanked.add(mentor.participant.id)
            await notify(
                session,
                person=mentor.person,
                key=f"thanks:{programme_id}:{mentor.participant.id}",
                text=t(
                    "pairs-thanks-mentor",
                    mentor.locale,
                    programme=esc(programme.name),
                    shape="group" if mentees_of[mentor.participant.id] > 1 else "pair",
                ),
                programme=programme,
                kind="thanks",
                by_curator=True,
            )
        view.pair.status = PairStatus.ENDED
        view.pair.ended_at = moment
        view.pair.next_feedback_at = None
    programme.status = ProgrammeStatus.FINISHED
    programme.finished_at = moment
    winner = await _name_mentor_of_year(session, programme, status.results)
    session.add(
        AuditRecord(
            programme_id=programme_id,
            actor_person_id=actor.id,
            action="programme_finish",
            details={
                "pairs": len(views),
                "mentors_thanked": len(thanked),
                "mentor_of_year": winner,
            },
        )
    )
    await session.flush()
    return CompletionStatus(
        **{**status.__dict__, "status": ProgrammeStatus.FINISHED},
    )
