"""Pairs and groups: proposals from the matching, the curator's review and confirmation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.services.access import require_programme
from bot.services.enrolment.registry import NotAllowedNow, NotInProgramme, profile_answers
from bot.services.matching import (
    MatchingInstance,
    MenteeInput,
    MenteeProfile,
    MentorInput,
    MentorProfile,
    run_matching,
)
from bot.services.matching.engine import pair_form, placement_violations
from bot.services.matching.preference_round import latest_round, round_preferences
from bot.services.pairwork import cycle as pair_events
from bot.services.privacy import audit
from bot.services.vocabulary import MENTORING_FORMS
from storage.models import (
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    RegistryStatus,
    Role,
)

LIVE = (PairStatus.PROPOSED, PairStatus.CONFIRMED)
PAGE_SIZE = 5


def _codes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


def _first(answers: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in answers and answers[name] not in (None, "", []):
            return answers[name]
    return None


def mentee_profile(participant: Participant, answers: dict[str, Any]) -> MenteeProfile:
    fmt = _first(answers, "format")
    return MenteeProfile(
        requests=_codes(_first(answers, "requests", "request")),
        interests=_codes(_first(answers, "interests", "subjects", "hobbies")),
        age=participant.age,
        grade=participant.grade,
        format=fmt if isinstance(fmt, str) else None,
        times=_codes(_first(answers, "times", "time")),
        category=participant.category,
    )


def mentor_profile(participant: Participant, answers: dict[str, Any]) -> MentorProfile:
    fmt = _first(answers, "format")
    return MentorProfile(
        competencies=_codes(_first(answers, "competencies", "competency", "requests")),
        interests=_codes(_first(answers, "interests", "hobbies")),
        preferred_ages=_codes(_first(answers, "mentee_ages", "preferred_ages", "preferred_age")),
        grade=participant.grade,
        format=fmt if isinstance(fmt, str) else None,
        times=_codes(_first(answers, "times", "time")),
        category=participant.category,
    )


def programme_forms(programme: Programme) -> list[str]:
    """The programme's forms of mentoring as codes (unknown entries are left out)."""
    return [code for code in programme.forms or [] if code in MENTORING_FORMS]


class PlacementNeedsConfirmation(Exception):
    """A curator's placement breaks who-may-be-grouped rules; `rules` are their codes
    (`match-constraint-*` texts). Repeat the call with `confirmed=True` to go ahead."""

    def __init__(self, rules: list[str]) -> None:
        super().__init__(", ".join(rules))
        self.rules = rules


async def _live_load(session: AsyncSession, programme_id: int) -> dict[int, int]:
    """mentor participant id → mentees in proposed or confirmed pairs."""
    rows = await session.execute(
        select(Pair.mentor_id, PairMember.mentee_id)
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(Pair.programme_id == programme_id, Pair.status.in_(LIVE))
    )
    load: dict[int, int] = {}
    for mentor_id, _mentee in rows:
        load[int(mentor_id)] = load.get(int(mentor_id), 0) + 1
    return load


