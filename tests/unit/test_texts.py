"""Texts: both locales parse, have the same keys, and fall back to Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings
from bot.texts import LOCALES_DIR, MissingText, esc, normalize_locale, t

KEY = re.compile(r"^([a-z][a-z0-9-]*)\s*=", re.MULTILINE)


def _keys(locale: str) -> set[str]:
    keys: set[str] = set()
    for path in LOCALES_DIR.joinpath(locale).glob("*.ftl"):
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_locales_have_the_same_keys() -> None:
    ru, en = _keys("ru"), _keys("en")
    assert ru, "no Russian texts"
    assert ru - en == set(), f"missing in en: {sorted(ru - en)}"
    assert en - ru == set(), f"missing in ru: {sorted(en - ru)}"


def test_every_text_formats() -> None:
    for locale in ("ru", "en"):
        for key in _keys(locale):
            assert t(key, locale).strip() or key.endswith("-empty")


def test_russian_is_default_and_english_is_picked() -> None:
    assert "Здравствуйте" in t("start-no-invitation")
    assert "Hello" in t("start-no-invitation", "en")
    assert normalize_locale("en-US") == "en"
    assert normalize_locale("de") == "ru"
    assert normalize_locale(None) == "ru"


def test_missing_key() -> None:
    with pytest.raises(MissingText):
        t("no-such-text")


def test_escape() -> None:
    assert esc("<b>Вася & Co</b>") == "&lt;b&gt;Вася &amp; Co&lt;/b&gt;"


def test_settings_parse_id_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATOR_IDS", "1, 2;3")
    monkeypatch.setenv("COORDINATOR_IDS", "")
    monkeypatch.setenv("BOT_TOKEN", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.curator_ids == [1, 2, 3]
    assert settings.coordinator_ids == []
    assert settings.bot_token is None
    assert settings.database_url.startswith("sqlite+aiosqlite")


def test_every_command_is_in_a_menu_and_in_help() -> None:
    """A command the bot handles is one a person can find: in the menu and in /help."""
    import re
    from pathlib import Path

    from bot.commands import CURATOR_COMMANDS, PARTICIPANT_COMMANDS

    handlers = Path(__file__).resolve().parents[2] / "bot" / "handlers"
    handled = {
        name
        for path in handlers.rglob("*.py")
        for name in re.findall(r'Command\("(\w+)"\)', path.read_text(encoding="utf-8"))
    }
    menus = set(PARTICIPANT_COMMANDS) | set(CURATOR_COMMANDS)
    assert handled - menus == set()
    for locale in ("ru", "en"):
        help_text = t("help-participant", locale) + t("help-curator", locale)
        missing = [name for name in sorted(handled) if f"/{name}" not in help_text]
        assert missing == [], locale


def test_variables_of_a_text_and_a_pattern_that_matches_it_with_any_values() -> None:
    from bot.playbook.hands import pattern
    from bot.texts import variables

    assert variables("forms-progress") == ["number", "total"]
    assert variables("start-no-invitation") == []
    progress = pattern("forms-progress")
    assert progress.fullmatch("Вопрос 3 из 10")
    assert not progress.search("Вопрос три")
    # <b>…</b> is what the bot sends; the pattern is for what a person reads.
    finished = pattern("pairs-finish-finished", programme="Наставничество 2026/27")
    assert finished.search(
        "Программа «Наставничество 2026/27» завершена.\nИтоговая анкета: 1 из 4 (25%).\n"
        "Хотят стать наставниками: 0."
    )
    assert not finished.search("Программа «Другая» завершена.")


def test_a_text_without_arguments_is_read_again_after_a_reload(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Texts without arguments are kept once looked up; `reload_texts` forgets them, and
    a child's register still picks the child's variant."""
    from bot import texts

    for locale in ("ru", "en"):
        tmp_path.joinpath(locale).mkdir()
    ftl = tmp_path / "ru" / "x.ftl"
    ftl.write_text("greet = Здравствуйте\ngreet-child = Привет\n", encoding="utf-8")
    monkeypatch.setattr(texts, "LOCALES_DIR", tmp_path)
    texts.reload_texts()
    try:
        assert t("greet", "ru") == "Здравствуйте"
        assert t("greet", "ru-x-child") == "Привет"
        assert t("greet", "en") == "Здравствуйте"  # Russian when English has none
        ftl.write_text("greet = Добрый день\n", encoding="utf-8")
        assert t("greet", "ru") == "Здравствуйте"  # kept
        texts.reload_texts()
        assert t("greet", "ru") == "Добрый день"
        assert t("greet", "ru-x-child") == "Добрый день"
    finally:
        monkeypatch.undo()
        texts.reload_texts()
