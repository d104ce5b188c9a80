"""Filling in any questionnaire in the chat, the way a person does: one question at a time.

The questions are recognised by their texts in the form's definition, so one function
fills a profile, a feedback form, the final survey or a curator's own form; questions
hidden by `show_if` simply never come.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.keyboards.forms import LABEL_MAX
from bot.services.forms import FormDef, Question, get_form
from bot.texts import reader_locale, shorten

from .hands import LOCALE, expect, has, pattern, phrase, tap

if TYPE_CHECKING:
    from emulator.records import ChatMessage
    from emulator.scripted import ScriptedUser

# The answer to a question: an option code (or a list of them), a number, a text, or
# None to skip an optional question.
Answers = Mapping[str, Any] | Callable[[Question], Any]

PROGRESS = pattern("forms-progress")
CONFIRM = phrase("forms-btn-confirm")
SKIP = phrase("forms-btn-skip")
DONE = phrase("forms-btn-done")


def button_label(text: str) -> str:
    """An option's label as it is cut on its button."""
    return shorten(text, LABEL_MAX)


def option_label(question: Question, value: Any) -> str:
    for option in question.options:
        if option.code == value:
            return button_label(option.label(LOCALE))
    return button_label(str(value))  # options supplied at run time: the label itself


# A child under 14 reads the child's wording of a form (docs/texts.md).
READERS = (LOCALE, reader_locale(LOCALE, child=True))


def question_of(form: FormDef, text: str) -> Question | None:
    """The question a step message asks: the longest prompt found in it, in the adults' or
    the child's wording."""
    found = [
        (len(prompt), q)
        for q in form.questions
        for prompt in {q.prompt(reader) for reader in READERS}
        if prompt in text
    ]
    return max(found, key=lambda f: f[0], default=(0, None))[1]


async def give(user: ScriptedUser, step: ChatMessage, question: Question, value: Any) -> None:
    """Answer one question shown in `step`."""
    if value is None:
        await tap(user, SKIP, step)
    elif question.type == "scale":
        await tap(user, str(value), step)
    elif question.type == "single":
        await tap(user, option_label(question, value), step)
    elif question.type == "multi":
        for code in value:
            await tap(user, option_label(question, code), step)
        await tap(user, DONE, step)
    else:
        await user.send(str(value))


async def fill_form(
    user: ScriptedUser,
    form_name: str,
    answers: Answers,
    *,
    until: Callable[[ChatMessage], bool] | None = None,
) -> ChatMessage:
    """Answer the form's questions as they come, confirm the summary; the closing message.

    With `until`, stops at the first message it accepts (a consent screen in the middle
    of a profile) and returns it.
    """
    form = get_form(form_name)
    dones = {form.done_text(reader) or phrase("forms-completed") for reader in READERS}
    confirm = has(CONFIRM)

    def wanted(message: ChatMessage) -> bool:
        text = message.text
        return bool(
            PROGRESS.search(text)
            or confirm(message)
            or any(done in text for done in dones)
            or (until is not None and until(message))
        )

    while True:
        message = await expect(user, predicate=wanted, edits=False)
        if until is not None and until(message):
            return message
        question = question_of(form, message.text) if PROGRESS.search(message.text) else None
        if question is not None:
            value = answers(question) if callable(answers) else answers.get(question.id)
            await give(user, message, question, value)
        elif confirm(message):
            await tap(user, CONFIRM, message)
        else:
            return message