async def paired_mentee_ids(
    session: AsyncSession, programme_id: int, statuses: Iterable[str] = LIVE
) -> set[int]:
    rows = await session.scalars(
        select(PairMember.mentee_id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(Pair.programme_id == programme_id, Pair.status.in_(tuple(statuses)))
    )
    return set(rows)


async def active_mentees(session: AsyncSession, programme_id: int) -> list[Participant]:
    return list(
        await session.scalars(
            select(Participant)
            .where(
                Participant.programme_id == programme_id,
                Participant.role == Role.MENTEE,
                Participant.status == ParticipantStatus.ACTIVE,
            )
            .order_by(Participant.display_name, Participant.id)
        )
    )


async def approved_mentors(session: AsyncSession, programme_id: int) -> list[Participant]:
    return list(
        await session.scalars(
            select(Participant)
            .where(
                Participant.programme_id == programme_id,
                Participant.role == Role.MENTOR,
                Participant.status == ParticipantStatus.ACTIVE,
                Participant.registry_status == RegistryStatus.APPROVED,
            )
            .order_by(Participant.display_name, Participant.id)
        )
    )


def capacity_of(programme: Programme, mentor: Participant) -> int:
    return max(1, mentor.capacity) if programme.is_group else 1


@dataclass(frozen=True)
class MatchingSummary:
    proposed: int
    unmatched: int


async def propose(session: AsyncSession, actor: Person, programme_id: int) -> MatchingSummary:
    """Run the matching for everyone not yet in a confirmed pair; replace old proposals."""
    programme = await require_programme(session, actor.id, programme_id)
    old = list(
        await session.scalars(
            select(Pair.id).where(
                Pair.programme_id == programme.id, Pair.status == PairStatus.PROPOSED
            )
        )
    )
    if old:
        await session.execute(delete(PairMember).where(PairMember.pair_id.in_(old)))
        await session.execute(delete(Pair).where(Pair.id.in_(old)))
    confirmed = await paired_mentee_ids(session, programme.id, (PairStatus.CONFIRMED,))
    load = await _live_load(session, programme.id)
    mentees = [m for m in await active_mentees(session, programme.id) if m.id not in confirmed]
    mentors = [
        m
        for m in await approved_mentors(session, programme.id)
        if capacity_of(programme, m) - load.get(m.id, 0) > 0
    ]
    if not mentees:
        raise NotAllowedNow("pairs-error-no-mentees")
    if not mentors:
        raise NotAllowedNow("pairs-error-no-mentors")
    round_ = await latest_round(session, programme.id)
    stated = await round_preferences(session, round_.id) if round_ else {}
    mentee_ids = {m.id for m in mentees}
    mentor_ids = {m.id for m in mentors}
    kept = {m.id: await _group_category(session, programme, m.id) for m in mentors}
    instance = MatchingInstance(
        mentees=[
            MenteeInput(
                id=m.id,
                preferences=[x for x in stated.get(m.id, []) if x in mentor_ids],
                profile=mentee_profile(m, dict(await profile_answers(session, m.id))),
                programme=programme.id,
                person=m.person_id,
            )
            for m in mentees
        ],
        mentors=[
            MentorInput(
                id=m.id,
                capacity=capacity_of(programme, m) - load.get(m.id, 0),
                preferences=[x for x in stated.get(m.id, []) if x in mentee_ids],
                profile=mentor_profile(m, dict(await profile_answers(session, m.id))),
                programme=programme.id,
                person=m.person_id,
                group_category=kept[m.id],
            )
            for m in mentors
        ],
        complete_preferences=True,
        forms=programme_forms(programme),
    )
    result = run_matching(instance, locale=actor.locale or "ru")
    names = {m.id: m.display_name or "" for m in mentees}
    for group in result.pairs:
        if len(group.mentees) == 1:
            explanation = group.mentee_explanations.get(group.mentees[0], group.explanation)
        else:
            explanation = "\n".join(
                f"{names.get(int(e), '')}: {group.mentee_explanations.get(e, '')}"
                for e in group.mentees
            )
        pair = Pair(
            programme_id=programme.id,
            mentor_id=int(group.mentor),
            status=PairStatus.PROPOSED,
            explanation=explanation,
            mentoring_form=group.form,
            created_at=now(),
        )
        session.add(pair)
        await session.flush()
        for mentee_id in group.mentees:
            session.add(PairMember(pair_id=pair.id, mentee_id=int(mentee_id)))
    await session.flush()
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="matching_run",
        round_id=round_.id if round_ else None,
        proposed=len(result.pairs),
        unmatched=[
            {
                "mentee": int(u.mentee),
                "reason": u.reason,
                "suggestions": [int(s) for s in u.suggestions],
            }
            for u in result.unmatched
        ],
    )
    return MatchingSummary(len(result.pairs), len(result.unmatched))


@dataclass(frozen=True)
class PairView:
    pair: Pair
    mentor: Participant
    mentees: list[Participant]


@dataclass(frozen=True)
class UnmatchedView:
    mentee: Participant
    reason: str | None
    suggestions: list[Participant]


@dataclass(frozen=True)
class PairsOverview:
    programme: Programme
    proposed: list[PairView]
    confirmed: list[PairView]
    unmatched: list[UnmatchedView]


async def _views(session: AsyncSession, pairs: list[Pair]) -> list[PairView]:
    views = []
    for pair in pairs:
        mentor = await session.get(Participant, pair.mentor_id)
        members = await session.scalars(
            select(Participant)
            .join(PairMember, PairMember.mentee_id == Participant.id)
            .where(PairMember.pair_id == pair.id)
            .order_by(Participant.display_name)
        )
        if mentor is not None:
            views.append(PairView(pair, mentor, list(members)))
    return views


