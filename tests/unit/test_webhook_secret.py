"""WEBHOOK_SECRET: what is refused, and the .env file `make webhook` fills in."""

from __future__ import annotations

import re
from pathlib import Path

from bot.webhook_secret import ensure_in_env_file, problem


def test_a_missing_or_malformed_secret_is_refused_with_a_way_to_make_one() -> None:
    for missing in (None, ""):
        message = problem(missing)
        assert message is not None and "WEBHOOK_SECRET не задан" in message
        assert "secrets.token_urlsafe(32)" in message
    # Bot API, setWebhook: secret_token is 1-256 characters, only A-Z, a-z, 0-9, _ and -.
    assert problem("with space") is not None
    assert problem("x" * 257) is not None
    assert problem("Abc_09-z") is None


def test_an_empty_line_in_env_gets_a_new_secret_and_a_set_one_is_kept(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("BOT_TOKEN=1:x\nWEBHOOK_SECRET=\nLOG_LEVEL=INFO\n", encoding="utf-8")
    assert ensure_in_env_file(env)
    lines = env.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "BOT_TOKEN=1:x" and lines[2] == "LOG_LEVEL=INFO"
    secret = lines[1].removeprefix("WEBHOOK_SECRET=")
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,256}", secret)
    assert not ensure_in_env_file(env)
    assert env.read_text(encoding="utf-8").splitlines()[1] == f"WEBHOOK_SECRET={secret}"


def test_no_env_file_gets_one_with_the_secret(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    assert ensure_in_env_file(env)
    assert env.read_text(encoding="utf-8").startswith("WEBHOOK_SECRET=")


def test_a_new_env_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    ensure_in_env_file(env)
    assert env.stat().st_mode & 0o077 == 0
