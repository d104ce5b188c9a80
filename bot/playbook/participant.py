"""Mentors', mentees' and parents' hands: joining, choosing, meetings, forms, completion."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from bot.services.enrolment.consent import PARENT_PREFIX
from bot.services.vocabulary import label

from .forms import Answers, fill_form
from .hands import expect, has, next_page, pattern, phrase, tap

if TYPE_CHECKING:
    from emulator.records import ChatMessage
    from emulator.scripted import ScriptedUser

AGREE = phrase("journey-btn-agree")  # a parent's consent
AGREE_ADULT = phrase("journey-btn-agree-adult")  # one's own consent, 18 or older
AGREE_MINOR = phrase("journey-btn-agree-minor")  # one's own consent, under 18
PARENT_LINK = re.compile(rf"start=({re.escape(PARENT_PREFIX)}[\w-]+)")
FILL = phrase("pairs-btn-fill")
FEEDBACK_ASK = pattern("pairs-feedback-ask")
FEEDBACK_REMINDER = pattern("pairs-feedback-remind")
FINAL_ASK = pattern("pairs-final-ask")


# ------------------------------------------------------------------ joining


@dataclass(frozen=True)
class Parent:
    """A minor's parent: their Telegram, the name they give and who they are to the child."""

    user: ScriptedUser
    name: str  # ФИО, as typed
    relation: str = "mother"  # a storage.models.ParentRelation value


async def give_parent_consent(parent: Parent, code: str) -> ChatMessage:
    """Open the link the child forwarded → the name → who they are to the child → the
    screen about the programme → «Даю согласие»; the bot's thanks."""
    user = parent.user
    await user.start(code)
    await expect(user, regex=pattern("parent-hello"))
    await user.send(parent.name)
    relation = phrase(f"parent-rel-{parent.relation}")
    await tap(user, relation, await expect(user, predicate=has(relation)))
    screen = await expect(user, regex=pattern("parent-explain"), predicate=has(AGREE))
    await tap(user, AGREE, screen)
    return await expect(user, phrase("journey-parent-thanks-agreed"))


async def arrive(user: ScriptedUser, code: str) -> ChatMessage:
    """Open an invitation link; the bot's word about the programme."""
    await user.start(code)
    about = re.compile(
        f"{pattern('journey-about').pattern}|{pattern('journey-about-mentee').pattern}"
    )
    return await expect(user, regex=about, edits=False)


async def join(
    user: ScriptedUser,
    profile: str,
    answers: Answers,
    *,
    parent: Parent | None = None,
) -> ChatMessage:
    """After `arrive`: the name (the only question before consent), «Даю согласие» with
    «мне уже есть 18» or «мне ещё нет 18» as the age in `answers` says, the parent's
    consent when the bot asks for it (the parent opens the forwarded link, introduces
    themselves and agrees), then the rest of the profile (the age first) and
    «Подтвердить». The bot's closing message."""
    consent = await fill_form(user, profile, answers, until=has(AGREE_ADULT))
    age = answers.get("age") if isinstance(answers, Mapping) else None
    minor = int(str(age)) < 18 if age is not None else parent is not None
    await tap(user, AGREE_MINOR if minor else AGREE_ADULT, consent)
    agreed = phrase("journey-consent-agreed")
    reply = await expect(
        user, predicate=lambda m: agreed in m.text or PARENT_LINK.search(m.text) is not None
    )
    link = PARENT_LINK.search(reply.text)
    if link is not None:
        if parent is None:
            raise AssertionError("the bot asks for a parent's consent, and there is no parent")
        await give_parent_consent(parent, link.group(1))
        await expect(user, regex=pattern("journey-parent-agreed"))
        await user.start()
    return await fill_form(user, profile, answers)


# ------------------------------------------------------------------ the preference round


async def choose_people(user: ScriptedUser, names: list[str]) -> ChatMessage:
    """The preference round's message → «Выбрать» → the names in the order of preference
    (those not on offer are passed over) → «Готово». The picker as it ends."""
    start, done = phrase("prefs-btn-start"), phrase("prefs-btn-done")
    picker = await expect(user, predicate=has(start))
    await tap(user, start, picker)
    for name in names:
        if await _find(user, picker, name):
            await tap(user, name, picker)
    await tap(user, done, picker)
    return picker


async def _find(user: ScriptedUser, picker: ChatMessage, name: str) -> bool:
    """Turn the picker's pages to the name; back to the first page when it is not there."""
    while picker.find_button(name) is None:
        if not await next_page(user, picker):
            while picker.find_button("‹") is not None:
                await tap(user, "‹", picker)
            return False
    return True


# ------------------------------------------------------------------ meetings


def day_label(day: date) -> str:
    """A day on the meeting buttons: «пт 11.09»."""
    return f"{phrase(f'pairs-wd-{day.weekday()}')} {day:%d.%m}"


async def log_meeting(
    mentor: ScriptedUser,
    day: date,
    meeting_format: str,
    topic: str | None,
    at: time = time(15, 30),
) -> ChatMessage:
    """/meetings → «Записать встречу» → the day → the hour → the minutes (`at`, a
    quarter of an hour) → the format → the topic (or «Без темы»); the bot's answer."""
    log = phrase("pairs-btn-log")
    await mentor.command("meetings")
    screen = await expect(mentor, predicate=has(log))
    await tap(mentor, log, screen)
    await tap(mentor, day_label(day), screen)
    await tap(mentor, f"{at.hour:02d}:…", screen)
    await tap(mentor, f"{at:%H:%M}", screen)
    await tap(mentor, label("format", meeting_format), screen)
    await expect(mentor, phrase("pairs-log-topic"))
    if topic is None:
        await tap(mentor, phrase("pairs-btn-no-topic"), screen)
    else:
        await mentor.send(topic)
    return await expect(mentor, regex=pattern("pairs-logged"))


