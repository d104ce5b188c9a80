"""Curators: who has not answered a feedback round or the final survey, and «Напомнить им»."""

from __future__ import annotations

from aiogram import F
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.console import denied, edit_or_send
from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied
from bot.services.feedback import silent as svc
from bot.services.pairwork.cycle import WrongState
from bot.texts import esc, t
from storage.models import Person

router = Handlers(__name__)

NAMES_SHOWN = 60
KINDS = {"silfr": svc.FEEDBACK, "silfin": svc.FINAL, "remfr": svc.FEEDBACK, "remfin": svc.FINAL}
REMIND = {svc.FEEDBACK: "remfr", svc.FINAL: "remfin"}
BACK = {svc.FEEDBACK: "frhome", svc.FINAL: "finhome"}


def silent_view(found: svc.Silent, locale: str, note: str = "") -> tuple[str, InlineKeyboardMarkup]:
    """The names (the preview of the reminder: who and how many) and «Напомнить им»."""
    head = (
        t("silent-title-feedback", locale, number=found.number)
        if found.kind == svc.FEEDBACK
        else t("silent-title-final", locale, programme=esc(found.programme.name))
    )
    lines = [note + head if note else head]
    lines.append(t("silent-count", locale, count=len(found.people), asked=found.asked))
    lines.extend(
        f"• {esc(one.name or '—')} · {t(f'role-short-{one.role}', locale)}"
        for one in found.people[:NAMES_SHOWN]
    )
    if len(found.people) > NAMES_SHOWN:
        lines.append(t("silent-more", locale, count=len(found.people) - NAMES_SHOWN))
    back_to = found.programme.id
    rows = []
    if found.people:
        lines.append(t("silent-remind-rules", locale))
        rows.append(
            [
                btn(
                    t("silent-btn-remind", locale, count=len(found.people)),
                    REMIND[found.kind],
                    found.target_id,
                )
            ]
        )
    rows.append([btn(t("button-back", locale), BACK[found.kind], back_to)])
    return "\n".join(lines), kb(*rows)


@router.callback_query(PairAction.filter(F.action.in_({"silfr", "silfin", "remfr", "remfin"})))
async def silent_ones(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    kind = KINDS[callback_data.action]
    note = ""
    try:
        if callback_data.action.startswith("rem"):
            done = await svc.remind_silent(session, person, kind, callback_data.id)
            note = t("silent-reminded", locale, queued=done.queued, skipped=done.skipped) + "\n\n"
        found = await svc.silent(session, person, kind, callback_data.id)
    except (AccessDenied, WrongState):
        await denied(query, locale)
        return
    text, markup = silent_view(found, locale, note)
    await edit_or_send(query, text, markup)
    await query.answer()
