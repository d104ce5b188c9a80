"""The questionnaire engine: forms as YAML data, run one question at a time from the database.

Defining a form
    Put `bot/forms/<name>.yaml` (or a file in the FORMS_DIR folder, which adds forms or
    replaces built-in ones of the same name). The format is in docs/forms.md: `name`,
    `title: {ru, en}`, optional `review` (summary with «Изменить»/«Подтвердить», default
    true) and `done: {ru, en}`, and `questions`, each with `id`, `type` (text, number,
    single, multi, scale, date), `text: {ru, en}`, optional `hint`, `required`,
    `min`/`max`, options (`options: [{code, ru, en}]`, `vocabulary: <group>` from
    bot.services.vocabulary, or `source: <name>` for options supplied at run time),
    `other` («Другое» as free text), `show_if`, `maps_to` (a Participant column) and
    `before_consent`. Every form is checked when BotApp starts (`configure`); a broken
    file stops the start with `FormError("<file>: <problem>")`.

Running a form (services; no aiogram here)
    fs = await start_form(session, participant_id, "feedback", context="round:7")
    step = await current_step(session, fs, locale)      # Step: question / review / completed
    await answer_text(session, fs, "...")  |  await choose(session, fs, option_index)
    await finish_multi(session, fs)  |  await skip(session, fs)  |  await back(session, fs)
    await edit(session, fs, question_id)  |  await confirm(session, fs)
    fs = await load_session(session, fs_id, person_id, version)   # checks owner + staleness
    InvalidAnswer(key, **args).message(locale) is the kind text for a wrong answer;
    StaleButton means an old, forged or foreign button.

The Telegram side is ready-made: `bot.handlers.enrolment.questionnaire.present(...)`
shows the current step of any FormSession to its person (and `open_button` makes a
«Заполнить» button for a proactive message), so a feature only starts the session.

Being told about completion and reading answers
    @on_complete("feedback")
    async def feedback_done(session, fs, answers: dict[str, Any]) -> None: ...
    (runs in the same transaction when the form is completed)
    await answers_of(session, participant_id, "feedback", context="round:7")  # {qid: value}

Dynamic options
    @option_source("pair_partners")
    async def partners(session, fs) -> list[Option]: ...   # fs.context says for what
"""

from __future__ import annotations

from .answers import InvalidAnswer, show
from .engine import (
    STEP_COMPLETED,
    STEP_CONSENT,
    STEP_QUESTION,
    STEP_REVIEW,
    ReviewItem,
    StaleButton,
    Step,
    answer_text,
    answers,
    answers_of,
    awaiting_input,
    back,
    choose,
    confirm,
    current_step,
    edit,
    find_session,
    finish_multi,
    load_session,
    raw_answers,
    review_items,
    skip,
    start_form,
    touch,
)
from .registry import (
    configure,
    forms,
    get_form,
    load_forms,
    on_complete,
    option_source,
)
from .schema import FormDef, FormError, Option, Question, load_file, parse_form

__all__ = [
    "STEP_COMPLETED",
    "STEP_CONSENT",
    "STEP_QUESTION",
    "STEP_REVIEW",
    "FormDef",
    "FormError",
    "InvalidAnswer",
    "Option",
    "Question",
    "ReviewItem",
    "StaleButton",
    "Step",
    "answer_text",
    "answers",
    "answers_of",
    "awaiting_input",
    "back",
    "choose",
    "configure",
    "confirm",
    "current_step",
    "edit",
    "find_session",
    "finish_multi",
    "forms",
    "get_form",
    "load_file",
    "load_forms",
    "load_session",
    "on_complete",
    "option_source",
    "parse_form",
    "raw_answers",
    "review_items",
    "show",
    "skip",
    "start_form",
    "touch",
]
