"""`/invite`: deep links and printable QR codes per role; revoke and issue a new link."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, programme_or_hint, show
from bot.handlers.programme.programmes import details_button
from bot.handlers.routing import Handlers
from bot.keyboards.curator import InvCb, button, markup
from bot.services.access import button_programme, is_coordinator
from bot.services.completion import next_year
from bot.services.enrolment.invitations import deep_link, deep_links
from bot.services.messenger import current, other_links
from bot.services.programme import programmes as svc
from bot.services.programme import staff
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)


async def _username(bot: Bot) -> str:
    return (await bot.me()).username or "bot"


async def invite_view(
    session: AsyncSession, bot: Bot, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    links = await svc.invite_links(session, person, programme.id)
    username = await _username(bot)
    lines = [t("invite-title", locale, programme=esc(programme.name))]
    rows = []
    for link in links:
        lines.append(
            t(
                f"invite-line-{link.kind.replace('_', '-')}",
                locale,
                link=deep_links(username, link.code, locale),
                uses=link.uses,
            )
        )
        name = t(f"invite-role-{link.kind.replace('_', '-')}", locale)
        rows.append(
            [
                button(
                    t("invite-btn-qr", locale, role=name),
                    InvCb(action="qr", kind=link.kind, id=programme.id),
                ),
                button(
                    t("invite-btn-regen", locale),
                    InvCb(action="regen", kind=link.kind, id=programme.id),
                ),
            ]
        )
    base = await next_year.base_size(session, person, programme.id)
    if base:
        rows.append(
            [
                button(
                    t("invite-btn-base", locale, count=base),
                    InvCb(action="base", id=programme.id),
                )
            ]
        )
    if await is_coordinator(session, person.id):
        rows.append(
            [
                button(
                    t("invite-btn-curator", locale),
                    InvCb(action="curator", id=programme.organisation_id),
                )
            ]
        )
    lines.append(t("invite-hint", locale))
    return "\n\n".join(lines), markup(rows)


@router.message(Command("invite"))
async def invite_command(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await forget(state, session)
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    try:
        text, kb = await invite_view(session, bot, person, programme, locale)
    except svc.DetailsMissing as missing:
        text, kb = details_first(programme, missing, locale)
    await message.answer(text, reply_markup=kb)


def details_first(
    programme: Programme, missing: svc.DetailsMissing, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """No links while the consent would not name the organisation and the operator."""
    fields = ", ".join(
        t(f"program-field-{step.replace('_', '-')}", locale) for step in missing.steps
    )
    text = t("invite-details-missing", locale, programme=esc(programme.name), fields=fields)
    return text, markup([[details_button(programme.id, missing.steps[0], locale)]])


@router.callback_query(InvCb.filter(F.action.in_({"qr", "regen"})))
async def invite_action(
    query: CallbackQuery,
    callback_data: InvCb,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    try:
        if callback_data.action == "regen":
            await svc.regenerate_link(session, person, programme.id, callback_data.kind)
            text, kb = await invite_view(session, bot, person, programme, locale)
            await show(query, t("invite-regenerated", locale) + "\n\n" + text, kb)
            return
        link = await svc.link_for(session, person, programme.id, callback_data.kind)
    except svc.DetailsMissing as missing:
        await show(query, *details_first(programme, missing, locale))
        return
    # A QR code per messenger the bot serves: the code works in either.
    urls = [(current(), deep_link(await _username(bot), link.code)), *other_links(link.code)]
    for messenger, url in urls:
        shown = t(f"invite-link-in-{messenger}", locale, link=url) if len(urls) > 1 else url
        caption = t(
            "invite-qr-caption",
            locale,
            role=t(f"invite-role-{link.kind.replace('_', '-')}", locale),
            programme=esc(programme.name),
            link=shown,
        )
        if isinstance(query.message, Message):
            await query.message.answer_photo(
                BufferedInputFile(svc.qr_png(url), filename=f"invite-{link.kind}-{messenger}.png"),
                caption=caption,
            )
    await query.answer()


@router.callback_query(InvCb.filter(F.action == "curator"))
async def invite_curator(
    query: CallbackQuery,
    callback_data: InvCb,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    invitation = await staff.curator_invitation(session, person, callback_data.id)
    # The new curator may use either messenger when the bot serves both.
    links = deep_links(await _username(bot), invitation.code, locale)
    if isinstance(query.message, Message):
        await query.message.answer(t("invite-curator-link", locale, link=links))
    await query.answer()


@router.callback_query(InvCb.filter(F.action == "base"))
async def invite_base(
    query: CallbackQuery,
    callback_data: InvCb,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    count = await next_year.invite_long_term_base(
        session, person, programme.id, await _username(bot)
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("invite-base-sent", locale, count=count))
