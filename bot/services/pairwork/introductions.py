"""Introductions of a confirmed pair, and the methodological materials for mentors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.notify import notify
from bot.services.access import programme_curator_person_ids, require_programme
from bot.services.buttons import ActionButton
from bot.services.enrolment.parents import tell_parents_about_pair
from bot.services.names import gender_of
from bot.services.pairwork.contacts import visible_contact
from bot.services.pairwork.cycle import (
    Member,
    PairView,
    WrongState,
    button,
    markup,
    pairs_of_person,
)
from bot.texts import esc, t
from storage.models import AuditRecord, Person, Programme

LINK_MAX = 1000


async def curator_line(session: AsyncSession, programme: Programme, locale: str) -> str:
    ids = await programme_curator_person_ids(session, programme.id)
    if not ids:
        return t("pairs-intro-curator-unknown", locale)
    person = await session.get(Person, ids[0])
    assert person is not None
    name = esc(person.full_name or t("pairs-intro-curator-noname", locale))
    if person.username:
        return t("pairs-intro-curator-with-username", locale, name=name, username=person.username)
    return t("pairs-intro-curator", locale, name=name)


async def _person_card(
    session: AsyncSession, view: PairView, viewer: Member, member: Member, locale: str
) -> tuple[str, bool]:
    """A member as another member sees them: the name, and the contact only as the
    contacts policy allows; and whether the viewer should write through the bot instead."""
    lines = [f"• <b>{esc(member.name)}</b>"]
    contact = await visible_contact(session, view, viewer, member)
    if contact:
        lines.append(t("pairs-intro-contacts", locale, contacts=esc(contact)))
    # Mentor and mentee write to each other; co-mentees of a group do not.
    via_bot = not contact and (viewer is view.mentor or member is view.mentor)
    return "\n".join(lines), via_bot


async def _people(
    session: AsyncSession, view: PairView, viewer: Member, locale: str
) -> dict[str, str]:
    """The other members as the viewer sees them. A mentee sees the mentor named as such
    and the rest of a group apart; a mentor sees the mentee, or the mentees of a group."""
    mentor_card, mentor_via_bot = ("", False)
    if viewer is not view.mentor:
        mentor_card, mentor_via_bot = await _person_card(session, view, viewer, view.mentor, locale)
    cards = [
        await _person_card(session, view, viewer, m, locale)
        for m in view.mentees
        if m is not viewer
    ]
    people = "\n".join(card for card, _ in cards)
    note = (
        "\n\n" + t("contacts-via-bot", locale)
        if mentor_via_bot or any(via_bot for _, via_bot in cards)
        else ""
    )
    if viewer is view.mentor:
        return {"people": people + note, "mentor": "", "others": ""}
    others = "\n\n" + t("pairs-intro-group-others", locale, people=people) if people else ""
    return {"people": people, "mentor": mentor_card, "others": others + note}


def write_button(view: PairView, member: Member, locale: str) -> ActionButton:
    """«✉️ Написать …» for a member of the pair (a group's mentor chooses whom next)."""
    if member is not view.mentor:
        key = "relay-btn-to-mentor"
    elif len(view.mentees) > 1:
        key = "relay-btn-to-mentees"
    else:
        key = "relay-btn-to-mentee"
    return button(t(key, locale), "wr", view.pair.id)


def materials_text(programme: Programme, locale: str) -> str:
    text = t("pairs-tips", locale)
    if programme.materials_link:
        text += "\n\n" + t("pairs-materials-link", locale, link=esc(programme.materials_link))
    return text


async def introduce_pair(session: AsyncSession, view: PairView) -> int:
    """Send each member who the others are; returns how many messages were queued."""
    queued = 0
    curator_by_locale: dict[str, str] = {}
    for member in view.reachable():
        assert member.person is not None
        locale = member.locale
        if locale not in curator_by_locale:
            curator_by_locale[locale] = await curator_line(session, view.programme, locale)
        is_mentor = member is view.mentor
        key = "pairs-intro-mentor" if is_mentor else "pairs-intro-mentee"
        text = t(
            key,
            locale,
            programme=esc(view.programme.name),
            curator=curator_by_locale[locale],
            shape="group" if len(view.mentees) > 1 else "pair",
            mentee_gender=gender_of(view.mentees[0].name if view.mentees else "").value,
            **await _people(session, view, member, locale),
        )
        buttons = [button(t("pairs-btn-meetings", locale), "menu", view.pair.id, "n")]
        rows = [[write_button(view, member, locale)], buttons]
        if is_mentor:
            text += "\n\n" + materials_text(view.programme, locale)
            rows.insert(0, [button(t("pairs-btn-propose", locale), "prop", view.pair.id, "n")])
            if view.programme.materials_file_id:
                rows.append([button(t("pairs-btn-materials", locale), "mat", view.programme.id)])
        if await notify(
            session,
            person=member.person,
            key=f"intro:{view.pair.id}:{member.person.id}",
            text=text,
            programme=view.programme,
            reply_markup=markup(*rows),
            kind="intro",
        ):
            queued += 1
    await tell_parents_about_pair(session, view)  # a minor's parent hears who the mentor is
    return queued


@dataclass(frozen=True)
class Materials:
    programme_id: int
    link: str | None
    file_id: str | None


async def materials_of(session: AsyncSession, programme_id: int) -> Materials:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        return Materials(programme_id, None, None)
    return Materials(programme.id, programme.materials_link, programme.materials_file_id)


async def materials_for_mentor(
    session: AsyncSession, person_id: int, programme_id: int
) -> Materials:
    """The materials behind a mentor's «Материалы» button: only for a mentor of a working
    pair of that programme, and only when the curator attached something."""
    mentor_here = any(
        view.programme.id == programme_id and view.role_of(person_id) == "mentor"
        for view in await pairs_of_person(session, person_id)
    )
    found = await materials_of(session, programme_id)
    if not mentor_here or not (found.file_id or found.link):
        raise WrongState("materials")
    return found


async def set_materials(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    *,
    link: str | None = None,
    file_id: str | None = None,
    clear: bool = False,
) -> Materials:
    """The curator attaches a link or a file of methodological materials for mentors."""
    programme = await require_programme(session, actor.id, programme_id)
    if clear:
        programme.materials_link = None
        programme.materials_file_id = None
    if link is not None:
        programme.materials_link = link.strip()[:LINK_MAX]
    if file_id is not None:
        programme.materials_file_id = file_id
    session.add(
        AuditRecord(
            programme_id=programme.id,
            actor_person_id=actor.id,
            action="materials_clear" if clear else "materials_set",
            details={"link": link is not None, "file": file_id is not None},
        )
    )
    await session.flush()
    return Materials(programme.id, programme.materials_link, programme.materials_file_id)
