"""Contacts stay inside the policy, and pair members write to each other through the bot.

A group of three mentees — a 12-year-old, a 23-year-old young teacher who shares his
phone, a 19-year-old who does not share — under an adult mentor. Every message each
chat received is scanned for the others' phones, e-mails and Telegram usernames; the
allowed ones follow docs/contacts.md (the forms' promise texts say the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pairwork.cycle import on_pairs_confirmed
from storage.models import FormAnswer, FormSession, Pair, Participant, RelayedMessage
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_person,
    make_programme,
)

IRKUTSK = ZoneInfo("Asia/Irkutsk")
MENTOR_PHONE = "+7 900 111-22-33"
MINOR_PHONE = "+7 900 444-55-66"
TEACHER_PHONE = "+7 900 000-25-26"
PRIVATE_MAIL = "olga.private@example.org"


@pytest.fixture
def clock_start() -> datetime:
    return datetime(2026, 10, 5, 11, tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}  # a script answers faster than people


@dataclass
class Someone:
    """A member of the group: the chat, the participant id and what they keep to themselves."""

    user: Any
    participant_id: int
    secrets: tuple[str, ...]


async def _profile(
    session: AsyncSession, participant: Participant, form: str, answers: dict[str, Any]
) -> None:
    fs = FormSession(participant_id=participant.id, form=form, context="", status="completed")
    session.add(fs)
    await session.flush()
    for question, value in answers.items():
        session.add(FormAnswer(session_id=fs.id, question_id=question, value=value))


async def _group(
    emulator: Any, db: Any, *, mentor_shares: bool, tag: str
) -> tuple[Any, Someone, list[Someone], int]:
    """Curator, mentor and three mentees of one confirmed group (not yet introduced)."""
    users = {
        name: emulator.create_user(name, username=f"{name.lower()}_{tag}", started=True)
        for name in ("Curator", "Anna", "Misha", "Matvey", "Olga")
    }
    async with db.session() as s:
        programme = await make_programme(s, name=f"Наставничество {tag}", timezone="Asia/Irkutsk")
        await make_curator(s, programme, tg_id=users["Curator"].id)

        async def member(key: str, role: str, name: str, age: int) -> Participant:
            person = await make_person(
                s, tg_id=users[key].id, name=name, username=users[key].username
            )
            return await make_participant(
                s, programme, role, name=name, person=person, age=age, approved=True
            )

        mentor = await member("Anna", "mentor", "Анна Петровна Смирнова", 41)
        minor = await member("Misha", "mentee", "Миша Иванов", 12)
        teacher = await member("Matvey", "mentee", "Матвей Лебедев", 23)
        adult = await member("Olga", "mentee", "Ольга Кравец", 19)
        await _profile(
            s,
            mentor,
            "mentor_profile",
            {"contacts": MENTOR_PHONE, "share_contacts": "yes" if mentor_shares else "no"},
        )
        # Even a stored «yes» of a child (the form does not ask children) shows nothing
        # to an adult.
        await _profile(s, minor, "mentee_profile", {"contact": MINOR_PHONE, "share_contact": "yes"})
        await _profile(
            s, teacher, "mentee_profile", {"contact": TEACHER_PHONE, "share_contact": "yes"}
        )
        await _profile(s, adult, "mentee_profile", {"contact": PRIVATE_MAIL, "share_contact": "no"})
        pair = await make_pair(s, programme, mentor, [minor, teacher, adult])
        pair_id = pair.id

    def someone(key: str, participant: Participant, *secrets: str) -> Someone:
        username = users[key].username
        return Someone(users[key], participant.id, (*secrets, f"@{username}"))

    return (
        users["Curator"],
        someone("Anna", mentor, MENTOR_PHONE),
        [
            someone("Misha", minor, MINOR_PHONE),
            someone("Matvey", teacher, TEACHER_PHONE),
            someone("Olga", adult, PRIVATE_MAIL),
        ],
        pair_id,
    )


def everything_seen(user: Any) -> str:
    """Every text the user's chat received, with earlier versions of edited messages."""
    parts = [user.transcript()]
    for message in user.messages:
        parts.append(message.text)
        parts.extend(str(old.get("text") or old.get("caption") or "") for old in message.history)
    return "\n".join(parts)


def assert_sees_only(viewer: Someone, group: list[Someone], allowed: set[str]) -> None:
    seen = everything_seen(viewer.user)
    for other in group:
        if other is viewer:
            continue
        for secret in other.secrets:
            if secret in allowed:
                assert secret in seen, (viewer.user, secret)
            else:
                assert secret not in seen, (viewer.user, secret)


async def _introduce(db: Any, pair_id: int, mentor: Someone, mentees: list[Someone]) -> None:
    async with db.session() as s:
        await on_pairs_confirmed(s, [pair_id])
    await mentor.user.wait_for("У вас появилась", timeout=10)
    for mentee in mentees:
        # «У вас…» to the adults, «У тебя…» to Миша, who is 12 (docs/texts.md).
        await mentee.user.wait_for("появился наставник", timeout=10)


