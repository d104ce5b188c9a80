"""The webhook's shared secret: required, checked, and generated into `.env` on request.

Telegram puts the secret given to setWebhook in the `X-Telegram-Bot-Api-Secret-Token`
header of every delivery. Without one the webhook's address is all an outsider needs to
send updates "from" anyone (a curator's /invite included), so webhook mode does not start
without it.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

# What Telegram accepts in setWebhook's secret_token (Bot API: 1-256 characters A-Z, a-z,
# 0-9, _ and -).
ALLOWED = re.compile(r"[A-Za-z0-9_-]{1,256}")
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'

MISSING = (
    "WEBHOOK_SECRET не задан: без него любой, кто узнает адрес webhook, сможет присылать боту "
    "поддельные сообщения от имени куратора или участника. Задайте секрет в файле .env "
    "(WEBHOOK_SECRET=...) или в окружении; придумать его поможет команда\n"
    f"    {GENERATE}\n"
    "(`make webhook` сам запишет новый секрет в .env, если его там нет)."
)
MALFORMED = (
    "WEBHOOK_SECRET содержит недопустимые символы: Telegram принимает от 1 до 256 латинских "
    "букв, цифр, знаков _ и -. Новый секрет даст команда\n"
    f"    {GENERATE}"
)


def problem(secret: str | None) -> str | None:
    """Why this secret cannot be used (a message in Russian), or None if it can."""
    if not secret:
        return MISSING
    if ALLOWED.fullmatch(secret) is None:
        return MALFORMED
    return None


def generate() -> str:
    """A new secret: 43 URL-safe characters, 256 random bits."""
    return secrets.token_urlsafe(32)


def _value_in(lines: list[str]) -> str | None:
    value = None
    for line in lines:
        key, sep, rest = line.partition("=")
        if sep and key.strip() == "WEBHOOK_SECRET":
            value = rest.strip().strip("'\"")
    return value


def ensure_in_env_file(path: Path) -> bool:
    """Write a new WEBHOOK_SECRET into the env file unless it has one; True if written.

    An empty `WEBHOOK_SECRET=` line (as in .env.example) is replaced in place.
    """
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if _value_in(lines):
        return False
    line = f"WEBHOOK_SECRET={generate()}"
    empty = [
        i for i, each in enumerate(lines) if each.partition("=")[0].strip() == "WEBHOOK_SECRET"
    ]
    if empty:
        lines[empty[-1]] = line
    else:
        lines.append(line)
    if not path.exists():
        path.touch(mode=0o600)  # the token will live here too: for its owner's eyes only
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    """`python -m bot webhook-secret [.env]`: the Makefile's webhook target calls this."""
    path = Path(argv[0] if argv else ".env")
    if ensure_in_env_file(path):
        print(f"В {path} записан новый WEBHOOK_SECRET (секрет для запросов Telegram к webhook).")
    return 0
