"""/start without an invitation, /help, /settings, and the friendly fallback."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.services.people import staff_roles
from bot.texts import CHILD, normalize_locale, reader_locale, register_of, t
from storage.models import Person, StaffRole

router = Handlers(__name__)
router.message.filter(F.chat.type == "private")


class SettingsAction(CallbackData, prefix="set"):
    action: str  # lang | rem


@router.message(CommandStart())
async def start(message: Message, session: AsyncSession, person: Person, locale: str) -> None:
    roles = await staff_roles(session, person.id)
    if roles:
        role = StaffRole.COORDINATOR if StaffRole.COORDINATOR in roles else StaffRole.CURATOR
        await message.answer(t("start-staff", locale, role=t(f"role-{role}", locale)))
        return
    await message.answer(t("start-no-invitation", locale))


@router.message(Command("help"))
async def help_(message: Message, session: AsyncSession, person: Person, locale: str) -> None:
    parts = [t("help-title", locale), t("help-participant", locale)]
    if await staff_roles(session, person.id):
        parts.append(t("help-curator", locale))
    markup = await concern_markup(session, person, locale)
    if markup is not None:
        parts.append(t("cases-help-hint", locale))
    await message.answer("\n\n".join(parts), reply_markup=markup)


async def concern_markup(
    session: AsyncSession, person: Person, locale: str, participant_id: int | None = None
) -> InlineKeyboardMarkup | None:
    """«😟 Мне некомфортно» for each programme the person takes part in (or just one)."""
    from bot.handlers.pairwork.callbacks import btn
    from bot.services.pairwork.cases import concern_targets

    targets = [
        target
        for target in await concern_targets(session, person.id)
        if participant_id is None or target.participant_id == participant_id
    ]
    if not targets:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [btn(t("cases-btn-concern", locale), "cw", target.participant_id)] for target in targets
        ]
    )


def _settings_view(person: Person, locale: str) -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "settings-title",
        locale,
        language=t(f"settings-language-{locale}", locale),
        reminders=t(
            "settings-reminders-on" if person.reminders_enabled else "settings-reminders-off",
            locale,
        ),
    )
    text += "\n" + t("settings-reminders-note", locale)
    rem_key = (
        "settings-btn-reminders-off" if person.reminders_enabled else "settings-btn-reminders-on"
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("settings-btn-language", locale),
                    callback_data=SettingsAction(action="lang").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t(rem_key, locale), callback_data=SettingsAction(action="rem").pack()
                )
            ],
        ]
    )
    return text, markup


@router.message(Command("settings"))
async def settings(message: Message, person: Person, locale: str) -> None:
    text, markup = _settings_view(person, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(SettingsAction.filter())
async def settings_change(
    query: CallbackQuery, callback_data: SettingsAction, person: Person, locale: str
) -> None:
    if callback_data.action == "lang":
        person.locale = "en" if normalize_locale(locale) == "ru" else "ru"
        # The reader's register stays (a child keeps «ты» in Russian).
        locale = reader_locale(person.locale, child=register_of(locale) == CHILD)
    elif callback_data.action == "rem":
        person.reminders_enabled = not person.reminders_enabled
    else:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    text, markup = _settings_view(person, locale)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)
    await query.answer(t("settings-saved", locale))


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message, locale: str) -> None:
    await message.answer(t("unknown-command", locale))


@router.message()
async def anything_else(message: Message, locale: str) -> None:
    await message.answer(t("unknown-text", locale))


@router.callback_query()
async def unknown_button(query: CallbackQuery, locale: str) -> None:
    await query.answer(t("button-stale", locale), show_alert=True)