async def test_a_group_keeps_contacts_and_talks_through_the_bot(
    emulator: Any, bot_app: Any
) -> None:
    db = bot_app.db
    curator, mentor, mentees, pair_id = await _group(emulator, db, mentor_shares=False, tag="a")
    minor, teacher, adult = mentees
    everyone = [mentor, *mentees]
    await _introduce(db, pair_id, mentor, mentees)

    # The mentee's introduction offers the bot instead of the mentor's phone.
    intro = minor.user.messages[-1]
    assert "Анна Петровна Смирнова" in intro.text and "через бота" in intro.text
    # A child writes to the mentor; markup typed by a person stays text.
    await minor.user.press("✉️ Написать наставнику")
    # Миша is 12: the bot writes to him as to a child (docs/texts.md).
    await minor.user.wait_for("Напиши сообщение для Анны Петровны Смирновой")
    await minor.user.send("Здравствуйте! Можно встретиться в среду <после уроков>?")
    await minor.user.wait_for("Сообщение передано")
    got = await mentor.user.wait_for("Сообщение от наставляемого")
    assert "от наставляемого Миши Иванова" in got.text and "<после уроков>" in got.text
    # The mentor answers with «↩️ Ответить».
    await mentor.user.press("↩️ Ответить", message=got)
    await mentor.user.wait_for("Напишите сообщение для Миши Иванова")
    await mentor.user.send("Да, в среду в 15:00 в кабинете 12.")
    answer = await minor.user.wait_for("Сообщение от наставника")
    assert "от наставника Анны Петровны Смирновой" in answer.text and "кабинете 12" in answer.text
    # The mentor of a group chooses whom: here, everyone.
    await mentor.user.press("✉️ Написать наставляемым")
    choice = await mentor.user.wait_for("Кому написать")
    assert {"Миша Иванов", "Матвей Лебедев", "Ольга Кравец"} <= set(choice.button_texts)
    await mentor.user.press("👥 Всей группе")
    await mentor.user.wait_for("для всей группы")
    await mentor.user.send("Всем привет! Общая встреча в пятницу.")
    for mentee in mentees:
        await mentee.user.wait_for("Общая встреча в пятницу")
    # /meetings has the same button.
    await adult.user.send("/meetings")
    await adult.user.wait_for("Встречи")
    await adult.user.press("✉️ Написать наставнику")
    await adult.user.wait_for("Напишите сообщение для Анны Петровны Смирновой")
    await adult.user.send("Спасибо!")
    await mentor.user.wait_for("Спасибо!")

    # Nobody receives another member's contact; the mentor gets only the adult mentee's
    # own shared phone.
    assert_sees_only(mentor, everyone, {TEACHER_PHONE})
    for mentee in mentees:
        assert_sees_only(mentee, everyone, set())

    # Forged buttons: a mentee may not write to a co-mentee nor answer someone else's
    # message; a stranger may not write in the pair.
    async with db.read() as s:
        first = await s.scalar(select(RelayedMessage.id).order_by(RelayedMessage.id))
    stranger = emulator.create_user("Stranger", started=True)
    await stranger.send("/help")
    await stranger.next_message()
    for who, data in (
        (teacher.user, f"pw:wr:{pair_id}:{minor.participant_id}"),
        (teacher.user, f"pw:rrep:{first}:"),
        (stranger, f"pw:wr:{pair_id}:"),
    ):
        assert "устарела" in (await who.press_data(data)).text

    async with db.read() as s:
        rows = (await s.scalars(select(RelayedMessage).order_by(RelayedMessage.id))).all()
    assert [(r.from_participant_id, r.to_participant_id) for r in rows] == [
        (minor.participant_id, mentor.participant_id),
        (mentor.participant_id, minor.participant_id),
        (mentor.participant_id, minor.participant_id),
        (mentor.participant_id, teacher.participant_id),
        (mentor.participant_id, adult.participant_id),
        (adult.participant_id, mentor.participant_id),
    ]
    assert rows[1].reply_to == rows[0].id

    # The curator reads the child's conversation from the pair card.
    await curator.send("/pairs")
    await curator.wait_for("Подтверждено: 1")
    await curator.press("🤝 Подтверждённые (1)")
    await curator.press("Анна Петровна Смирнова →")
    await curator.press("💬 Переписка пары")
    chat = curator.messages[-1]
    assert "Переписка пары через бота" in chat.text
    assert "<после уроков>" in chat.text and "кабинете 12" in chat.text
    assert "Миша Иванов → Анна Петровна Смирнова" in chat.text
    assert "Спасибо!" not in chat.text  # adults' messages to each other stay private
    # Only the programme's curator: another school's curator gets nothing.
    other_curator = emulator.create_user("Other", started=True)
    async with db.session() as s:
        await make_curator(s, await make_programme(s, name="Другая школа"), tg_id=other_curator.id)
    await other_curator.send("/pairs")
    await other_curator.wait_for("Другая школа")
    denied = await other_curator.press_data(f"ca:chat:{pair_id}:0:0:0")
    assert "кабинете 12" not in denied.text
    assert "кабинете 12" not in everything_seen(other_curator)


async def test_a_mentor_who_shares_reaches_the_child_and_no_co_mentee_does(
    emulator: Any, bot_app: Any
) -> None:
    db = bot_app.db
    _, mentor, mentees, pair_id = await _group(emulator, db, mentor_shares=True, tag="b")
    everyone = [mentor, *mentees]
    await _introduce(db, pair_id, mentor, mentees)
    async with db.read() as s:
        assert await s.get(Pair, pair_id) is not None
    for mentee in mentees:
        assert_sees_only(mentee, everyone, {MENTOR_PHONE})
    assert_sees_only(mentor, everyone, {TEACHER_PHONE})
