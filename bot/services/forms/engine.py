"""Running a form for a participant: position, answers and steps, all in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import object_session

from bot.infra.clock import now
from storage import statements
from storage.db import hold, transaction_cache
from storage.models import FormAnswer, FormSession, FormStatus, Participant, ParticipantStatus
from storage.statements import Statement, adopt, columns_of, store_changes

from .answers import InvalidAnswer, check_multi, is_empty, parse_text, show
from .registry import completion_callbacks, get_form, get_option_source
from .schema import FormDef, Option, Question

STEP_QUESTION = "question"
STEP_REVIEW = "review"
STEP_COMPLETED = "completed"
STEP_CONSENT = "consent"  # the next question needs a completed consent


class StaleButton(Exception):
    """The button belongs to an older step, another person, or does not exist."""


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    number: int
    value: Any
    shown: str  # escaped HTML


@dataclass
class Step:
    """What to show next. Handlers render it; services never send messages."""

    kind: str
    form: FormDef
    form_session_id: int
    participant_id: int
    context: str
    version: int
    question: Question | None = None
    number: int = 0  # «Вопрос N из M»
    total: int = 0
    options: list[Option] = field(default_factory=list)
    value: Any = None  # the stored answer (or the selection so far) of this question
    editing: bool = False  # reached from the summary: «Назад» returns there
    review: list[ReviewItem] = field(default_factory=list)


_ANSWERS_TABLE = FormAnswer.metadata.tables[FormAnswer.__tablename__]
_READ_ANSWERS = Statement(
    select(FormAnswer.question_id, FormAnswer.value).where(
        FormAnswer.session_id == bindparam("session_id")
    )
)
# (Parameters are not named as columns: SQLAlchemy keeps those names for its own use
# in an UPDATE's SET clause.)
_ADD_ANSWER = Statement(
    insert(_ANSWERS_TABLE).values(
        session_id=bindparam("form_id"),
        question_id=bindparam("question"),
        value=bindparam("answer"),
        answered_at=bindparam("at"),
    )
)
_CHANGE_ANSWER = Statement(
    update(_ANSWERS_TABLE)
    .where(
        _ANSWERS_TABLE.c.session_id == bindparam("form_id"),
        _ANSWERS_TABLE.c.question_id == bindparam("question"),
    )
    .values(value=bindparam("answer"), answered_at=bindparam("at"))
)


async def _answer_rows(session: AsyncSession, form_session_id: int) -> dict[str, Any]:
    """The stored answers of a form session by question id, read once in a transaction:
    the engine writes every answer through `_write_answer`, which keeps them in step."""
    known: dict[int, dict[str, Any]] = transaction_cache(session).setdefault("form_answers", {})
    rows = known.get(form_session_id)
    if rows is None:
        found = await _READ_ANSWERS.all(session, {"session_id": form_session_id})
        rows = known[form_session_id] = {str(qid): value for qid, value in found}
    return rows


async def _write_answer(
    session: AsyncSession, form_session_id: int, question_id: str, value: Any
) -> None:
    rows = await _answer_rows(session, form_session_id)
    statement = _CHANGE_ANSWER if question_id in rows else _ADD_ANSWER
    await statement.run(
        session,
        {"form_id": form_session_id, "question": question_id, "answer": value, "at": now()},
    )
    rows[question_id] = value


def _bump(fs: FormSession) -> None:
    fs.version += 1
    fs.touched_at = now()
    session = object_session(fs)
    if session is not None:
        transaction_cache(session).setdefault("touched_forms", set()).add(fs.id)


async def touch(session: AsyncSession, fs: FormSession) -> None:
    """The person is looking at this form now: typed answers go here. (A form that moved
    a step in this transaction was touched then.)"""
    if fs.id not in transaction_cache(session).get("touched_forms", ()):
        fs.touched_at = now()
        await store_changes(session, fs)


# Read for every typed message and every button of a form: built once (the parameters are
# bound at each run).
_FORM_COLUMNS = columns_of(FormSession)
_PARTICIPANT_COLUMNS = columns_of(Participant)
_AWAITING_INPUT = Statement(
    select(*_FORM_COLUMNS, *_PARTICIPANT_COLUMNS)
    .join(Participant, Participant.id == FormSession.participant_id)
    .where(
        Participant.person_id == bindparam("person_id"),
        FormSession.current_question.is_not(None),
        FormSession.status != FormStatus.COMPLETED,
    )
    .order_by(FormSession.touched_at.desc().nulls_last(), FormSession.id.desc())
    .limit(1)
)
_WITH_PARTICIPANT = Statement(
    select(*_FORM_COLUMNS, *_PARTICIPANT_COLUMNS)
    .join(Participant, Participant.id == FormSession.participant_id)
    .where(FormSession.id == bindparam("form_session_id"))
)


def _form_and_participant(
    session: AsyncSession, row: Sequence[Any]
) -> tuple[FormSession, Participant]:
    """The objects of a row of `_AWAITING_INPUT` or `_WITH_PARTICIPANT`; the participant
    is held for the transaction (`session.get` finds it without a query)."""
    split = len(_FORM_COLUMNS)
    participant = adopt(session, Participant, row[split:])
    hold(session, participant)
    return adopt(session, FormSession, row[:split]), participant


async def awaiting_input(session: AsyncSession, person_id: int) -> FormSession | None:
    """The open form the person touched last (the one a typed message answers)."""
    found = await _AWAITING_INPUT.first(session, {"person_id": person_id})
    if found is None:
        return None
    return _form_and_participant(session, found)[0]


# --- starting and finding -------------------------------------------------------------------


async def start_form(
    session: AsyncSession, participant_id: int, form_name: str, context: str = ""
) -> FormSession:
    """The participant's FormSession of this form and context, created at the first
    question if there is none (an existing one, in any state, is returned as it is)."""
    form = get_form(form_name)
    existing = await find_session(session, participant_id, form_name, context)
    if existing is not None:
        return existing
    fs = FormSession(
        participant_id=participant_id,
        form=form_name,
        context=context,
        current_question=form.questions[0].id,
        status=FormStatus.IN_PROGRESS,
        version=0,
        touched_at=now(),
    )
    await statements.save_new(session, fs)
    return fs


async def find_session(
    session: AsyncSession, participant_id: int, form_name: str, context: str = ""
) -> FormSession | None:
    found = await _FIND_SESSION.first(
        session, {"participant_id": participant_id, "form": form_name, "context": context}
    )
    return None if found is None else adopt(session, FormSession, found)


_FIND_SESSION = Statement(
    select(*_FORM_COLUMNS).where(
        FormSession.participant_id == bindparam("participant_id"),
        FormSession.form == bindparam("form"),
        FormSession.context == bindparam("context"),
    )
)


async def load_session(
    session: AsyncSession, form_session_id: int, person_id: int, version: int | None = None
) -> FormSession:
    """The FormSession if it belongs to `person_id` (and is at `version`), else StaleButton."""
    found = await _WITH_PARTICIPANT.first(session, {"form_session_id": form_session_id})
    if found is None:
        raise StaleButton(form_session_id)
    fs, participant = _form_and_participant(session, found)
    if participant.person_id != person_id:
        raise StaleButton(form_session_id)
    if version is not None and fs.version != version:
        raise StaleButton(form_session_id)
    return fs


async def raw_answers(session: AsyncSession, form_session_id: int) -> dict[str, Any]:
    """Every stored answer row (a skipped question is there with None)."""
    rows = await _answer_rows(session, form_session_id)
    return {qid: list(value) if isinstance(value, list) else value for qid, value in rows.items()}


async def answers(session: AsyncSession, fs: FormSession) -> dict[str, Any]:
    """The answers of the questions that apply (hidden and skipped ones left out)."""
    form = get_form(fs.form)
    stored = await raw_answers(session, fs.id)
    return {
        q.id: stored[q.id]
        for q in _visible(form, stored)
        if q.id in stored and not is_empty(stored[q.id])
    }


async def answers_of(
    session: AsyncSession, participant_id: int, form_name: str, context: str = ""
) -> dict[str, Any] | None:
    """A participant's answers to a form (None if never started)."""
    fs = await find_session(session, participant_id, form_name, context)
    return None if fs is None else await answers(session, fs)


