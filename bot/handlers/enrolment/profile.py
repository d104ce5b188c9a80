"""/profile: each programme the person is in, with status, pair and answers to edit."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.common import concern_markup
from bot.handlers.routing import Handlers
from bot.keyboards.forms import EDIT_PER_ROW, FormCb
from bot.services import forms
from bot.services.enrolment import joining as enrolment
from bot.services.enrolment import profiles
from bot.texts import esc, t
from storage.models import FormStatus, Person

router = Handlers(__name__)
ANSWER_MAX = 150


@router.message(Command("profile"))
async def profile(message: Message, session: AsyncSession, person: Person, locale: str) -> None:
    parts = await enrolment.participations(session, person.id)
    if not parts:
        await message.answer(t("journey-profile-none", locale))
        return
    for participant, programme in parts:
        lines = [
            t(
                "journey-profile-title",
                locale,
                programme=esc(programme.name),
                role=t(f"journey-role-{participant.role}", locale),
            ),
            t(
                "journey-profile-status",
                locale,
                status=t(f"journey-status-{participant.status.replace('_', '-')}", locale),
            ),
        ]
        if participant.role == "mentor":
            lines.append(
                t(
                    "journey-profile-registry",
                    locale,
                    registry=t(f"journey-registry-{participant.registry_status}", locale),
                )
            )
        partners = await profiles.partner_names(session, participant.id)
        lines.append(
            t(
                "journey-profile-pair",
                locale,
                pair=", ".join(esc(n) for n in partners) or t("journey-profile-no-pair", locale),
            )
        )
        rows: list[list[InlineKeyboardButton]] = []
        fs = await forms.find_session(
            session, participant.id, enrolment.PROFILE_FORMS[participant.role]
        )
        if fs is not None:
            items = await forms.review_items(session, fs, locale)
            answered = [
                i for i in items if i.question.id in await forms.raw_answers(session, fs.id)
            ]
            if answered:
                lines.append("")
                for item in answered:
                    shown = (
                        item.shown
                        if len(item.shown) <= ANSWER_MAX
                        else item.shown[:ANSWER_MAX] + "…"
                    )
                    lines.append(
                        f"{item.number}. {esc(item.question.prompt(locale))}\n<b>{shown}</b>"
                    )
            editable = fs.status != FormStatus.IN_PROGRESS
            if editable and answered:
                lines.append("")
                lines.append(t("journey-profile-answers-hint", locale))
                buttons = [
                    InlineKeyboardButton(
                        text=t("forms-btn-edit", locale, number=item.number),
                        callback_data=FormCb(s=fs.id, v=fs.version, a="edit", i=index).pack(),
                    )
                    for index, item in enumerate(items)
                ]
                rows.extend(
                    buttons[i : i + EDIT_PER_ROW] for i in range(0, len(buttons), EDIT_PER_ROW)
                )
            if not participant.profile_complete:
                rows.append(
                    [
                        InlineKeyboardButton(
                            text=t("journey-btn-continue", locale),
                            callback_data=FormCb(s=fs.id, v=fs.version, a="open").pack(),
                        )
                    ]
                )
        concern = await concern_markup(session, person, locale, participant.id)
        if concern is not None:
            rows.extend(concern.inline_keyboard)
        text = "\n".join(lines)
        if len(text) > 4000:
            text = text[:3999] + "…"
        await message.answer(
            text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
        )