async def overview(session: AsyncSession, actor: Person, programme_id: int) -> PairsOverview:
    programme = await require_programme(session, actor.id, programme_id)
    pairs = list(
        await session.scalars(
            select(Pair)
            .where(Pair.programme_id == programme.id, Pair.status.in_(LIVE))
            .order_by(Pair.id)
        )
    )
    views = await _views(session, pairs)
    return PairsOverview(
        programme,
        [v for v in views if v.pair.status == PairStatus.PROPOSED],
        [v for v in views if v.pair.status == PairStatus.CONFIRMED],
        await unmatched_mentees(session, programme.id),
    )


async def unmatched_mentees(session: AsyncSession, programme_id: int) -> list[UnmatchedView]:
    """Active mentees in no live pair, with the matching's reason and suggested mentors
    (no access check: callers check)."""
    paired = await paired_mentee_ids(session, programme_id)
    run = await audit.latest(session, programme_id, "matching_run")
    notes = {int(u["mentee"]): u for u in (run.details.get("unmatched", []) if run else [])}
    mentors = {m.id: m for m in await approved_mentors(session, programme_id)}
    unmatched = []
    for mentee in await active_mentees(session, programme_id):
        if mentee.id in paired:
            continue
        note = notes.get(mentee.id, {})
        unmatched.append(
            UnmatchedView(
                mentee,
                note.get("reason"),
                [mentors[s] for s in note.get("suggestions", []) if s in mentors],
            )
        )
    return unmatched


async def _pair(session: AsyncSession, actor: Person, pair_id: int) -> tuple[Pair, Programme]:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotInProgramme(pair_id)
    programme = await require_programme(session, actor.id, pair.programme_id)
    return pair, programme


async def pair_view(session: AsyncSession, actor: Person, pair_id: int) -> PairView:
    pair, _programme = await _pair(session, actor, pair_id)
    if pair.status not in LIVE:
        raise NotInProgramme(pair_id)
    return (await _views(session, [pair]))[0]


async def confirm(session: AsyncSession, actor: Person, pair_ids: list[int]) -> list[int]:
    """Confirm proposed pairs (all of one programme); the pair work starts for them."""
    done = []
    programme_id = None
    for pair_id in pair_ids:
        pair, programme = await _pair(session, actor, pair_id)
        if programme_id is not None and programme.id != programme_id:
            raise NotInProgramme(pair_id)
        programme_id = programme.id
        if pair.status != PairStatus.PROPOSED:
            continue
        pair.status = PairStatus.CONFIRMED
        pair.confirmed_at = now()
        pair.confirmed_by = actor.id
        done.append(pair.id)
    if not done:
        raise NotAllowedNow("pairs-error-nothing-to-confirm")
    await session.flush()
    await audit.record(
        session, programme_id=programme_id, actor_id=actor.id, action="pairs_confirmed", pairs=done
    )
    await pair_events.on_pairs_confirmed(session, done)
    return done


async def confirm_all(session: AsyncSession, actor: Person, programme_id: int) -> list[int]:
    programme = await require_programme(session, actor.id, programme_id)
    ids = list(
        await session.scalars(
            select(Pair.id)
            .where(Pair.programme_id == programme.id, Pair.status == PairStatus.PROPOSED)
            .order_by(Pair.id)
        )
    )
    if not ids:
        raise NotAllowedNow("pairs-error-nothing-to-confirm")
    return await confirm(session, actor, ids)


async def reject(session: AsyncSession, actor: Person, pair_id: int) -> Pair:
    pair, programme = await _pair(session, actor, pair_id)
    if pair.status != PairStatus.PROPOSED:
        raise NotAllowedNow("pairs-error-not-proposed")
    pair.status = PairStatus.REJECTED
    await session.flush()
    await audit.record(
        session, programme_id=programme.id, actor_id=actor.id, action="pair_rejected", pair=pair.id
    )
    return pair


async def unpair(session: AsyncSession, actor: Person, pair_id: int) -> Pair:
    pair, programme = await _pair(session, actor, pair_id)
    if pair.status != PairStatus.CONFIRMED:
        raise NotAllowedNow("pairs-error-not-confirmed")
    pair.status = PairStatus.ENDED
    pair.ended_at = now()
    await session.flush()
    await audit.record(
        session, programme_id=programme.id, actor_id=actor.id, action="pair_ended", pair=pair.id
    )
    return pair