# --- the current step ---------------------------------------------------------------------


def _visible(form: FormDef, stored: dict[str, Any]) -> list[Question]:
    return [q for q in form.questions if q.visible(stored)]


def _counted(form: FormDef, stored: dict[str, Any], current: Question) -> list[Question]:
    """The questions «Вопрос N из M» counts while `current` is asked.

    A condition on an answer not given yet (its question is this one or a later one)
    counts as met: the total may only shrink as answers rule questions out, never grow,
    and N goes up by one with each question asked.
    """
    position = {q.id: i for i, q in enumerate(form.questions)}
    here = position[current.id]

    def counts(question: Question) -> bool:
        return all(
            clause.holds(stored)
            or (clause.question not in stored and position[clause.question] >= here)
            for clause in question.show_if
        )

    return [q for q in form.questions if counts(q)]


async def _options(session: AsyncSession, fs: FormSession, q: Question) -> list[Option]:
    if q.source:
        return list(await get_option_source(q.source)(session, fs))
    return list(q.options)


async def _consent_complete(session: AsyncSession, fs: FormSession) -> bool:
    participant = await statements.get(session, Participant, fs.participant_id)
    return participant is not None and participant.status == ParticipantStatus.ACTIVE


async def current_step(session: AsyncSession, fs: FormSession, locale: str = "ru") -> Step:
    form = get_form(fs.form)
    stored = await raw_answers(session, fs.id)
    base: dict[str, Any] = {
        "form": form,
        "form_session_id": fs.id,
        "participant_id": fs.participant_id,
        "context": fs.context,
        "version": fs.version,
    }
    if fs.status == FormStatus.COMPLETED and fs.current_question is None:
        return Step(kind=STEP_COMPLETED, **base)
    if fs.current_question is None:
        return Step(kind=STEP_REVIEW, review=await _review(session, fs, stored, locale), **base)
    q = form.question(fs.current_question)
    if q is None:  # the form changed since: continue at the first unanswered question
        fs.current_question = _first_missing(form, stored) or None
        _bump(fs)
        await store_changes(session, fs)
        return await current_step(session, fs, locale)
    if not q.before_consent and not await _consent_complete(session, fs):
        return Step(kind=STEP_CONSENT, question=q, **base)
    counted = _counted(form, stored, q)
    number = next((i for i, v in enumerate(counted, 1) if v.id == q.id), len(counted))
    return Step(
        kind=STEP_QUESTION,
        question=q,
        number=number,
        total=len(counted),
        options=await _options(session, fs, q),
        value=stored.get(q.id),
        editing=fs.status != FormStatus.IN_PROGRESS,
        **base,
    )


