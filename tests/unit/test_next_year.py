"""Next year: the long-term base of an organisation is invited to its new programme in one
step, through the outbox, with the new mentor link (consent asked again on joining);
another organisation's base and people already enrolled are left alone."""

from __future__ import annotations

import pytest

from bot.services.access import AccessDenied
from bot.services.clock import TestClock
from bot.services.next_year import invite_long_term_base
from storage.db import Database
from storage.models import Person, Programme
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.pairwork import outbox
from tests.support.report_fixture import NOW


async def test_the_base_is_invited_to_the_new_programme(
    db: Database, test_clock: TestClock
) -> None:
    test_clock.set(NOW)
    async with db.session() as s:
        old = await make_programme(s, name="Наставничество 2025/26")
        old.status = "finished"
        curator = await make_curator(s, old)
        new = Programme(
            organisation_id=old.organisation_id,
            name="Наставничество 2026/27",
            operator_name="МБОУ «Лицей № 1»",
            operator_details="8 (3953) 00-00-00",
        )
        s.add(new)
        await s.flush()
        curator.current_programme_id = new.id
        mentor = await make_participant(s, old, "mentor", name="Анна", in_long_term_base=True)
        former = await make_participant(
            s, old, "mentee", name="Боря", in_long_term_base=True, wants_to_mentor=True
        )
        await make_participant(s, old, "mentor", name="Не продолжает")
        enrolled = await make_participant(
            s, old, "mentor", name="Уже в новой", in_long_term_base=True
        )
        await make_participant(
            s, new, "mentor", name="Уже в новой", person=await s.get(Person, enrolled.person_id)
        )
        elsewhere = await make_programme(s, name="Чужая", organisation="Другая школа")
        await make_participant(s, elsewhere, "mentor", name="Чужой", in_long_term_base=True)
        stranger = await make_curator(s, elsewhere)
        with pytest.raises(AccessDenied):
            await invite_long_term_base(s, stranger, new.id, "nastavnik_bot")
        sent = await invite_long_term_base(s, curator, new.id, "nastavnik_bot")
        expected = {mentor.person_id, former.person_id}
    assert sent == 2
    async with db.read() as s:
        messages = await outbox(s, f"next-year:{new.id}:")
    assert {m.person_id for m in messages} == expected
    assert all("https://t.me/nastavnik_bot?start=" in m.payload["text"] for m in messages)
    assert all(
        "Согласие на обработку данных мы спросим заново" in m.payload["text"] for m in messages
    )