async def mentors_with_room(
    session: AsyncSession, actor: Person, programme_id: int, exclude: int | None = None
) -> list[tuple[Participant, int]]:
    """Approved mentors who can take one more mentee, with the places left."""
    programme = await require_programme(session, actor.id, programme_id)
    load = await _live_load(session, programme.id)
    out = []
    for mentor in await approved_mentors(session, programme.id):
        room = capacity_of(programme, mentor) - load.get(mentor.id, 0)
        if room > 0 and mentor.id != exclude:
            out.append((mentor, room))
    return out


async def _live_group(session: AsyncSession, programme: Programme, mentor_id: int) -> list[int]:
    """The mentees a mentor has in proposed or confirmed pairs of the programme."""
    rows = await session.scalars(
        select(PairMember.mentee_id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(
            Pair.programme_id == programme.id,
            Pair.mentor_id == mentor_id,
            Pair.status.in_(LIVE),
        )
    )
    return list(rows)


async def _group_category(
    session: AsyncSession, programme: Programme, mentor_id: int
) -> str | None:
    """The category of the mentees a mentor already has (the first one's, by id)."""
    for mentee_id in sorted(await _live_group(session, programme, mentor_id)):
        mentee = await session.get(Participant, mentee_id)
        if mentee is not None and mentee.category is not None:
            return mentee.category
    return None


async def _as_mentee_input(session: AsyncSession, participant: Participant) -> MenteeInput:
    answers = dict(await profile_answers(session, participant.id))
    return MenteeInput(
        id=participant.id,
        profile=mentee_profile(participant, answers),
        programme=participant.programme_id,
        person=participant.person_id,
    )


async def _rules_broken(
    session: AsyncSession, programme: Programme, mentor: Participant, mentee: Participant
) -> list[str]:
    """The who-may-be-grouped rules that putting `mentee` with `mentor` would break."""
    group = []
    for other_id in await _live_group(session, programme, mentor.id):
        other = await session.get(Participant, other_id)
        if other is not None and other.id != mentee.id:
            group.append(await _as_mentee_input(session, other))
    mentor_input = MentorInput(
        id=mentor.id,
        profile=mentor_profile(mentor, dict(await profile_answers(session, mentor.id))),
        programme=mentor.programme_id,
        person=mentor.person_id,
    )
    return placement_violations(
        await _as_mentee_input(session, mentee),
        mentor_input,
        group,
        forms=programme_forms(programme),
    )


async def placement_warnings(
    session: AsyncSession, actor: Person, programme_id: int, mentee_id: int, mentor_id: int
) -> list[str]:
    """What the curator would be warned about when putting this mentee with this mentor."""
    programme = await require_programme(session, actor.id, programme_id)
    mentor, mentee = await _mentor_and_mentee(session, programme, mentor_id, mentee_id)
    return await _rules_broken(session, programme, mentor, mentee)


async def _place(
    session: AsyncSession, programme: Programme, mentor: Participant, mentee: Participant
) -> Pair:
    """Put a mentee with a mentor as a directive proposal (joins the mentor's proposal)."""
    load = await _live_load(session, programme.id)
    if load.get(mentor.id, 0) >= capacity_of(programme, mentor):
        raise NotAllowedNow("pairs-error-mentor-full")
    pair = await session.scalar(
        select(Pair).where(
            Pair.programme_id == programme.id,
            Pair.mentor_id == mentor.id,
            Pair.status == PairStatus.PROPOSED,
        )
    )
    if pair is None:
        pair = Pair(
            programme_id=programme.id,
            mentor_id=mentor.id,
            status=PairStatus.PROPOSED,
            directive=True,
            mentoring_form=pair_form(mentee.category, programme_forms(programme)),
            created_at=now(),
        )
        session.add(pair)
        await session.flush()
    session.add(PairMember(pair_id=pair.id, mentee_id=mentee.id))
    await session.flush()
    return pair


async def _mentor_and_mentee(
    session: AsyncSession, programme: Programme, mentor_id: int, mentee_id: int
) -> tuple[Participant, Participant]:
    mentors = {m.id: m for m in await approved_mentors(session, programme.id)}
    mentees = {m.id: m for m in await active_mentees(session, programme.id)}
    if mentor_id not in mentors or mentee_id not in mentees:
        raise NotInProgramme(mentor_id)
    return mentors[mentor_id], mentees[mentee_id]


async def _check_rules(
    session: AsyncSession,
    programme: Programme,
    mentor: Participant,
    mentee: Participant,
    confirmed: bool,
) -> list[str]:
    rules = await _rules_broken(session, programme, mentor, mentee)
    if rules and not confirmed:
        raise PlacementNeedsConfirmation(rules)
    return rules


async def assign(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    mentee_id: int,
    mentor_id: int,
    *,
    confirmed: bool = False,
) -> Pair:
    """A directive assignment of a mentee without a pair.

    A placement that breaks a who-may-be-grouped rule raises `PlacementNeedsConfirmation`
    unless the curator has confirmed it (`confirmed=True`); the audit keeps the rules.
    """
    programme = await require_programme(session, actor.id, programme_id)
    mentor, mentee = await _mentor_and_mentee(session, programme, mentor_id, mentee_id)
    if mentee.id in await paired_mentee_ids(session, programme.id):
        raise NotAllowedNow("pairs-error-already-paired")
    rules = await _check_rules(session, programme, mentor, mentee, confirmed)
    pair = await _place(session, programme, mentor, mentee)
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="pair_assigned",
        pair=pair.id,
        mentee=mentee.id,
        mentor=mentor.id,
        rules_overridden=rules,
    )
    return pair