async def _review(
    session: AsyncSession, fs: FormSession, stored: dict[str, Any], locale: str
) -> list[ReviewItem]:
    items = []
    for n, q in enumerate(_visible(get_form(fs.form), stored), 1):
        options = await _options(session, fs, q) if q.is_choice else []
        value = stored.get(q.id)
        items.append(ReviewItem(q, n, value, show(q, value, options, locale)))
    return items


async def review_items(session: AsyncSession, fs: FormSession, locale: str) -> list[ReviewItem]:
    """The numbered answers of the questions that apply (for a summary or /profile)."""
    return await _review(session, fs, await raw_answers(session, fs.id), locale)


def _first_missing(form: FormDef, stored: dict[str, Any]) -> str | None:
    """The first question that applies and has no answer row (or a required one empty)."""
    for q in _visible(form, stored):
        if q.id not in stored or (q.required and is_empty(stored[q.id])):
            return q.id
    return None


# --- moving -------------------------------------------------------------------------------


async def _save(
    session: AsyncSession, fs: FormSession, q: Question, value: Any, *, then_advance: bool = False
) -> None:
    """Store the answer (`then_advance`: `_advance` follows at once and writes the
    step; otherwise the step's position is written here)."""
    if q.maps_to:
        await _map_to_participant(session, fs, q, value)
    await _write_answer(session, fs.id, q.id, value)
    if not then_advance:
        await store_changes(session, fs)


