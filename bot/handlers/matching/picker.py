"""The participants' preference picker: choose and rank people, undo, done."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import PickCb, button, markup, short
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.matching import preference_round as svc
from bot.texts import esc, t
from storage.models import Person

router = Handlers(__name__)


def picker_view(view: svc.PickerView, locale: str) -> tuple[str, InlineKeyboardMarkup]:
    role = view.chooser.role
    lines = [
        t(f"prefs-picker-head-{role}", locale, programme=esc(view.programme.name), limit=view.limit)
    ]
    if view.chosen:
        lines.append(t("prefs-picker-chosen", locale))
        lines.extend(f"{i}. {esc(p.display_name or '—')}" for i, p in enumerate(view.chosen, 1))
    else:
        lines.append(t("prefs-picker-nobody", locale))
    r, c = view.round_id, view.chooser.id
    rows = []
    if view.closed:
        lines.append(t("prefs-picker-closed", locale))
        return "\n".join(lines), markup([])
    if view.done:
        lines.append(t("prefs-picker-done", locale))
        rows.append([button(t("prefs-btn-edit", locale), PickCb(action="edit", r=r, c=c))])
        return "\n".join(lines), markup(rows)
    room = len(view.chosen) < view.limit
    if room:
        lines.append(t("prefs-picker-next", locale, place=len(view.chosen) + 1))
        lines.extend(
            f"• <b>{esc(p.display_name or '—')}</b>"
            + (f" — {view.about[p.id]}" if view.about.get(p.id) else "")
            for p in view.candidates
        )
        for p in view.candidates:
            rows.append(
                [
                    button(
                        short(p.display_name), PickCb(action="pick", r=r, c=c, t=p.id, p=view.page)
                    )
                ]
            )
        if view.pages > 1:
            nav = []
            if view.page > 0:
                nav.append(button("‹", PickCb(action="page", r=r, c=c, p=view.page - 1)))
            nav.append(
                button(
                    f"{view.page + 1}/{view.pages}", PickCb(action="page", r=r, c=c, p=view.page)
                )
            )
            if view.page < view.pages - 1:
                nav.append(button("›", PickCb(action="page", r=r, c=c, p=view.page + 1)))
            rows.append(nav)
    else:
        lines.append(t("prefs-picker-full", locale))
    tail = []
    if view.chosen:
        tail.append(button(t("prefs-btn-undo", locale), PickCb(action="undo", r=r, c=c)))
    tail.append(button(t("prefs-btn-done", locale), PickCb(action="done", r=r, c=c)))
    rows.append(tail)
    return "\n".join(lines), markup(rows)


@router.callback_query(PickCb.filter())
async def picker_action(
    query: CallbackQuery, callback_data: PickCb, session: AsyncSession, person: Person, locale: str
) -> None:
    r, c = callback_data.r, callback_data.c
    action = callback_data.action
    if action in ("show", "page"):
        view = await svc.picker(session, person, r, c, callback_data.p)
    elif action == "pick":
        view = await svc.pick(session, person, r, c, callback_data.t)
    elif action == "undo":
        view = await svc.undo(session, person, r, c)
    elif action == "done":
        view = await svc.finish(session, person, r, c)
    elif action == "edit":
        view = await svc.reopen(session, person, r, c)
    else:
        raise NotAllowedNow("button-stale")
    text, kb = picker_view(view, locale)
    await show(query, text, kb)