async def move(
    session: AsyncSession,
    actor: Person,
    pair_id: int,
    mentee_id: int,
    mentor_id: int,
    *,
    confirmed: bool = False,
) -> Pair:
    """Move a mentee from a pair to another mentor (a new proposal the curator confirms).

    Like `assign`, a move that breaks a who-may-be-grouped rule needs `confirmed=True`.
    """
    source, programme = await _pair(session, actor, pair_id)
    if source.status not in LIVE:
        raise NotAllowedNow("pairs-error-not-live")
    member = await session.scalar(
        select(PairMember).where(PairMember.pair_id == source.id, PairMember.mentee_id == mentee_id)
    )
    if member is None:
        raise NotInProgramme(mentee_id)
    mentor, mentee = await _mentor_and_mentee(session, programme, mentor_id, mentee_id)
    if mentor.id == source.mentor_id:
        raise NotAllowedNow("pairs-error-same-mentor")
    # Check the room before anything changes: a refusal must leave the pair as it was.
    load = await _live_load(session, programme.id)
    if load.get(mentor.id, 0) >= capacity_of(programme, mentor):
        raise NotAllowedNow("pairs-error-mentor-full")
    rules = await _check_rules(session, programme, mentor, mentee, confirmed)
    await session.delete(member)
    await session.flush()
    left = await session.scalar(select(PairMember.id).where(PairMember.pair_id == source.id))
    if left is None:
        if source.status == PairStatus.CONFIRMED:
            source.status = PairStatus.ENDED
            source.ended_at = now()
        else:
            source.status = PairStatus.REJECTED
    target = await _place(session, programme, mentor, mentee)
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="pair_moved",
        from_pair=source.id,
        to_pair=target.id,
        mentee=mentee.id,
        mentor=mentor.id,
        rules_overridden=rules,
    )
    return target


@dataclass(frozen=True)
class AssignedInOnePass:
    assigned: int
    left: int  # no suggestion with room, or each would break a rule (the curator decides)


async def assign_suggested(
    session: AsyncSession, actor: Person, programme_id: int
) -> AssignedInOnePass:
    """Every mentee without a pair to the first suggested mentor who has room and breaks
    no matching rule, as directive proposals (nobody is messaged until they are
    confirmed). A placement that needs the curator's word is left for the curator."""
    data = await overview(session, actor, programme_id)
    assigned = 0
    for item in data.unmatched:
        for mentor in item.suggestions:
            try:
                async with session.begin_nested():
                    await assign(session, actor, programme_id, item.mentee.id, mentor.id)
            except (PlacementNeedsConfirmation, NotAllowedNow):
                continue
            assigned += 1
            break
    return AssignedInOnePass(assigned, len(data.unmatched) - assigned)