async def _map_to_participant(
    session: AsyncSession, fs: FormSession, q: Question, value: Any
) -> None:
    participant = await statements.get(session, Participant, fs.participant_id)
    if participant is None:
        return
    column = q.maps_to
    if column == "age":
        minor = value is not None and int(value) < 18
        if (
            minor
            and not participant.is_minor
            and participant.status == ParticipantStatus.ACTIVE
            and participant.consent_completed_at is not None
        ):
            # An adult's consent does not cover a minor: the curator sorts this out. The
            # first answer (the age is asked after consent) contradicts «мне уже есть 18».
            first = participant.age is None
            raise InvalidAnswer(
                "forms-error-age-adult-consent" if first else "forms-error-age-locked"
            )
        participant.age = value
        participant.is_minor = minor
    elif column == "capacity":
        participant.capacity = int(value) if value is not None else 1
    elif column is not None:
        setattr(participant, column, value)
    await store_changes(session, participant)


async def _advance(session: AsyncSession, fs: FormSession, after: Question | None) -> None:
    """Move past `after`: to the next question that applies, or to the summary / the end."""
    form = get_form(fs.form)
    stored = await raw_answers(session, fs.id)
    target: str | None = None
    if fs.status == FormStatus.IN_PROGRESS and after is not None:
        start = form.index(after.id) + 1
        for q in form.questions[start:]:
            if q.visible(stored):
                target = q.id
                break
    if target is None:
        target = _first_missing(form, stored)
    _bump(fs)
    if target is not None:
        fs.current_question = target
        if fs.status == FormStatus.COMPLETED:
            fs.status = FormStatus.REVIEW
    elif form.review:
        fs.current_question = None
        fs.status = FormStatus.REVIEW
    else:
        await _complete(session, fs)
    await store_changes(session, fs)


async def _current_question(session: AsyncSession, fs: FormSession) -> Question:
    if fs.current_question is None:
        raise StaleButton(fs.id)
    q = get_form(fs.form).question(fs.current_question)
    if q is None:
        raise StaleButton(fs.id)
    if not q.before_consent and not await _consent_complete(session, fs):
        raise StaleButton(fs.id)
    return q


async def answer_text(session: AsyncSession, fs: FormSession, text: str) -> None:
    """A typed answer to the current question; for a choice question it is «Другое»."""
    q = await _current_question(session, fs)
    if q.is_choice and not q.other:
        raise InvalidAnswer("forms-error-use-buttons")
    if q.type == "scale":
        raise InvalidAnswer("forms-error-use-buttons")
    value = parse_text(q, text)
    if q.type == "multi":
        stored = (await raw_answers(session, fs.id)).get(q.id) or []
        codes = {o.code for o in await _options(session, fs, q)}
        chosen = [v for v in stored if v in codes]
        value = [*chosen, value]
        check_multi(q, value)
    await _save(session, fs, q, value, then_advance=True)
    await _advance(session, fs, q)


async def choose(session: AsyncSession, fs: FormSession, index: int) -> None:
    """A button of the current question: a single choice, a scale point or a multi toggle."""
    q = await _current_question(session, fs)
    if q.type == "scale":
        assert q.min is not None and q.max is not None
        value = q.min + index
        if not q.min <= value <= q.max:
            raise StaleButton(fs.id)
        await _save(session, fs, q, value, then_advance=True)
        await _advance(session, fs, q)
        return
    if not q.is_choice:
        raise StaleButton(fs.id)
    options = await _options(session, fs, q)
    if not 0 <= index < len(options):
        raise StaleButton(fs.id)
    code = options[index].code
    if q.type == "single":
        await _save(session, fs, q, code, then_advance=True)
        await _advance(session, fs, q)
        return
    stored = (await raw_answers(session, fs.id)).get(q.id) or []
    selected = [v for v in stored if v != code]
    if len(selected) == len(stored):
        if q.max is not None and len(selected) >= q.max:
            raise InvalidAnswer("forms-error-multi-max", max=q.max)
        selected.append(code)
    await _save(session, fs, q, selected)
    _bump(fs)
    await store_changes(session, fs)


