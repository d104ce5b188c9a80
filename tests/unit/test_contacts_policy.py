"""The contacts policy (docs/contacts.md) and messages through the bot, at service level:
the rules table, quiet hours, the hourly limit, the length limit and the reply check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.infra.clock import TestClock
from bot.services.forms import get_form
from bot.services.pairwork import relay
from bot.services.pairwork.contacts import may_see
from bot.services.pairwork.cycle import NotInPair
from storage.db import Database
from tests.support.pairwork import make_working_pair, outbox

# Monday 5 October 2026, 22:30 in Irkutsk (UTC+8): inside the default quiet hours 21–09.
LATE = datetime(2026, 10, 5, 14, 30, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 10, 6, 1, 0, tzinfo=UTC)  # 09:00 in Irkutsk


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return LATE


# (viewer role, viewer minor, owner role, owner minor, owner shares) → may see;
# each row is a sentence of docs/contacts.md.
RULES = [
    (("mentee", True, "mentor", False, True), True),  # the adult chose it
    (("mentee", True, "mentor", False, False), False),  # … and did not
    (("mentee", False, "mentor", False, False), False),
    (("mentor", False, "mentee", False, True), True),  # an adult mentee chose it
    (("mentor", False, "mentee", False, False), False),
    (("mentor", False, "mentee", True, True), False),  # a child's never reaches an adult
    (("mentee", False, "mentor", True, True), False),  # a child mentor's neither
    (("mentor", True, "mentee", True, True), True),  # peers, by the child's choice
    (("mentee", False, "mentee", False, True), False),  # co-mentees: never
    (("mentee", True, "mentee", False, True), False),
    (("mentee", False, "mentee", True, True), False),
]


@pytest.mark.parametrize(("case", "expected"), RULES)
def test_the_rules_of_the_doc(case: tuple[str, bool, str, bool, bool], expected: bool) -> None:
    viewer_role, viewer_minor, owner_role, owner_minor, shares = case
    assert (
        may_see(
            viewer_role=viewer_role,
            viewer_minor=viewer_minor,
            owner_role=owner_role,
            owner_minor=owner_minor,
            shares=shares,
        )
        is expected
    )


async def test_a_late_message_waits_for_the_morning(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        queued = await relay.send(s, wp.mentor_person.id, wp.pair.id, "Как дела с задачами?")
    async with db.read() as s:
        rows = await outbox(s, "relay:")
    assert queued == 1 and len(rows) == 1
    assert rows[0].person_id == wp.mentee_person.id
    assert rows[0].not_before == NEXT_MORNING
    assert "Как дела с задачами?" in rows[0].payload["text"]
    assert "+7 900 000-00-00" not in rows[0].payload["text"]


async def test_limits_and_who_may_answer(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        other = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
        )
        with pytest.raises(relay.TooLong):
            await relay.send(s, wp.mentee_person.id, wp.pair.id, "я" * (relay.TEXT_MAX + 1))
        with pytest.raises(NotInPair):  # a member of another pair
            await relay.send(s, other.mentee_person.id, wp.pair.id, "Привет")
        for n in range(relay.HOURLY_LIMIT):
            await relay.send(s, wp.mentee_person.id, wp.pair.id, f"Сообщение {n}")
        with pytest.raises(relay.TooMany):
            await relay.send(s, wp.mentee_person.id, wp.pair.id, "Ещё одно")
        clock.advance(timedelta(hours=1, minutes=1))
        await relay.send(s, wp.mentee_person.id, wp.pair.id, "Через час можно")
        rows = await outbox(s, "relay:")
        first = int(rows[0].idempotency_key.split(":")[1])
        # Only the recipient answers: the sender and strangers may not.
        target = await relay.reply_target(s, wp.mentor_person.id, first)
        assert (target.pair_id, target.to) == (wp.pair.id, wp.mentee.id)
        for someone in (wp.mentee_person.id, other.mentor_person.id):
            with pytest.raises(NotInPair):
                await relay.reply_target(s, someone, first)


@pytest.mark.parametrize(
    ("answers", "asked"),
    [
        ({"age": 12, "contact": "+7 900 444-55-66"}, False),  # a child is never asked
        ({"age": 17, "contact": "+7 900 444-55-66"}, False),
        ({"age": 18, "contact": "+7 900 444-55-66"}, True),
        ({"age": 23, "contact": None}, False),  # nothing to share
    ],
)
def test_the_mentee_form_asks_adults_who_gave_a_contact(
    answers: dict[str, object], asked: bool
) -> None:
    question = next(q for q in get_form("mentee_profile").questions if q.id == "share_contact")
    assert question.visible(dict(answers)) is asked
    assert {o.code for o in question.options} == {"yes", "no"}


def test_the_mentor_form_always_asks() -> None:
    form = get_form("mentor_profile")
    ids = [q.id for q in form.questions]
    assert ids.index("share_contacts") == ids.index("contacts") + 1
    assert form.questions[ids.index("share_contacts")].visible({}) is True
