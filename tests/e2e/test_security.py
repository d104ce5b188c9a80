"""Buttons are authorised for the person pressing them, through the emulator: a real
button replayed by someone else, or pressed after the screen stopped being true, changes
nothing and gets a polite refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.texts import t
from storage.models import Programme
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.snapshot import dump as _dump

CURATOR = 760_001


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # A script presses buttons far faster than a person; the per-chat limit is not the subject.
    return {"rate_limits": False}


@pytest.fixture
def bot_settings(emulator: Any, db_url: str) -> Any:
    """The bot on every configured backend (SQLite, and PostgreSQL when it is set up)."""
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=db_url,
        webhook_secret="emulator-secret",
        throttle_rate=1000,
    )


async def _two_programmes(app: Any) -> None:
    """One school, two programmes with people in each; the curator works with the first."""
    async with app.db.session() as s:
        first = await make_programme(s, name="Программа Альфа", organisation="Школа № 7")
        second = Programme(
            organisation_id=first.organisation_id,
            name="Программа Бета",
            forms=["student_student"],
            timezone="Asia/Irkutsk",
            operator_name="Школа № 7",
        )
        s.add(second)
        await s.flush()
        await make_curator(s, first, tg_id=CURATOR)
        for n, programme in enumerate((first, second)):
            await make_participant(
                s, programme, "mentor", name=f"Наставник {n}", approved=True, grade=11
            )
            await make_participant(s, programme, "mentee", name=f"Ученик {n}", grade=8)


async def test_a_screen_of_one_programme_does_nothing_after_switching_to_another(
    emulator: Any, bot_app: Any
) -> None:
    """The screens of «Альфа» stay in the chat; the curator makes «Бета» current; a press
    on an old screen's button must not open a round, match, regenerate a link, start a
    broadcast or tick the checklist of «Бета» (nor of «Альфа», which the curator left)."""
    await _two_programmes(bot_app)
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    screens = {}
    for command, label in (
        ("preferences", t("prefs-btn-open", "ru")),
        ("invite", t("invite-btn-regen", "ru")),
        ("pairs", t("pairs-btn-run", "ru")),
        ("broadcast", t("broadcast-audience-all", "ru")),
        ("meeting", t("meeting-btn-new", "ru")),
    ):
        await curator.command(command)
        screens[label] = await curator.wait_for(
            predicate=lambda m, label=label: m.find_button(label) is not None
        )
    await curator.command("checklist")
    await curator.wait_for(predicate=lambda m: m.find_button("1") is not None)
    await curator.press("1")
    tick = re.compile("^" + re.escape(t("checklist-btn-tick", "ru", item="@")).split("@")[0])
    screens[tick] = await curator.wait_for(predicate=lambda m: m.find_button(tick) is not None)

    await curator.command("program")
    listing = t("program-btn-list", "ru")
    await curator.wait_for(predicate=lambda m: m.find_button(listing) is not None)
    await curator.press(listing)
    await curator.wait_for(predicate=lambda m: m.find_button("Программа Бета") is not None)
    await curator.press("Программа Бета")
    choose = t("program-btn-choose", "ru")
    await curator.wait_for(predicate=lambda m: m.find_button(choose) is not None)
    await curator.press(choose)

    before = await _dump(bot_app)
    refusal = t("curator-button-other-programme", "ru")
    for label, screen in screens.items():
        answer = await curator.press(label, message=screen)
        assert answer.alert == refusal, label
    assert await _dump(bot_app) == before