async def finish_multi(session: AsyncSession, fs: FormSession) -> None:
    """«Готово» under a multiple choice."""
    q = await _current_question(session, fs)
    if q.type != "multi":
        raise StaleButton(fs.id)
    selected = (await raw_answers(session, fs.id)).get(q.id) or []
    if not selected and not q.required:
        await _save(session, fs, q, None, then_advance=True)
    else:
        check_multi(q, selected)
        await _save(session, fs, q, selected, then_advance=True)
    await _advance(session, fs, q)


async def skip(session: AsyncSession, fs: FormSession) -> None:
    """«Пропустить»: only optional questions; stored as an empty answer."""
    q = await _current_question(session, fs)
    if q.required:
        raise InvalidAnswer("forms-error-required")
    await _save(session, fs, q, None, then_advance=True)
    await _advance(session, fs, q)


async def back(session: AsyncSession, fs: FormSession) -> None:
    """«Назад»: the previous question that applies; from an edit, back to the summary."""
    form = get_form(fs.form)
    _bump(fs)
    if fs.status == FormStatus.REVIEW and fs.current_question is not None:
        fs.current_question = None
        await store_changes(session, fs)
        return
    if fs.current_question is None:
        raise StaleButton(fs.id)
    stored = await raw_answers(session, fs.id)
    index = form.index(fs.current_question)
    for q in reversed(form.questions[:index]):
        if q.visible(stored):
            fs.current_question = q.id
            break
    await store_changes(session, fs)


async def edit(session: AsyncSession, fs: FormSession, question_id: str) -> None:
    """«Изменить» on the summary (or in /profile): ask one question again."""
    form = get_form(fs.form)
    q = form.question(question_id)
    stored = await raw_answers(session, fs.id)
    if q is None or not q.visible(stored):
        raise StaleButton(fs.id)
    if not q.before_consent and not await _consent_complete(session, fs):
        raise StaleButton(fs.id)
    if fs.status == FormStatus.IN_PROGRESS:
        raise StaleButton(fs.id)
    fs.status = FormStatus.REVIEW
    fs.current_question = q.id
    _bump(fs)
    await store_changes(session, fs)


async def confirm(session: AsyncSession, fs: FormSession) -> None:
    """«Подтвердить» on the summary: the form is complete; callbacks run."""
    if fs.status != FormStatus.REVIEW or fs.current_question is not None:
        raise StaleButton(fs.id)
    stored = await raw_answers(session, fs.id)
    missing = _first_missing(get_form(fs.form), stored)
    _bump(fs)
    if missing is not None:
        fs.current_question = missing
        fs.status = FormStatus.IN_PROGRESS
        await store_changes(session, fs)
        return
    await _complete(session, fs)
    await store_changes(session, fs)


async def _complete(session: AsyncSession, fs: FormSession) -> None:
    form = get_form(fs.form)
    stored = await raw_answers(session, fs.id)
    visible = {q.id for q in _visible(form, stored)}
    hidden = [qid for qid in stored if qid not in visible]
    if hidden:  # answers to questions that no longer apply are not kept
        await session.execute(
            delete(FormAnswer).where(
                FormAnswer.session_id == fs.id, FormAnswer.question_id.in_(hidden)
            )
        )
    fs.status = FormStatus.COMPLETED
    fs.current_question = None
    fs.completed_at = now()
    await store_changes(session, fs)
    result = await answers(session, fs)
    for callback in completion_callbacks(fs.form):
        await callback(session, fs, result)
