"""Texts and keyboards of the participant's screens (rendering only, no decisions)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.forms import ConsentCb, step_keyboard, yes_no
from bot.services import vocabulary
from bot.services.access import programme_curator_person_ids
from bot.services.enrolment import joining as enrolment
from bot.services.enrolment.consent import PARENT_PREFIX
from bot.services.enrolment.invitations import deep_links
from bot.services.forms import STEP_COMPLETED, STEP_QUESTION, STEP_REVIEW, Step
from bot.services.privacy import retention
from bot.texts import esc, shorten, t
from storage import statements
from storage.models import Participant, Person, Programme

REVIEW_ANSWER_MAX = 200
MESSAGE_MAX = 4000


async def programme_prefix(session: AsyncSession, participant: Participant) -> str:
    """«Programme» on a line of its own to put before the participant's messages when
    the person is in more than one programme (one plain read on every step)."""
    names = (
        await enrolment.programme_names(session, participant.person_id)
        if participant.person_id is not None
        else {}
    )
    if len(names) <= 1:
        return ""
    name = names.get(participant.programme_id)
    if name is None:  # a withdrawn participation is not among them
        programme = await session.get(Programme, participant.programme_id)
        if programme is None:
            return ""
        name = programme.name
    return t("journey-programme-prefix", None, programme=esc(name)) + "\n"


def _clip(text: str, limit: int) -> str:
    return shorten(text, limit)


def step_text(step: Step, locale: str) -> str:
    if step.kind == STEP_QUESTION and step.question is not None:
        q = step.question
        lines = [
            f"<i>{t('forms-progress', locale, number=step.number, total=step.total)}</i>",
            "",
            f"<b>{esc(q.prompt(locale))}</b>",
        ]
        hint = q.hint_text(locale)
        if hint:
            lines.append(esc(hint))
        if q.type == "multi":
            lines.append(t("forms-multi-hint", locale))
        elif q.type == "text":
            lines.append(t("forms-type-hint-text", locale))
        elif q.type == "number":
            lines.append(t("forms-type-hint-number", locale))
        elif q.type == "date":
            lines.append(t("forms-type-hint-date", locale))
        if step.value not in (None, "", []):
            from bot.services.forms import show

            lines.append(
                t(
                    "forms-current-answer",
                    locale,
                    answer=_clip(show(q, step.value, step.options, locale), REVIEW_ANSWER_MAX),
                )
            )
        return "\n".join(lines)
    if step.kind == STEP_REVIEW:
        head = t("forms-review-title", locale, title=esc(step.form.title_text(locale)))
        items = [
            f"{item.number}. {esc(item.question.prompt(locale))}\n"
            f"<b>{_clip(item.shown, REVIEW_ANSWER_MAX)}</b>"
            for item in step.review
        ]
        body = "\n\n".join(items)
        text = f"{head}\n\n{body}\n\n{t('forms-review-footer', locale)}"
        if len(text) > MESSAGE_MAX:
            text = _clip(text, MESSAGE_MAX)
        return text
    if step.kind == STEP_COMPLETED:
        return esc(step.form.done_text(locale) or "") or t("forms-completed", locale)
    return ""


def step_markup(step: Step, locale: str) -> InlineKeyboardMarkup | None:
    return step_keyboard(step, locale)


async def about_text(session: AsyncSession, programme: Programme, role: str, locale: str) -> str:
    goals = (
        t("journey-about-goals", locale, goals=esc(programme.goals))
        if programme.goals
        else t("journey-about-no-goals", locale)
    )
    forms = ", ".join(vocabulary.label("form", str(code), locale) for code in programme.forms or [])
    names = []
    for pid in await programme_curator_person_ids(session, programme.id):
        curator = await statements.get(session, Person, pid)
        if curator is not None and curator.full_name:
            names.append(esc(curator.full_name))
    # A mentee may be a child of ten: plain words, no legal terms and no list of forms.
    return t(
        "journey-about-mentee" if role == "mentee" else "journey-about",
        locale,
        programme=esc(programme.name),
        role=t(f"journey-role-{role}", locale),
        goals=goals,
        forms=esc(forms) or "—",
        days=programme.feedback_cadence_days or 14,
        curator=", ".join(names) or t("journey-curator-unknown", locale),
    )


def retention_terms(locale: str) -> dict[str, str]:
    """The terms the consent text states, as the retention job applies them."""
    terms = retention.terms()
    return {
        "keep_term": retention.term_text(terms.after_programme_days, locale),
        "pending_term": retention.term_text(terms.unconsented_days, locale),
    }


def consent_text(programme: Programme, locale: str) -> str:
    return t(
        "journey-consent",
        locale,
        operator=esc(programme.operator_name or programme.name),
        operator_details=esc(programme.operator_details or ""),
        programme=esc(programme.name),
        **retention_terms(locale),
    )


def simple_consent_text(programme: Programme, locale: str) -> str:
    return t(
        "journey-consent-simple",
        locale,
        operator=esc(programme.operator_name or programme.name),
        operator_details=esc(programme.operator_details or "—"),
        programme=esc(programme.name),
        **retention_terms(locale),
    )


def own_consent_view(
    participant: Participant, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The participant's own consent. The age is not asked before consent (only the name
    is kept until then), yet it decides whether a parent must consent too: so the
    agreement itself says whether the person is 18 — the answer arrives with the
    agreement and is stored only with it."""
    simple = participant.role == "mentee"
    if simple:
        # A mentee reads what the consent means in plain words; the legal text, the same
        # version that is stored with the decision, is one button away.
        text = simple_consent_text(programme, locale)
        text += "\n\n" + t("journey-consent-simple-age-note", locale)
    else:
        text = consent_text(programme, locale) + "\n\n" + t("journey-consent-age-note", locale)
    full = [
        [
            InlineKeyboardButton(
                text=t("journey-btn-consent-full", locale),
                callback_data=ConsentCb(p=participant.id, a="full").pack(),
            )
        ]
    ]
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("journey-btn-agree-adult", locale),
                    callback_data=ConsentCb(p=participant.id, a="adult").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("journey-btn-agree-minor", locale),
                    callback_data=ConsentCb(p=participant.id, a="minor").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("journey-btn-decline", locale),
                    callback_data=ConsentCb(p=participant.id, a="no").pack(),
                )
            ],
            *(full if simple else []),
        ]
    )
    return text, markup


def consent_view(
    participant: Participant, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    text = consent_text(programme, locale)
    if participant.is_minor:
        text += "\n\n" + t("journey-consent-minor-note", locale)
    markup = yes_no(
        ConsentCb(p=participant.id, a="yes"),
        ConsentCb(p=participant.id, a="no"),
        t("journey-btn-agree", locale),
        t("journey-btn-decline", locale),
    )
    return text, markup


def parent_link(bot_username: str, code: str, locale: str) -> str:
    """The parent's link, for each messenger the bot serves (a child in one messenger
    can have a parent in the other)."""
    return deep_links(bot_username, f"{PARENT_PREFIX}{code}", locale)