async def deny_meeting(mentee: ScriptedUser, day: date) -> str:
    """The mentor's note of the meeting on `day` → «Встречи не было»; the note's text."""
    when = f"{day:%d.%m.%Y}"
    note = await expect(
        mentee, regex=pattern("pairs-meeting-logged"), predicate=lambda m: when in m.text
    )
    text = note.text
    await tap(mentee, phrase("pairs-btn-not-held"), note)
    await expect(mentee, regex=pattern("pairs-not-held-sent"))
    return text


async def confirm_meeting(mentee: ScriptedUser, day: date) -> str:
    """The mentor's note of the meeting on `day` → «Да, встреча была»; the note's text."""
    when = f"{day:%d.%m.%Y}"
    note = await expect(
        mentee, regex=pattern("pairs-meeting-logged"), predicate=lambda m: when in m.text
    )
    text = note.text  # the answer takes the note's place
    await tap(mentee, phrase("pairs-btn-confirm-held"), note)
    await expect(mentee, regex=pattern("pairs-held-confirmed"))
    return text


# ------------------------------------------------------------------ forms sent by the bot


async def fill_sent_form(
    user: ScriptedUser, request: re.Pattern[str], form: str, answers: Answers
) -> ChatMessage:
    """A message with «Заполнить» → the form; the bot's thanks."""
    message = await expect(user, regex=request, predicate=has(FILL))
    await tap(user, FILL, message)
    return await fill_form(user, form, answers)


async def fill_feedback(
    user: ScriptedUser, answers: Answers, *, reminded: bool = False
) -> ChatMessage:
    """The biweekly «Пара минут о ваших встречах» (or its reminder) → the feedback form."""
    request = FEEDBACK_REMINDER if reminded else FEEDBACK_ASK
    return await fill_sent_form(user, request, "feedback", answers)


async def fill_plan(mentor: ScriptedUser, answers: Answers) -> ChatMessage:
    """/meetings → «📝 План работы» → the pair's plan (goals, tasks, format, how often,
    until when); the bot's thanks."""
    await mentor.command("meetings")
    screen = await expect(mentor, regex=pattern("pairs-overview-title"))
    await tap(mentor, phrase("pairs-btn-plan"), screen)
    return await fill_form(mentor, "pair_plan", answers)


async def curator_answer(user: ScriptedUser) -> ChatMessage:
    """The curator's answer to the person's call for help, through the bot."""
    return await expect(user, regex=pattern("cases-answer-to-person"))


async def complete_programme(
    user: ScriptedUser,
    survey: Answers | None,
    *,
    vote: Callable[[list[str]], str] | None = None,
    wants_to_mentor: bool | None = None,
) -> ChatMessage | None:
    """At completion: a mentor votes for «Наставник года» (`vote` picks among the names
    offered), a mentee says whether they would mentor next time; then the final survey
    (None: left unanswered). The survey's closing message."""
    final = await expect(user, regex=FINAL_ASK, predicate=has(FILL))
    if vote is not None:
        ask = await expect(user, phrase("pairs-vote-ask"))
        await tap(user, vote(ask.button_texts), ask)
        await expect(user, regex=pattern("pairs-vote-done"))
    if wants_to_mentor is not None:
        ask = await expect(user, regex=pattern("pairs-next-cycle-ask"))
        await tap(user, phrase("pairs-btn-yes" if wants_to_mentor else "pairs-btn-no"), ask)
        await expect(user, regex=pattern(f"pairs-next-cycle-{'yes' if wants_to_mentor else 'no'}"))
    if survey is None:
        return None
    await tap(user, FILL, final)
    return await fill_form(user, "final_survey", survey)


# ------------------------------------------------------------------ messages through the bot


async def write_through_bot(user: ScriptedUser, button_key: str, text: str) -> ChatMessage:
    """«✉️ Написать наставнику/наставляемому» on the newest message that has it → the text;
    the bot's «передано». (A group's mentor picks «👥 Всей группе».)"""
    await tap(user, phrase(button_key))
    asks = (pattern("relay-prompt"), pattern("relay-prompt-all"), pattern("relay-choose"))
    prompt = await expect(user, predicate=lambda m: any(p.search(m.text) for p in asks))
    if prompt.find_button(phrase("relay-btn-all")) is not None:
        await tap(user, phrase("relay-btn-all"), prompt)
        await expect(user, regex=pattern("relay-prompt-all"))
    await user.send(text)
    return await expect(user, phrase("relay-sent"))


async def answer_through_bot(user: ScriptedUser, text: str) -> tuple[ChatMessage, ChatMessage]:
    """The newest relayed message → «↩️ Ответить» → the text; (that message, «передано»)."""
    got = await expect(user, regex=pattern("relay-incoming"))
    await tap(user, phrase("relay-btn-reply"), got)
    await expect(user, regex=pattern("relay-prompt"))
    await user.send(text)
    return got, await expect(user, phrase("relay-sent"))
